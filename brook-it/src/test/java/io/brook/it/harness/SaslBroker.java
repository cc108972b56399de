package io.brook.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * A broker process with a PLAINTEXT listener (for the harness's readiness checks and topic set-up), a SASL_PLAINTEXT
 * and a SASL_SSL listener offering PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512. PLAIN users {@value #ADMIN} and
 * {@value #ALICE} (passwords: the name followed by {@code -secret}) come from the listeners' JAAS configs; SCRAM
 * users must be created (AlterUserScramCredentials). The broker's TLS certificate names localhost.
 *
 * <p>Thread-safe as {@link ProcessBroker}.
 */
public final class SaslBroker implements AutoCloseable {

    public static final String ADMIN = "admin";
    public static final String ALICE = "alice";
    public static final String MECHANISMS = "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512";

    private final ProcessBroker process;
    private final TestPki pki;
    private final int saslPlaintextPort;
    private final int saslSslPort;

    private SaslBroker(ProcessBroker process, TestPki pki, int saslPlaintextPort, int saslSslPort) {
        this.process = process;
        this.pki = pki;
        this.saslPlaintextPort = saslPlaintextPort;
        this.saslSslPort = saslSslPort;
    }

    public static String password(String user) {
        return user + "-secret";
    }

    /** Starts the broker for {@code testClass} with {@code extra} settings. */
    public static SaslBroker start(Class<?> testClass, List<String> extra) {
        Path workDir = WorkDirs.forClass(testClass);
        TestPki pki;
        try {
            pki = TestPki.create(workDir.resolve("pki")).issue("broker", "CN=localhost,O=Brook", true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int[] ports = FreePorts.pick(3);
        String plainUsers = "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + ADMIN + "=\""
                + password(ADMIN) + "\" user_" + ALICE + "=\"" + password(ALICE) + "\";";
        List<String> overrides = new ArrayList<>(List.of(
                "listeners=PLAINTEXT://localhost:" + ports[0] + ",SASL_PLAINTEXT://localhost:" + ports[1]
                        + ",SASL_SSL://localhost:" + ports[2],
                "sasl.enabled.mechanisms=" + MECHANISMS,
                "listener.name.sasl_plaintext.plain.sasl.jaas.config=" + plainUsers,
                "listener.name.sasl_ssl.plain.sasl.jaas.config=" + plainUsers,
                "listener.name.sasl_ssl.ssl.keystore.location=" + pki.keystore("broker", "PKCS12"),
                "listener.name.sasl_ssl.ssl.keystore.type=PKCS12",
                "listener.name.sasl_ssl.ssl.keystore.password=" + TestPki.PASSWORD));
        overrides.addAll(extra);
        ProcessBroker process = new ProcessBroker(BrokerLauncher.brook(), ports[0], overrides, workDir);
        process.start();
        return new SaslBroker(process, pki, ports[1], ports[2]);
    }

    /** The broker through its PLAINTEXT listener (for the harness's helpers). */
    public BrookBroker plaintext() {
        return process;
    }

    public TestPki pki() {
        return pki;
    }

    public String saslPlaintextBootstrapServers() {
        return "localhost:" + saslPlaintextPort;
    }

    public String saslSslBootstrapServers() {
        return "localhost:" + saslSslPort;
    }

    /** Java client settings for the SASL_PLAINTEXT listener with {@code mechanism}, user and password. */
    public Map<String, Object> saslPlaintextConfig(String mechanism, String user, String password) {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, saslPlaintextBootstrapServers());
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        config.put(SaslConfigs.SASL_MECHANISM, mechanism);
        config.put(SaslConfigs.SASL_JAAS_CONFIG, jaas(mechanism, user, password));
        return config;
    }

    /** Java client settings for the SASL_SSL listener (trusting the test CA). */
    public Map<String, Object> saslSslConfig(String mechanism, String user, String password) {
        Map<String, Object> config = saslPlaintextConfig(mechanism, user, password);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, saslSslBootstrapServers());
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        config.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, pki.truststore("PKCS12").toString());
        config.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, TestPki.PASSWORD);
        return config;
    }

    /** A client's sasl.jaas.config for {@code mechanism}. */
    public static String jaas(String mechanism, String user, String password) {
        String module = mechanism.equals("PLAIN")
                ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        return module + " required username=\"" + user + "\" password=\"" + password + "\";";
    }

    public Path logFile() {
        return process.logFile();
    }

    @Override
    public void close() {
        process.shutDownAndCheckLog();
    }
}
