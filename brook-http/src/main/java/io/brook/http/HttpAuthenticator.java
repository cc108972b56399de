package io.brook.http;

import java.util.Map;
import java.util.Optional;

/**
 * Decides who is calling, from the request headers (HTTP Basic against the broker's SASL users when security is on).
 * The server asks it before routing: {@link Result#refused} becomes a 401 with a {@code WWW-Authenticate} header;
 * an accepted user reaches the route as {@link HttpCall#user()}.
 */
@FunctionalInterface
public interface HttpAuthenticator {

    /** Lets everyone in, as nobody in particular: the choice when the broker has no authentication. */
    HttpAuthenticator OPEN = headers -> Result.anonymous();

    /** @param headers the request headers, names in lower case */
    Result authenticate(Map<String, String> headers);

    /** The outcome: a user, anonymous, or refused with a reason for the log (never sent to the caller). */
    record Result(Optional<String> user, boolean refused, String reason) {

        public static Result user(String name) {
            return new Result(Optional.of(name), false, "");
        }

        public static Result anonymous() {
            return new Result(Optional.empty(), false, "");
        }

        public static Result refused(String reason) {
            return new Result(Optional.empty(), true, reason);
        }
    }
}
