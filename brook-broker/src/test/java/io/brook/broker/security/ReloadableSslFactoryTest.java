package io.brook.broker.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.util.Map;

import org.apache.kafka.common.network.ConnectionMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.brook.broker.config.BrokerConfig;

/** Key store reload when the file changes: a renewed certificate is taken, one with another DN is refused. */
class ReloadableSslFactoryTest {

    @TempDir
    Path dir;

    @Test
    void shouldTakeRenewedCertificateWhenKeyStoreFileChanges() throws Exception {
        Path live = dir.resolve("live.p12");
        TestPki first = TestPki.create(dir.resolve("first")).issue("broker", "CN=localhost,O=Brook", true);
        TestPki renewed = TestPki.create(dir.resolve("renewed")).issue("broker", "CN=localhost,O=Brook", true);
        Files.copy(first.keystore("broker", "PKCS12"), live);
        try (ReloadableSslFactory factory = serverFactory(live)) {
            Certificate before = leaf(factory);
            factory.reloadIfChanged();
            assertThat(leaf(factory)).as("unchanged file, same certificate").isEqualTo(before);

            replace(live, renewed.keystore("broker", "PKCS12"));
            factory.reloadIfChanged();

            assertThat(leaf(factory)).isNotEqualTo(before);
        }
    }

    @Test
    void shouldKeepOldCertificateWhenRenewedOneHasAnotherName() throws Exception {
        Path live = dir.resolve("live.p12");
        TestPki first = TestPki.create(dir.resolve("first")).issue("broker", "CN=localhost,O=Brook", true);
        TestPki other = TestPki.create(dir.resolve("other")).issue("broker", "CN=someone-else,O=Brook", true);
        Files.copy(first.keystore("broker", "PKCS12"), live);
        try (ReloadableSslFactory factory = serverFactory(live)) {
            Certificate before = leaf(factory);

            replace(live, other.keystore("broker", "PKCS12"));
            factory.reloadIfChanged();

            assertThat(leaf(factory)).isEqualTo(before);
        }
    }

    private static ReloadableSslFactory serverFactory(Path keystore) {
        BrokerConfig config = BrokerConfig.parse(Map.of(BrokerConfig.LISTENERS, "SSL://localhost:0",
                BrokerConfig.SSL_KEYSTORE_LOCATION, keystore.toString(), BrokerConfig.SSL_KEYSTORE_TYPE, "PKCS12",
                BrokerConfig.SSL_KEYSTORE_PASSWORD, TestPki.PASSWORD));
        return new ReloadableSslFactory("SSL", ConnectionMode.SERVER, config.sslSettings("SSL"));
    }

    private static Certificate leaf(ReloadableSslFactory factory) throws KeyStoreException {
        return factory.keystore().getCertificate("broker");
    }

    /** Replaces the file and moves its modification time on, as a renewal a while later would. */
    private static void replace(Path live, Path replacement) throws IOException {
        FileTime previous = Files.getLastModifiedTime(live);
        Files.copy(replacement, live, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(live, FileTime.from(previous.toInstant().plusSeconds(10)));
    }
}
