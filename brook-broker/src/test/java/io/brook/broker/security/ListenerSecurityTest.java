package io.brook.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import javax.net.ssl.SSLEngine;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.brook.broker.config.BrokerConfig;

class ListenerSecurityTest {

    @TempDir
    static Path dir;
    static TestPki pki;

    @BeforeAll
    static void createCertificates() throws IOException {
        pki = TestPki.create(dir).issue("broker", "CN=localhost,O=Brook", true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"JKS", "PKCS12"})
    void shouldCreateServerEnginesFromKeyStoreFileWhenTypeIs(String type) {
        BrokerConfig config = config(Map.of(
                "listener.name.ssl.ssl.keystore.type", type,
                "listener.name.ssl.ssl.keystore.location", pki.keystore("broker", type).toString(),
                "listener.name.ssl.ssl.keystore.password", TestPki.PASSWORD,
                "listener.name.ssl.ssl.key.password", TestPki.PASSWORD));

        try (ListenerSecurity security = ListenerSecurity.create(config, "SSL", SecurityProtocol.SSL)) {
            SSLEngine engine = security.newServerEngine("127.0.0.1", 50000).orElseThrow();

            assertThat(engine.getUseClientMode()).isFalse();
            assertThat(engine.getEnabledProtocols()).contains("TLSv1.3");
            assertThat(security.usesTls()).isTrue();
        }
    }

    @Test
    void shouldCreateServerEnginesFromInlinePemKeyAndChain() throws IOException {
        BrokerConfig config = config(Map.of(
                BrokerConfig.SSL_KEYSTORE_TYPE, "PEM",
                BrokerConfig.SSL_KEYSTORE_KEY, Files.readString(pki.privateKeyPemFile("broker")),
                BrokerConfig.SSL_KEYSTORE_CERTIFICATE_CHAIN, pki.certificateChainPem("broker"),
                BrokerConfig.SSL_TRUSTSTORE_TYPE, "PEM",
                BrokerConfig.SSL_TRUSTSTORE_CERTIFICATES, Files.readString(pki.caPem()),
                BrokerConfig.SSL_CLIENT_AUTH, "required"));

        try (ListenerSecurity security = ListenerSecurity.create(config, "SSL", SecurityProtocol.SSL)) {
            SSLEngine engine = security.newServerEngine("127.0.0.1", 50000).orElseThrow();

            assertThat(engine.getNeedClientAuth()).isTrue();
        }
    }

    @Test
    void shouldRefuseListenerWhenKeyStorePasswordIsWrong() {
        BrokerConfig config = config(Map.of(
                BrokerConfig.SSL_KEYSTORE_TYPE, "PKCS12",
                BrokerConfig.SSL_KEYSTORE_LOCATION, pki.keystore("broker", "PKCS12").toString(),
                BrokerConfig.SSL_KEYSTORE_PASSWORD, "not-the-password"));

        assertThatThrownBy(() -> ListenerSecurity.create(config, "SSL", SecurityProtocol.SSL))
                .isInstanceOf(ConfigException.class).hasMessageContaining("Listener SSL")
                .hasMessageNotContaining("not-the-password");
    }

    @Test
    void shouldGiveAnonymousSessionWithoutEnginesWhenListenerIsPlaintext() throws IOException {
        try (ListenerSecurity security = ListenerSecurity.create(BrokerConfig.defaults(), "PLAINTEXT",
                SecurityProtocol.PLAINTEXT)) {

            assertThat(security.newServerEngine("127.0.0.1", 1)).isEmpty();
            assertThat(security.initialSession(InetAddress.getLoopbackAddress()).principal().toString())
                    .isEqualTo("User:ANONYMOUS");
            assertThat(security.initialSession(InetAddress.getLoopbackAddress()).encrypted()).isFalse();
        }
    }

    private static BrokerConfig config(Map<String, String> ssl) {
        Map<String, String> props = new HashMap<>(ssl);
        props.put(BrokerConfig.LISTENERS, "PLAINTEXT://localhost:0,SSL://localhost:0");
        return BrokerConfig.parse(props);
    }
}
