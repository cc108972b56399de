package io.brook.it.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.it.harness.JavaClients;
import io.brook.it.harness.SaslBroker;

/**
 * The admin API on a broker with a SASL listener and ACLs, through the real HTTP server: a call without credentials
 * gets a 401 Basic challenge, a wrong password a 401, and a logged-in user sees what the broker's ACLs let them see
 * (the super user every topic, alice none of them). Health checks and the console's files need no login.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AdminApiLoginTest {

    private static final String TOPIC = JavaClients.uniqueTopic("login-secret");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private static SaslBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = SaslBroker.start(AdminApiLoginTest.class,
                List.of("authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                        "super.users=User:ANONYMOUS;User:" + SaslBroker.ADMIN));
        JavaClients.createTopic(broker.plaintext(), TOPIC, 1);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static HttpResponse<String> get(String path, String user, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(broker.plaintext().httpUrl() + path))
                .timeout(Duration.ofSeconds(30));
        if (user != null) {
            String token = Base64.getEncoder().encodeToString((user + ":" + password)
                    .getBytes(StandardCharsets.UTF_8));
            request.header("Authorization", "Basic " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldChallengeACallWithoutCredentials() throws Exception {
        HttpResponse<String> reply = get("/api/topics", null, null);

        assertThat(reply.statusCode()).isEqualTo(401);
        assertThat(reply.headers().firstValue("www-authenticate")).hasValueSatisfying(
                value -> assertThat(value).startsWith("Basic"));
    }

    @Test
    void shouldRefuseAWrongPassword() throws Exception {
        // The API's login attempt is a Kafka client inside the broker: its NetworkClient logs the refusal as ERROR.
        broker.plaintext().expectLogLine(Pattern.compile("failed authentication due to"));

        assertThat(get("/api/topics", SaslBroker.ALICE, "not-her-password").statusCode()).isEqualTo(401);
    }

    @Test
    void shouldActAsTheLoggedInUserSoTheBrokersAclsApply() throws Exception {
        HttpResponse<String> admin = get("/api/topics?search=" + TOPIC, SaslBroker.ADMIN,
                SaslBroker.password(SaslBroker.ADMIN));
        HttpResponse<String> alice = get("/api/topics?search=" + TOPIC, SaslBroker.ALICE,
                SaslBroker.password(SaslBroker.ALICE));
        HttpResponse<String> aliceOne = get("/api/topics/" + TOPIC, SaslBroker.ALICE,
                SaslBroker.password(SaslBroker.ALICE));

        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(admin.body()).contains(TOPIC);
        assertThat(alice.statusCode()).isEqualTo(200);
        assertThat(alice.body()).doesNotContain(TOPIC).contains("\"total\":0");
        assertThat(aliceOne.statusCode()).isIn(403, 404);
    }

    @Test
    void shouldServeHealthAndTheConsoleFilesWithoutALogin() throws Exception {
        assertThat(get("/health/live", null, null).statusCode()).isEqualTo(200);
        assertThat(get("/console/", null, null).statusCode()).isEqualTo(200);
    }
}
