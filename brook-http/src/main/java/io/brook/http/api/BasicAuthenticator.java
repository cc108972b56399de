package io.brook.http.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import io.brook.http.HttpAuthenticator;

/**
 * HTTP Basic against the broker's SASL users: the credentials are checked by logging in to the node's SASL listener
 * with them ({@link UserClients#login}), so PLAIN users of the JAAS config and SCRAM users of the metadata both work.
 * A call without credentials passes as anonymous: health checks and the console's files stay open, and the API
 * answers it 401 with a Basic challenge ({@link UserClients#forCall}), which makes a browser ask for a login.
 * Thread-safe.
 */
public final class BasicAuthenticator implements HttpAuthenticator {

    private final UserClients users;

    public BasicAuthenticator(UserClients users) {
        this.users = users;
    }

    @Override
    public Result authenticate(Map<String, String> headers) {
        String header = headers.get("authorization");
        if (header == null) {
            // Health checks and the console's static files need no login; the API answers an anonymous call 401.
            return Result.anonymous();
        }
        if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Result.refused("not Basic credentials");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Result.refused("Basic credentials are not base64");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return Result.refused("Basic credentials without a user name");
        }
        String user = decoded.substring(0, colon);
        return users.login(user, decoded.substring(colon + 1))
                ? Result.user(user)
                : Result.refused("the broker refused the login of user " + user);
    }
}
