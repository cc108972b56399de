package io.brook.broker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.DescribeAclsRequest;
import org.apache.kafka.common.requests.DescribeAclsResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.brook.broker.HandlerFamily;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.ConnectionSession;
import io.brook.broker.api.RequestContext;
import io.brook.broker.config.BrokerConfig;
import io.brook.broker.handlers.sasl.SaslHandlers;
import io.brook.broker.replication.BrokerConnection;
import io.brook.broker.security.InterBrokerSockets;
import io.brook.broker.testing.TestBroker;

/**
 * A SASL_PLAINTEXT listener with PLAIN users from its JAAS config, beside a PLAINTEXT one: the Java Admin client logs
 * in and its requests carry User:alice; a wrong password is SaslAuthenticationException; the broker's own inter-broker
 * client logs in with the JAAS username and password; a request other than ApiVersions and SASL before
 * authentication closes the connection. A stand-in DescribeAcls handler records each session.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SaslListenerTest {

    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"broker\" password=\"broker-secret\" user_broker=\"broker-secret\""
            + " user_alice=\"alice-secret\";";

    @TempDir
    Path dir;
    private TestBroker broker;
    private Map<String, String> props;
    private final ConcurrentLinkedQueue<ConnectionSession> sessions = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> connectionIds = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void startBroker() throws IOException {
        props = new HashMap<>();
        props.put(BrokerConfig.LISTENERS, "PLAINTEXT://localhost:0,SASL_PLAINTEXT://localhost:0");
        props.put(BrokerConfig.SASL_ENABLED_MECHANISMS, "PLAIN");
        props.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", JAAS);
        props.put(BrokerConfig.INTER_BROKER_LISTENER_NAME, "SASL_PLAINTEXT");
        props.put(BrokerConfig.SASL_MECHANISM_INTER_BROKER_PROTOCOL, "PLAIN");
        broker = TestBroker.start(dir, props, List.of(context -> new SessionRecorder(), SaslHandlers::create));
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    @Test
    void shouldCarryTheSaslPrincipalWhenJavaClientLogsInWithPlain() throws Exception {
        try (Admin admin = Admin.create(clientConfig("alice", "alice-secret"))) {
            assertThat(admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS)).isEmpty();
        }
        assertThat(sessions).isNotEmpty().allSatisfy(session -> {
            assertThat(session.listenerName()).isEqualTo("SASL_PLAINTEXT");
            assertThat(session.principal().toString()).isEqualTo("User:alice");
        });
    }

    @Test
    void shouldKeepTheConnectionWhenJavaClientReauthenticatesBeforeItsSessionEnds() throws Exception {
        broker.close();
        props.put(BrokerConfig.CONNECTIONS_MAX_REAUTH_MS, "1500");
        broker = TestBroker.start(dir, props, List.of(context -> new SessionRecorder(), SaslHandlers::create));

        try (Admin admin = Admin.create(clientConfig("alice", "alice-secret"))) {
            // Requests for three session lifetimes: the client re-authenticates at 85-95% of each (KIP-368).
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(4500);
            while (System.nanoTime() < end) {
                admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS);
            }
        }

        assertThat(connectionIds).as("one connection, re-authenticated instead of closed").hasSizeGreaterThan(5)
                .containsOnly(connectionIds.peek());
        assertThat(sessions).allSatisfy(s -> assertThat(s.principal().toString()).isEqualTo("User:alice"));
    }

    @Test
    void shouldRefuseJavaClientWhenPasswordIsWrong() {
        try (Admin admin = Admin.create(clientConfig("alice", "bob-secret"))) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
        }
        assertThat(sessions).isEmpty();
    }

    @Test
    void shouldLogInterBrokerClientInWithItsJaasLogin() throws Exception {
        try (InterBrokerSockets sockets = InterBrokerSockets.from(BrokerConfig.parse(props));
                BrokerConnection connection = new BrokerConnection(sockets, "localhost", saslPort(), 10_000,
                        1 << 20)) {
            AbstractResponse versions = connection.send(new ApiVersionsRequest(new ApiVersionsRequestData(),
                    (short) 0));
            assertThat(((ApiVersionsResponse) versions).data().errorCode()).isEqualTo(Errors.NONE.code());
            connection.send(new DescribeAclsRequest.Builder(AclBindingFilter.ANY).build((short) 3));
            assertThat(sessions).singleElement()
                    .satisfies(session -> assertThat(session.principal().toString()).isEqualTo("User:broker"));
        }
    }

    @Test
    void shouldCloseConnectionWhenMetadataComesBeforeAuthentication() throws Exception {
        try (Socket socket = new Socket("localhost", saslPort())) {
            socket.setSoTimeout(10_000);
            MetadataRequest request = new MetadataRequest(new MetadataRequestData(), (short) 12);
            ByteBuffer frame = request.serializeWithHeader(new RequestHeader(ApiKeys.METADATA, (short) 12, "raw", 1));
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(frame.remaining());
            out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
            out.flush();

            assertThatThrownBy(() -> new DataInputStream(socket.getInputStream()).readInt())
                    .isInstanceOf(EOFException.class);
        }
    }

    @Test
    void shouldAnswerSaslAuthenticationFailedAndCloseWhenPasswordIsWrong() throws Exception {
        try (Socket socket = new Socket("localhost", saslPort())) {
            socket.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            send(out, new SaslHandshakeRequest.Builder(new SaslHandshakeRequestData().setMechanism("PLAIN"))
                    .build((short) 1), 1);
            assertThat(((SaslHandshakeResponse) receive(in, ApiKeys.SASL_HANDSHAKE, (short) 1, 1)).error())
                    .isEqualTo(Errors.NONE);
            send(out, new SaslAuthenticateRequest.Builder(new SaslAuthenticateRequestData()
                    .setAuthBytes("\0alice\0wrong".getBytes(StandardCharsets.UTF_8))).build((short) 2), 2);

            SaslAuthenticateResponse failed = (SaslAuthenticateResponse) receive(in, ApiKeys.SASL_AUTHENTICATE,
                    (short) 2, 2);

            assertThat(failed.error()).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED);
            assertThatThrownBy(in::readInt).isInstanceOf(EOFException.class);
        }
    }

    private static void send(DataOutputStream out, AbstractRequest request, int correlationId) throws IOException {
        ByteBuffer frame = request.serializeWithHeader(new RequestHeader(request.apiKey(), request.version(), "raw",
                correlationId));
        out.writeInt(frame.remaining());
        out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
        out.flush();
    }

    private static AbstractResponse receive(DataInputStream in, ApiKeys api, short version, int correlationId)
            throws IOException {
        byte[] body = new byte[in.readInt()];
        in.readFully(body);
        return AbstractResponse.parseResponse(ByteBuffer.wrap(body),
                new RequestHeader(api, version, "raw", correlationId));
    }

    private int saslPort() {
        return broker.broker().boundPort("SASL_PLAINTEXT");
    }

    private Map<String, Object> clientConfig(String user, String password) {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + saslPort());
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        config.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        config.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"" + user + "\" password=\"" + password + "\";");
        return config;
    }

    /** Answers DescribeAcls with no ACLs, recording the session of the connection that asked. */
    private final class SessionRecorder implements HandlerFamily, ApiHandler<DescribeAclsRequest> {

        @Override
        public List<ApiHandler<?>> handlers() {
            return List.of(this);
        }

        @Override
        public ApiKeys apiKey() {
            return ApiKeys.DESCRIBE_ACLS;
        }

        @Override
        public CompletableFuture<AbstractResponse> handle(RequestContext context, DescribeAclsRequest request) {
            sessions.add(context.session());
            connectionIds.add(context.connectionId());
            return CompletableFuture.completedFuture(new DescribeAclsResponse(new DescribeAclsResponseData(),
                    request.version()));
        }
    }
}
