package io.brook.broker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.brook.broker.config.BrokerConfig;
import io.brook.broker.testing.RawKafkaClient;
import io.brook.broker.testing.TestBroker;

/** {@code max.connections.per.ip} and {@code max.connections} at the accept path of a real broker. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionLimitsTest {

    @TempDir
    Path dir;

    @Test
    void shouldCloseTheConnectionAfterTheLastOneAllowedFromAnAddressAndAcceptOneAgainAfterAClose()
            throws IOException {
        try (TestBroker broker = TestBroker.start(dir, Map.of(BrokerConfig.MAX_CONNECTIONS_PER_IP, "2"), List.of());
                RawKafkaClient second = new RawKafkaClient(broker.port())) {
            RawKafkaClient first = new RawKafkaClient(broker.port());
            assertAnswered(first);
            assertAnswered(second);

            try (RawKafkaClient third = new RawKafkaClient(broker.port())) {
                assertThat(third.isClosedByPeer()).isTrue();
            }

            first.close();
            awaitAnsweredOnANewConnection(broker);
            assertAnswered(second);
        }
    }

    @Test
    void shouldReleaseEverySlotOverManyOpenAndCloseCycles() throws IOException {
        try (TestBroker broker = TestBroker.start(dir, Map.of(BrokerConfig.MAX_CONNECTIONS_PER_IP, "3"), List.of())) {
            for (int i = 0; i < 100; i++) {
                // A close is seen by the broker a little after the client's close returns, so a new connection may
                // still find the address at its limit: retry until one is answered.
                awaitAnsweredOnANewConnection(broker);
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                try (RawKafkaClient a = new RawKafkaClient(broker.port());
                        RawKafkaClient b = new RawKafkaClient(broker.port());
                        RawKafkaClient c = new RawKafkaClient(broker.port())) {
                    assertAnswered(a);
                    assertAnswered(b);
                    assertAnswered(c);
                }
            });
        }
    }

    @Test
    void shouldHoldANewConnectionAtTheBrokerWideLimitUntilAnotherCloses() throws IOException {
        try (TestBroker broker = TestBroker.start(dir, Map.of(BrokerConfig.MAX_CONNECTIONS, "2"), List.of());
                RawKafkaClient second = new RawKafkaClient(broker.port())) {
            RawKafkaClient first = new RawKafkaClient(broker.port());
            assertAnswered(first);
            assertAnswered(second);

            try (RawKafkaClient waiting = new RawKafkaClient(broker.port())) {
                // The TCP handshake completes in the kernel's backlog; the broker does not take the socket yet.
                RequestHeader header = waiting.send(apiVersionsRequest(), 7);
                assertThat(waiting.hasNothingToReadWithin(300)).isTrue();

                first.close();

                ApiVersionsResponse response = (ApiVersionsResponse) waiting.receive(header);
                assertThat(response.data().errorCode()).isEqualTo(Errors.NONE.code());
            }
            assertAnswered(second);
        }
    }

    private static void awaitAnsweredOnANewConnection(TestBroker broker) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (RawKafkaClient client = new RawKafkaClient(broker.port())) {
                assertAnswered(client);
            }
        });
    }

    private static void assertAnswered(RawKafkaClient client) throws IOException {
        ApiVersionsResponse response = (ApiVersionsResponse) client.receive(client.send(apiVersionsRequest(), 1));
        assertThat(response.data().errorCode()).isEqualTo(Errors.NONE.code());
    }

    private static ApiVersionsRequest apiVersionsRequest() {
        return new ApiVersionsRequest(new ApiVersionsRequestData().setClientSoftwareName("limits")
                .setClientSoftwareVersion("1"), (short) 3);
    }
}
