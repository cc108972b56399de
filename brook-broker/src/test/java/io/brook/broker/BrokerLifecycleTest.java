package io.brook.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.Endpoint;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.brook.broker.config.BrokerConfig;
import io.brook.broker.testing.TestBroker;

class BrokerLifecycleTest {

    @TempDir
    Path dir;

    @Test
    void shouldKeepTheClusterIdAcrossRestarts() throws IOException {
        String first;
        try (TestBroker broker = TestBroker.start(dir)) {
            first = broker.broker().context().clusterId();
        }
        String stored = Files.readString(dir.resolve(MetaProperties.FILE_NAME));
        assertThat(stored).contains("version=1", "node.id=1", "cluster.id=" + first);
        assertThat(first).hasSize(22);

        try (TestBroker broker = TestBroker.start(dir)) {
            assertThat(broker.broker().context().clusterId()).isEqualTo(first);
        }
    }

    @Test
    void shouldRefuseToStartWhenTheStoredNodeIdDiffers() throws IOException {
        TestBroker.start(dir).close();

        assertThatThrownBy(() -> TestBroker.start(dir, Map.of(BrokerConfig.NODE_ID, "2"), List.of()))
                .isInstanceOf(KafkaException.class).hasMessageContaining("node id");
    }

    @Test
    void shouldAdvertiseLocalhostWithTheBoundPortForALoopbackListener() throws IOException {
        try (TestBroker broker = TestBroker.start(dir)) {
            assertThat(broker.broker().advertisedListeners()).singleElement().satisfies(endpoint -> {
                assertThat(endpoint.host()).isEqualTo("localhost");
                assertThat(endpoint.port()).isEqualTo(broker.port()).isPositive();
            });
        }
    }

    @Test
    void shouldStartWithKafkaStyleListenersNamedThroughTheProtocolMap() throws IOException {
        try (TestBroker broker = TestBroker.start(dir, Map.of(BrokerConfig.LISTENERS,
                "PLAINTEXT://localhost:0,CONTROLLER://localhost:0", "controller.listener.names", "CONTROLLER",
                "listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"), List.of())) {
            // The controller listener carries the metadata quorum's Raft traffic: not bound by the Kafka server, never
            // advertised to clients.
            assertThatThrownBy(() -> broker.broker().boundPort("CONTROLLER"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(broker.broker().advertisedListeners()).extracting(Endpoint::listener)
                    .containsExactly("PLAINTEXT");
        }
    }

    @Test
    void shouldUseAdvertisedListenersWhenConfigured() throws IOException {
        try (TestBroker broker = TestBroker.start(dir,
                Map.of(BrokerConfig.ADVERTISED_LISTENERS, "PLAINTEXT://broker.example:19999"), List.of())) {
            Endpoint endpoint = broker.broker().advertisedListeners().get(0);
            assertThat(endpoint.host()).isEqualTo("broker.example");
            assertThat(endpoint.port()).isEqualTo(19999);
        }
    }

    @Test
    void shouldBindBothLoopbackAddressesForLocalhostOnTheSameEphemeralPort() throws IOException {
        try (TestBroker broker = TestBroker.start(dir);
                Socket ipv4 = new Socket(InetAddress.getByName("127.0.0.1"), broker.port())) {
            assertThat(ipv4.isConnected()).isTrue();
            if (ipv6LoopbackUsable()) {
                try (Socket ipv6 = new Socket(InetAddress.getByName("::1"), broker.port())) {
                    assertThat(ipv6.isConnected()).isTrue();
                }
            }
        }
    }

    private static boolean ipv6LoopbackUsable() {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return probe.isBound();
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void shouldBindTheWildcardAddressForAnEmptyHost() throws IOException {
        try (TestBroker broker = TestBroker.start(dir, Map.of(BrokerConfig.LISTENERS, "PLAINTEXT://:0"), List.of());
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), broker.port())) {
            assertThat(socket.isConnected()).isTrue();
            assertThat(broker.broker().advertisedListeners().get(0).host())
                    .isEqualTo(InetAddress.getLocalHost().getCanonicalHostName());
        }
    }

    @Test
    void shouldRejectAnSslListenerWithoutKeyStoreBeforeOpeningAnything() {
        assertThatThrownBy(
                () -> TestBroker.start(dir, Map.of(BrokerConfig.LISTENERS, "SSL://localhost:0"), List.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("listeners")
                .hasMessageContaining("key store");
    }

    @Test
    void shouldCloseServerThenFamiliesThenMetadataThenStorageOnce() throws IOException {
        List<String> closed = new ArrayList<>();
        TestBroker broker = TestBroker.start(dir, Map.of(), List.of(context -> new HandlerFamily() {
            @Override
            public List<io.brook.broker.api.ApiHandler<?>> handlers() {
                return List.of();
            }

            @Override
            public void close() {
                closed.add("family metadata-open=" + !brokerMetadataClosed(context));
            }
        }));
        int port = broker.port();

        broker.close();
        broker.close();

        assertThat(closed).containsExactly("family metadata-open=true");
        assertThat(broker.metadata().isClosed()).isTrue();
        assertThat(broker.logs().isClosed()).isTrue();
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .isInstanceOf(ConnectException.class);
    }

    private static boolean brokerMetadataClosed(BrokerContext context) {
        return ((io.brook.broker.testing.InMemoryMetadataStore) context.metadata()).isClosed();
    }
}
