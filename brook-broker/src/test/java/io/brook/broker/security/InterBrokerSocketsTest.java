package io.brook.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;

import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.brook.broker.config.BrokerConfig;
import io.brook.broker.testing.TestBroker;

/** The broker's own TLS client side: it trusts the configured CA only and checks the peer's host name. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InterBrokerSocketsTest {

    @TempDir
    static Path dir;
    static TestPki pki;
    static TestPki stranger;
    static TestBroker broker;

    @BeforeAll
    static void startSslBroker() throws IOException {
        pki = TestPki.create(dir.resolve("pki")).issue("broker", "CN=localhost,O=Brook", true);
        stranger = TestPki.create(dir.resolve("stranger"));
        broker = TestBroker.start(dir.resolve("broker"), Map.of(BrokerConfig.LISTENERS,
                "PLAINTEXT://localhost:0,SSL://localhost:0",
                BrokerConfig.SSL_KEYSTORE_LOCATION, pki.keystore("broker", "JKS").toString(),
                BrokerConfig.SSL_KEYSTORE_PASSWORD, TestPki.PASSWORD,
                BrokerConfig.SSL_KEY_PASSWORD, TestPki.PASSWORD), List.of());
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void shouldConnectWithTlsWhenInterBrokerListenerIsSsl() throws IOException {
        try (InterBrokerSockets sockets = InterBrokerSockets.from(config(pki));
                InterBrokerSockets.BrokerSocket socket = sockets.connect("localhost", sslPort(), 10_000)) {

            assertThat(sockets.protocol()).isEqualTo(SecurityProtocol.SSL);
            assertThat(socket.streams()).isInstanceOf(SSLSocket.class);
            assertThat(((SSLSocket) socket.streams()).getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void shouldRefuseBrokerWhoseCertificateIsNotSignedByTrustedCa() {
        try (InterBrokerSockets sockets = InterBrokerSockets.from(config(stranger))) {
            assertThatThrownBy(() -> sockets.connect("localhost", sslPort(), 10_000).close())
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void shouldUsePlainSocketsWhenInterBrokerListenerIsPlaintext() throws IOException {
        try (InterBrokerSockets sockets = InterBrokerSockets.from(BrokerConfig.defaults());
                InterBrokerSockets.BrokerSocket socket = sockets.connect("localhost", broker.port(), 10_000)) {

            assertThat(socket.streams()).isNotInstanceOf(SSLSocket.class).isSameAs(socket.transport());
        }
    }

    private static int sslPort() {
        return broker.broker().boundPort("SSL");
    }

    private static BrokerConfig config(TestPki trusted) {
        Map<String, String> props = new HashMap<>();
        props.put(BrokerConfig.LISTENERS, "PLAINTEXT://localhost:0,SSL://localhost:0");
        props.put(BrokerConfig.INTER_BROKER_LISTENER_NAME, "SSL");
        props.put(BrokerConfig.SSL_KEYSTORE_LOCATION, pki.keystore("broker", "PKCS12").toString());
        props.put(BrokerConfig.SSL_KEYSTORE_TYPE, "PKCS12");
        props.put(BrokerConfig.SSL_KEYSTORE_PASSWORD, TestPki.PASSWORD);
        props.put(BrokerConfig.SSL_TRUSTSTORE_LOCATION, trusted.truststore("PKCS12").toString());
        props.put(BrokerConfig.SSL_TRUSTSTORE_TYPE, "PKCS12");
        props.put(BrokerConfig.SSL_TRUSTSTORE_PASSWORD, TestPki.PASSWORD);
        return BrokerConfig.parse(props);
    }
}
