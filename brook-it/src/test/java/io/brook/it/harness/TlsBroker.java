package io.brook.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * A broker process with a PLAINTEXT listener (for the harness's readiness checks) and an SSL listener, with key and
 * trust stores from a fresh {@link TestPki}: the broker's certificate names localhost, and a client certificate
 * {@value #CLIENT} (DN {@value #CLIENT_DN}) is issued for mutual TLS.
 *
 * <p>Thread-safe as {@link ProcessBroker}.
 */
public final class TlsBroker implements AutoCloseable {

    public static final String CLIENT = "alice";
    public static final String CLIENT_DN = "CN=Alice,OU=Clients,O=Brook";

    private final ProcessBroker process;
    private final TestPki pki;
    private final int sslPort;

    private TlsBroker(ProcessBroker process, TestPki pki, int sslPort) {
        this.process = process;
        this.pki = pki;
        this.sslPort = sslPort;
    }

    /** Starts the broker for {@code testClass} with {@code ssl.client.auth=clientAuth} and {@code extra} settings. */
    public static TlsBroker start(Class<?> testClass, String clientAuth, List<String> extra) {
        return start(testClass, clientAuth, extra, List.of());
    }

    /**
     * As {@link #start(Class, String, List)}, with a client certificate for each of {@code moreClients} too (DN
     * {@code CN=<Name>,OU=Clients,O=Brook}, so the principal is {@code User:<name>} in lower case).
     */
    public static TlsBroker start(Class<?> testClass, String clientAuth, List<String> extra,
            List<String> moreClients) {
        Path workDir = WorkDirs.forClass(testClass);
        TestPki pki;
        try {
            pki = TestPki.create(workDir.resolve("pki")).issue("broker", "CN=localhost,O=Brook", true)
                    .issue(CLIENT, CLIENT_DN, false);
            for (String client : moreClients) {
                pki.issue(client, "CN=" + client + ",OU=Clients,O=Brook", false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int[] ports = FreePorts.pick(2);
        List<String> overrides = new ArrayList<>(List.of(
                "listeners=PLAINTEXT://localhost:" + ports[0] + ",SSL://localhost:" + ports[1],
                "listener.name.ssl.ssl.keystore.location=" + pki.keystore("broker", "PKCS12"),
                "listener.name.ssl.ssl.keystore.type=PKCS12",
                "listener.name.ssl.ssl.keystore.password=" + TestPki.PASSWORD,
                "ssl.truststore.location=" + pki.truststore("JKS"),
                "ssl.truststore.password=" + TestPki.PASSWORD,
                "ssl.client.auth=" + clientAuth,
                "ssl.principal.mapping.rules=RULE:^CN=([^,]*),OU=Clients,.*$/$1/L,DEFAULT"));
        overrides.addAll(extra);
        ProcessBroker process = new ProcessBroker(BrokerLauncher.brook(), ports[0], overrides, workDir);
        // A client refused for want of a certificate is logged by the Java client in the test JVM, not here.
        process.start();
        return new TlsBroker(process, pki, ports[1]);
    }

    /** The broker through its PLAINTEXT listener (for the harness's helpers). */
    public BrookBroker plaintext() {
        return process;
    }

    public TestPki pki() {
        return pki;
    }

    public String sslBootstrapServers() {
        return "localhost:" + sslPort;
    }

    /** Java client settings for the SSL listener, with the client certificate when {@code withCertificate}. */
    public Map<String, Object> sslClientConfig(boolean withCertificate) {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, sslBootstrapServers());
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        config.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, pki.truststore("PKCS12").toString());
        config.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, TestPki.PASSWORD);
        if (withCertificate) {
            config.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, pki.keystore(CLIENT, "PKCS12").toString());
            config.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, TestPki.PASSWORD);
        }
        return config;
    }

    /** Java client settings for the SSL listener with the certificate of {@code client}. */
    public Map<String, Object> sslClientConfig(String client) {
        Map<String, Object> config = sslClientConfig(false);
        config.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, pki.keystore(client, "PKCS12").toString());
        config.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, TestPki.PASSWORD);
        return config;
    }

    public void expectLogLine(Pattern pattern) {
        process.expectLogLine(pattern);
    }

    public Path logFile() {
        return process.logFile();
    }

    @Override
    public void close() {
        process.shutDownAndCheckLog();
    }
}
