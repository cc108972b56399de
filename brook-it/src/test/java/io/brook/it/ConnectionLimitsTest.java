package io.brook.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.protocol.Errors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.it.harness.BrookBroker;
import io.brook.it.harness.BrookTest;
import io.brook.it.harness.RawKafkaConnection;

/**
 * {@code max.connections.per.ip} seen from outside: raw sockets and a Java Admin client against a broker that allows
 * each address {@value #PER_IP} connections. {@code localhost} is bound on both loopback addresses, each counted on
 * its own, so the tests fill both.
 */
@BrookTest(overrides = {"max.connections.per.ip=" + ConnectionLimitsTest.PER_IP})
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConnectionLimitsTest {

    static final int PER_IP = 3;
    private static final List<String> LOOPBACKS = List.of("127.0.0.1", "::1");

    @Test
    void shouldCloseTheConnectionAboveTheLimitAndAcceptANewOneOnceAnotherCloses(BrookBroker broker)
            throws Exception {
        List<RawKafkaConnection> open = new ArrayList<>();
        try {
            for (int i = 0; i < PER_IP; i++) {
                RawKafkaConnection connection = awaitAnsweredConnection("127.0.0.1", broker.port());
                open.add(connection);
            }

            try (RawKafkaConnection refused = RawKafkaConnection.open("127.0.0.1", broker.port())) {
                assertThat(refused.isClosedByPeer()).isTrue();
            }

            open.remove(0).close();
            open.add(awaitAnsweredConnection("127.0.0.1", broker.port()));
            for (RawKafkaConnection connection : open) {
                assertThat(connection.apiVersions().data().errorCode()).isEqualTo(Errors.NONE.code());
            }
        } finally {
            closeAll(open);
        }
    }

    @Test
    void shouldKeepAJavaClientOutWhileItsAddressIsFullAndLetItInAfterwards(BrookBroker broker) throws Exception {
        List<RawKafkaConnection> open = new ArrayList<>();
        try {
            for (String loopback : LOOPBACKS) {
                for (int i = 0; i < PER_IP; i++) {
                    open.add(awaitAnsweredConnection(loopback, broker.port()));
                }
            }
            try (Admin shutOut = admin(broker, 3_000)) {
                assertThatThrownBy(() -> shutOut.describeCluster().clusterId().get(10, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
            }
        } finally {
            closeAll(open);
        }

        // The broker releases the slots as it sees the closes; the client's own retries cover that moment.
        try (Admin admin = admin(broker, 30_000)) {
            assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS)).isNotBlank();
        }
    }

    /** A connection answered by the broker, retrying while earlier closes are not yet seen by the broker. */
    private static RawKafkaConnection awaitAnsweredConnection(String host, int port) {
        RawKafkaConnection[] answered = new RawKafkaConnection[1];
        Awaitility.await("a connection from " + host).atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> {
                    RawKafkaConnection connection = RawKafkaConnection.open(host, port);
                    try {
                        if (connection.apiVersions().data().errorCode() == Errors.NONE.code()) {
                            answered[0] = connection;
                            return true;
                        }
                    } catch (RuntimeException | IOException e) {
                        connection.close();
                        throw e;
                    }
                    connection.close();
                    return false;
                });
        return answered[0];
    }

    private static Admin admin(BrookBroker broker, int apiTimeoutMs) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, apiTimeoutMs,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(apiTimeoutMs, 2_000),
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200));
    }

    private static void closeAll(List<RawKafkaConnection> connections) throws IOException {
        for (RawKafkaConnection connection : connections) {
            connection.close();
        }
        connections.clear();
    }
}
