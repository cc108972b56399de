package io.brook.broker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeUserScramCredentialsRequest;
import org.apache.kafka.common.requests.DescribeUserScramCredentialsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.brook.broker.HandlerFamily;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.ConnectionSession;
import io.brook.broker.api.RequestContext;
import io.brook.broker.config.BrokerConfig;
import io.brook.broker.security.TestPki;
import io.brook.broker.testing.TestBroker;

/**
 * An SSL listener beside a PLAINTEXT one, with mutual TLS: the Java Admin client connects over TLS with a client
 * certificate, its principal is what the mapping rules make of the certificate's DN, and a client without a
 * certificate is refused. A stand-in DescribeUserScramCredentials handler records each request's session.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TlsListenerTest {

    @TempDir
    static Path pkiDir;
    @TempDir
    Path dir;
    static TestPki pki;
    private TestBroker broker;
    private final ConcurrentLinkedQueue<ConnectionSession> sessions = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void createCertificates() throws IOException {
        pki = TestPki.create(pkiDir).issue("broker", "CN=localhost,O=Brook", true)
                .issue("alice", "CN=Alice,OU=Clients,O=Brook", false);
    }

    @AfterEach
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldMapClientCertificateToPrincipalWhenClientAuthIsRequired() throws Exception {
        startBroker("required");

        try (Admin admin = Admin.create(clientConfig(true))) {
            var result = admin.describeUserScramCredentials().all().get(30, TimeUnit.SECONDS);

            assertThat(result).containsKey("User:alice");
        }
        assertThat(sessions).isNotEmpty().allSatisfy(session -> {
            assertThat(session.listenerName()).isEqualTo("SSL");
            assertThat(session.principal().getName()).isEqualTo("alice");
            assertThat(session.encrypted()).isTrue();
        });
    }

    @Test
    void shouldRefuseClientWithoutCertificateWhenClientAuthIsRequired() throws Exception {
        startBroker("required");

        try (Admin admin = Admin.create(clientConfig(false))) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SslAuthenticationException.class);
        }
        assertThat(sessions).isEmpty();
    }

    @Test
    void shouldServeAnonymousTlsClientAndPlaintextClientWhenClientAuthIsNone() throws Exception {
        startBroker("none");

        try (Admin tls = Admin.create(clientConfig(false))) {
            var nodes = tls.describeCluster().nodes().get(30, TimeUnit.SECONDS);
            // Metadata answers with the endpoints of the listener the client came in on.
            assertThat(nodes).singleElement().satisfies(node -> assertThat(node.port())
                    .isEqualTo(broker.broker().boundPort("SSL")));
            assertThat(tls.describeUserScramCredentials().all().get(30, TimeUnit.SECONDS)).containsKey(
                    "User:ANONYMOUS");
        }
        try (Admin plain = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
            var nodes = plain.describeCluster().nodes().get(30, TimeUnit.SECONDS);
            assertThat(nodes).singleElement().satisfies(node -> assertThat(node.port()).isEqualTo(broker.port()));
        }
    }

    private void startBroker(String clientAuth) throws IOException {
        Map<String, String> props = new HashMap<>();
        props.put(BrokerConfig.LISTENERS, "PLAINTEXT://localhost:0,SSL://localhost:0");
        props.put("listener.name.ssl.ssl.keystore.location", pki.keystore("broker", "PKCS12").toString());
        props.put("listener.name.ssl.ssl.keystore.password", TestPki.PASSWORD);
        props.put("listener.name.ssl.ssl.keystore.type", "PKCS12");
        props.put(BrokerConfig.SSL_TRUSTSTORE_LOCATION, pki.truststore("JKS").toString());
        props.put(BrokerConfig.SSL_TRUSTSTORE_PASSWORD, TestPki.PASSWORD);
        props.put(BrokerConfig.SSL_CLIENT_AUTH, clientAuth);
        props.put(BrokerConfig.SSL_PRINCIPAL_MAPPING_RULES, "RULE:^CN=([^,]*),OU=Clients,.*$/$1/L,DEFAULT");
        broker = TestBroker.start(dir, props, List.of(context -> new SessionRecorder()));
    }

    private Map<String, Object> clientConfig(boolean withCertificate) {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + broker.broker().boundPort("SSL"));
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        config.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, pki.truststore("PKCS12").toString());
        config.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, TestPki.PASSWORD);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        if (withCertificate) {
            config.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, pki.keystore("alice", "PKCS12").toString());
            config.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, TestPki.PASSWORD);
        }
        return config;
    }

    /** Answers DescribeUserScramCredentials with one user: the principal of the connection that asked. */
    private final class SessionRecorder implements HandlerFamily, ApiHandler<DescribeUserScramCredentialsRequest> {

        @Override
        public List<ApiHandler<?>> handlers() {
            return List.of(this);
        }

        @Override
        public ApiKeys apiKey() {
            return ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS;
        }

        @Override
        public CompletableFuture<AbstractResponse> handle(RequestContext context,
                DescribeUserScramCredentialsRequest request) {
            sessions.add(context.session());
            var data = new DescribeUserScramCredentialsResponseData();
            data.results().add(new DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult()
                    .setUser(context.principal().toString()));
            return CompletableFuture.completedFuture(new DescribeUserScramCredentialsResponse(data));
        }
    }
}
