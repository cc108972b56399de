package io.brook.http.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.brook.http.HttpAuthenticator.Result;
import io.brook.http.HttpCall;

class BasicAuthenticatorTest {

    private final UserClients users = new UserClients(() -> "localhost:1", Map.of(), List.of("PLAIN"),
            Duration.ofSeconds(1));
    private final BasicAuthenticator authenticator = new BasicAuthenticator(users);

    @AfterEach
    void close() {
        users.close();
    }

    @Test
    void shouldLetACallWithoutCredentialsThroughAsAnonymous() {
        Result result = authenticator.authenticate(Map.of());

        assertThat(result.refused()).isFalse();
        assertThat(result.user()).isEmpty();
    }

    @Test
    void shouldRefuseCredentialsThatAreNotBasicOrNotBase64OrHaveNoUser() {
        assertThat(authenticator.authenticate(Map.of("authorization", "Bearer abc")).refused()).isTrue();
        assertThat(authenticator.authenticate(Map.of("authorization", "Basic %%%")).refused()).isTrue();
        assertThat(authenticator.authenticate(Map.of("authorization", "Basic OnNlY3JldA==")).refused()).isTrue();
    }

    @Test
    void shouldAnswerAnAnonymousApiCallWithAChallenge() {
        HttpCall anonymous = new HttpCall("GET", "/api/topics", Map.of(), Map.of(), Map.of(), new byte[0],
                Optional.empty());

        assertThatThrownBy(() -> users.forCall(anonymous)).isInstanceOfSatisfying(ApiProblem.class,
                problem -> assertThat(ApiErrors.reply(problem).headers()).containsKey("www-authenticate"));
    }
}
