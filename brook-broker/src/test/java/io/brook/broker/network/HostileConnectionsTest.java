package io.brook.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.brook.broker.config.BrokerConfig;
import io.brook.broker.testing.RawKafkaClient;
import io.brook.broker.testing.TestBroker;

/**
 * Connections that misbehave at the transport level: silent, trickling, half-open, oversized, or very many. A short
 * {@code connections.max.idle.ms} keeps the idle cases fast.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileConnectionsTest {

    private static final int MAX_IDLE_MS = 1_000;
    private static final int TRICKLE_INTERVAL_MS = 100;

    @TempDir
    Path dir;
    private TestBroker broker;

    @BeforeEach
    void startBroker() throws IOException {
        broker = TestBroker.start(dir, Map.of(BrokerConfig.CONNECTIONS_MAX_IDLE_MS, Integer.toString(MAX_IDLE_MS)),
                List.of());
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    @Test
    void shouldCloseASilentConnectionWhenMaxIdlePasses() throws IOException {
        try (RawKafkaClient silent = client()) {
            // Nothing sent, as from a peer that vanished without a FIN (half-open): only the idle timer can close it.
            assertThat(silent.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void shouldCloseAConnectionStuckAfterASizePrefixWhenMaxIdlePasses() throws IOException {
        try (RawKafkaClient stuck = client()) {
            stuck.sendRaw(ByteBuffer.allocate(4).putInt(1024).array());

            assertThat(stuck.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void shouldCloseASlowLorisThatTricklesOneByteAtATime() throws IOException, InterruptedException {
        byte[] frame = RawKafkaClient.frame(RawKafkaClient.header(apiVersionsRequest(), 1), apiVersionsRequest());
        assertThat(frame.length * TRICKLE_INTERVAL_MS).isGreaterThan(3 * MAX_IDLE_MS);
        try (RawKafkaClient loris = client()) {
            boolean closedWhileSending = false;
            for (int i = 0; i < frame.length - 1 && !closedWhileSending; i++) {
                try {
                    loris.sendRaw(Arrays.copyOfRange(frame, i, i + 1));
                } catch (IOException e) {
                    closedWhileSending = true;
                }
                // Pacing of the attack, not a wait for a condition.
                Thread.sleep(TRICKLE_INTERVAL_MS);
            }

            assertThat(closedWhileSending || loris.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void shouldKeepAConnectionThatSendsRequestsMoreOftenThanMaxIdle() throws IOException, InterruptedException {
        try (RawKafkaClient active = client()) {
            for (int i = 0; i < 3 * MAX_IDLE_MS / TRICKLE_INTERVAL_MS; i++) {
                assertThat(apiVersions(active, i).data().errorCode()).isEqualTo(Errors.NONE.code());
                Thread.sleep(TRICKLE_INTERVAL_MS);
            }
        }
    }

    @Test
    void shouldCloseATwoGibibyteSizePrefixAndKeepServingOthers() throws IOException {
        // Surefire runs with -Xmx1g: had the decoder tried to allocate the frame, the event loop would have failed
        // with an OutOfMemoryError rather than closed this one connection.
        try (RawKafkaClient bad = client(); RawKafkaClient good = client()) {
            bad.sendRaw(ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array());

            assertThat(bad.isClosedByPeer()).isTrue();
            assertThat(apiVersions(good, 1).data().errorCode()).isEqualTo(Errors.NONE.code());
        }
    }

    @Test
    void shouldServeHundredsOfConnectionsAtOnce(@TempDir Path otherDir) throws IOException {
        int count = 300;
        List<RawKafkaClient> clients = new ArrayList<>();
        // Kafka's default idle time: on a busy machine opening them all may take longer than this class's 1 s.
        try (TestBroker patient = TestBroker.start(otherDir)) {
            for (int i = 0; i < count; i++) {
                clients.add(new RawKafkaClient(patient.port()));
            }
            List<RequestHeader> headers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                headers.add(clients.get(i).send(apiVersionsRequest(), i));
            }
            for (int i = 0; i < count; i++) {
                ApiVersionsResponse response = (ApiVersionsResponse) clients.get(i).receive(headers.get(i));
                assertThat(response.data().errorCode()).isEqualTo(Errors.NONE.code());
            }
            for (RawKafkaClient client : clients) {
                client.close();
            }
            try (RawKafkaClient after = new RawKafkaClient(patient.port())) {
                assertThat(apiVersions(after, 1).data().errorCode()).isEqualTo(Errors.NONE.code());
            }
        } finally {
            for (RawKafkaClient client : clients) {
                client.close();
            }
        }
    }

    private RawKafkaClient client() throws IOException {
        return new RawKafkaClient(broker.port());
    }

    private static ApiVersionsRequest apiVersionsRequest() {
        return new ApiVersionsRequest(new ApiVersionsRequestData().setClientSoftwareName("hostile")
                .setClientSoftwareVersion("1"), (short) 3);
    }

    private static ApiVersionsResponse apiVersions(RawKafkaClient client, int correlationId) throws IOException {
        return (ApiVersionsResponse) client.receive(client.send(apiVersionsRequest(), correlationId));
    }
}
