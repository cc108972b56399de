package io.brook.broker.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.sasl.SaslClient;

import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.ScramExtensionsCallback;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramSaslClient;
import org.junit.jupiter.api.Test;

import io.brook.broker.testing.ManualTime;

class SaslAuthenticatorTest {

    private static final String PLAIN_JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " user_alice=\"alice-secret\" user_bob=\"bob-secret\";";

    private final ManualTime time = new ManualTime();
    private final ScramCredential aliceScram;
    private final SaslServers servers;
    private SaslAuthenticator authenticator;
    private int correlation;

    SaslAuthenticatorTest() throws Exception {
        aliceScram = new ScramFormatter(ScramMechanism.SCRAM_SHA_512).generateCredential("alice-scram", 4096);
        servers = new SaslServers(List.of("PLAIN", "SCRAM-SHA-512"),
                PlainUsers.fromJaas("SASL_PLAINTEXT", new Password(PLAIN_JAAS)),
                (user, mechanism) -> user.equals("alice") && mechanism == ScramMechanism.SCRAM_SHA_512
                        ? Optional.of(aliceScram)
                        : Optional.empty());
        authenticator = new SaslAuthenticator(servers, time, InetAddress.getLoopbackAddress(), 60_000, 100);
    }

    private SaslAuthenticator.Outcome send(AbstractRequest request) {
        RequestHeader header = new RequestHeader(request.apiKey(), request.version(), "test", correlation++);
        return authenticator.onRequest(header, request);
    }

    private SaslAuthenticator.Outcome handshake(String mechanism, short version) {
        return send(new SaslHandshakeRequest.Builder(new SaslHandshakeRequestData().setMechanism(mechanism))
                .build(version));
    }

    private SaslAuthenticator.Outcome authenticate(byte[] token) {
        return send(new SaslAuthenticateRequest.Builder(new SaslAuthenticateRequestData().setAuthBytes(token))
                .build((short) 2));
    }

    private static byte[] plainToken(String user, String password) {
        return ("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldAuthenticatePlainUserAndReturnSessionLifetimeWhenPasswordMatches() {
        assertThat(send(new ApiVersionsRequest.Builder().build((short) 3)))
                .isInstanceOf(SaslAuthenticator.Proceed.class);
        var handshake = (SaslAuthenticator.Respond) handshake("PLAIN", (short) 1);
        assertThat(((SaslHandshakeResponse) handshake.response()).data().mechanisms())
                .containsExactly("PLAIN", "SCRAM-SHA-512");

        var done = (SaslAuthenticator.Respond) authenticate(plainToken("alice", "alice-secret"));

        SaslAuthenticateResponse response = (SaslAuthenticateResponse) done.response();
        assertThat(response.error()).isEqualTo(Errors.NONE);
        assertThat(response.data().sessionLifetimeMs()).isEqualTo(60_000);
        assertThat(authenticator.principal()).isEqualTo(new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "alice"));
        assertThat(send(metadata())).isInstanceOf(SaslAuthenticator.Proceed.class);
    }

    @Test
    void shouldFailWithGenericMessageAfterTheDelayWhenPasswordIsWrong() {
        handshake("PLAIN", (short) 1);

        var failed = (SaslAuthenticator.Fail) authenticate(plainToken("alice", "guess"));

        SaslAuthenticateResponse response = (SaslAuthenticateResponse) failed.response();
        assertThat(response.error()).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED);
        assertThat(response.data().errorMessage()).doesNotContain("guess").contains("PLAIN");
        assertThat(failed.delayMs()).isEqualTo(100);
        assertThat(authenticator.principal()).isNull();
        assertThat(send(metadata())).isInstanceOf(SaslAuthenticator.Close.class);
    }

    @Test
    void shouldCloseWhenAnotherApiComesBeforeAuthentication() {
        assertThat(send(metadata())).isInstanceOf(SaslAuthenticator.Close.class);
    }

    @Test
    void shouldAnswerIllegalSaslStateWhenSaslAuthenticateComesBeforeTheHandshake() {
        var failed = (SaslAuthenticator.Fail) authenticate(plainToken("alice", "alice-secret"));

        assertThat(((SaslAuthenticateResponse) failed.response()).error()).isEqualTo(Errors.ILLEGAL_SASL_STATE);
    }

    @Test
    void shouldRefuseMechanismThatIsNotEnabled() {
        var failed = (SaslAuthenticator.Fail) handshake("GSSAPI", (short) 1);

        SaslHandshakeResponse response = (SaslHandshakeResponse) failed.response();
        assertThat(response.error()).isEqualTo(Errors.UNSUPPORTED_SASL_MECHANISM);
        assertThat(response.data().mechanisms()).containsExactly("PLAIN", "SCRAM-SHA-512");
    }

    @Test
    void shouldRunScramExchangeWithKafkasClient() throws Exception {
        handshake("SCRAM-SHA-512", (short) 1);
        SaslClient client = scramClient("alice", "alice-scram");

        byte[] serverFirst = ((SaslAuthenticateResponse) ((SaslAuthenticator.Respond) authenticate(
                client.evaluateChallenge(new byte[0]))).response()).data().authBytes();
        var last = (SaslAuthenticator.Respond) authenticate(client.evaluateChallenge(serverFirst));
        client.evaluateChallenge(((SaslAuthenticateResponse) last.response()).data().authBytes());

        assertThat(client.isComplete()).as("the client verified the server's signature").isTrue();
        assertThat(authenticator.principal().getName()).isEqualTo("alice");
    }

    @Test
    void shouldFailScramExchangeWhenPasswordIsWrong() throws Exception {
        handshake("SCRAM-SHA-512", (short) 1);
        SaslClient client = scramClient("alice", "wrong");
        byte[] serverFirst = ((SaslAuthenticateResponse) ((SaslAuthenticator.Respond) authenticate(
                client.evaluateChallenge(new byte[0]))).response()).data().authBytes();

        var failed = (SaslAuthenticator.Fail) authenticate(client.evaluateChallenge(serverFirst));

        assertThat(((SaslAuthenticateResponse) failed.response()).error())
                .isEqualTo(Errors.SASL_AUTHENTICATION_FAILED);
    }

    @Test
    void shouldExchangeRawTokensAfterVersionZeroHandshake() {
        assertThat(handshake("PLAIN", (short) 0)).isInstanceOf(SaslAuthenticator.Respond.class);
        assertThat(authenticator.expectsRawToken()).isTrue();

        var answer = authenticator.onRawToken(ByteBuffer.wrap(plainToken("bob", "bob-secret")));

        assertThat(answer).isInstanceOf(SaslAuthenticator.RespondRaw.class);
        assertThat(authenticator.expectsRawToken()).isFalse();
        assertThat(authenticator.principal().getName()).isEqualTo("bob");
    }

    @Test
    void shouldCloseExpiredSessionAndAcceptReauthenticationBeforeIt() {
        handshake("PLAIN", (short) 1);
        authenticate(plainToken("alice", "alice-secret"));
        time.sleep(50_000);

        assertThat(handshake("PLAIN", (short) 1)).isInstanceOf(SaslAuthenticator.Respond.class);
        assertThat(authenticate(plainToken("alice", "alice-secret"))).isInstanceOf(SaslAuthenticator.Respond.class);
        time.sleep(50_000);
        assertThat(send(metadata())).as("the new session runs from the re-authentication")
                .isInstanceOf(SaslAuthenticator.Proceed.class);

        time.sleep(10_001);
        assertThat(send(metadata())).isInstanceOf(SaslAuthenticator.Close.class);
    }

    @Test
    void shouldFailReauthenticationAsAnotherPrincipal() {
        handshake("PLAIN", (short) 1);
        authenticate(plainToken("alice", "alice-secret"));
        handshake("PLAIN", (short) 1);

        assertThat(authenticate(plainToken("bob", "bob-secret"))).isInstanceOf(SaslAuthenticator.Fail.class);
    }

    private static MetadataRequest metadata() {
        return new MetadataRequest(new MetadataRequestData(), ApiKeys.METADATA.latestVersion());
    }

    private static SaslClient scramClient(String user, String password) throws Exception {
        return new ScramSaslClient(ScramMechanism.SCRAM_SHA_512, callbacks -> {
            for (Callback callback : callbacks) {
                if (callback instanceof NameCallback name) {
                    name.setName(user);
                } else if (callback instanceof PasswordCallback secret) {
                    secret.setPassword(password.toCharArray());
                } else if (callback instanceof ScramExtensionsCallback extensions) {
                    extensions.extensions(Map.of());
                }
            }
        });
    }
}
