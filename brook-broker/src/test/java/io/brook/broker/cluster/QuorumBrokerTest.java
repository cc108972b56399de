package io.brook.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.ElectionNotNeededException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.brook.broker.Broker;
import io.brook.broker.config.BrokerConfig;
import io.brook.broker.testing.RawKafkaClient;
import io.brook.metadata.LocalMetadataStore;
import io.brook.metadata.TopicImage;
import io.brook.metadata.cluster.MetadataCommand;
import io.brook.metadata.cluster.QuorumMetadataStore;

/** Real brokers on the metadata quorum in this JVM, driven by the Java Admin client. */
@Timeout(120)
class QuorumBrokerTest {

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private Broker start(Map<String, String> props) throws IOException {
        Broker broker = Broker.start(BrokerConfig.parse(props));
        open.add(broker);
        return broker;
    }

    private Broker singleNode(Path data) throws IOException {
        return start(Map.of(BrokerConfig.LISTENERS, "PLAINTEXT://localhost:0,CONTROLLER://localhost:0",
                BrokerConfig.LOG_DIR, data.toString()));
    }

    private Admin admin(Broker broker) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + broker.boundPort("PLAINTEXT"));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        Admin admin = Admin.create(props);
        open.add(admin);
        return admin;
    }

    @Test
    void shouldServeASingleNodeFromTheQuorumWhenStartedWithDefaults() throws Exception {
        Broker broker = singleNode(dir);
        Admin admin = admin(broker);

        admin.createTopics(List.of(new NewTopic("orders", 3, (short) 1))).all().get(30, TimeUnit.SECONDS);

        TopicDescription orders = admin.describeTopics(List.of("orders")).allTopicNames().get().get("orders");
        assertThat(orders.partitions()).hasSize(3).allSatisfy(p -> {
            assertThat(p.leader().id()).isEqualTo(1);
            assertThat(p.replicas()).extracting(Node::id).containsExactly(1);
            assertThat(p.isr()).extracting(Node::id).containsExactly(1);
        });
        assertThat(admin.describeCluster().controller().get().id()).isEqualTo(1);
        assertThat(admin.describeCluster().nodes().get()).extracting(Node::id).containsExactly(1);
        assertThat(broker.quorumStatus()).hasValueSatisfying(s -> assertThat(s.leaderId()).hasValue(1));
        assertThat(broker.context().metadata().image().broker(1)).hasValueSatisfying(b -> {
            assertThat(b.fenced()).isFalse();
            assertThat(b.endpoints()).extracting(e -> e.listener()).containsExactly("PLAINTEXT");
        });
    }

    @Test
    void shouldKeepTopicsAndLeadAgainWhenRestarted() throws Exception {
        Broker broker = singleNode(dir);
        admin(broker).createTopics(List.of(new NewTopic("orders", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        TopicImage before = broker.context().metadata().image().topic("orders").orElseThrow();
        broker.close();

        Broker restarted = singleNode(dir);

        TopicImage after = restarted.context().metadata().image().topic("orders").orElseThrow();
        assertThat(after.id()).isEqualTo(before.id());
        assertThat(after.partitions().values()).allSatisfy(p -> {
            assertThat(p.leader()).isEqualTo(1);
            // The controlled shutdown took leadership away and the restart gave it back: two leader changes.
            assertThat(p.leaderEpoch()).isGreaterThan(before.partition(0).orElseThrow().leaderEpoch());
        });
        assertThat(admin(restarted).describeTopics(List.of("orders")).allTopicNames().get().get("orders")
                .partitions()).allSatisfy(p -> assertThat(p.leader().id()).isEqualTo(1));
    }

    @Test
    void shouldRegisterAgainWhenTheControllerForgetsTheBroker() throws Exception {
        Path metadataDir = dir.resolve("metadata");
        Broker broker = start(Map.of(BrokerConfig.LISTENERS, "PLAINTEXT://localhost:0,CONTROLLER://localhost:0",
                BrokerConfig.LOG_DIR, dir.resolve("logs").toString(), BrokerConfig.METADATA_LOG_DIR,
                metadataDir.toString(), BrokerConfig.BROKER_HEARTBEAT_INTERVAL_MS, "100"));
        assertThat(metadataDir.resolve(QuorumMetadataOpener.QUORUM_DIR)).isDirectory();
        QuorumMetadataStore store = (QuorumMetadataStore) broker.context().metadata();
        long epoch = store.image().broker(1).orElseThrow().epoch();

        store.submit(new MetadataCommand.UnregisterBroker(1)).get(10, TimeUnit.SECONDS);

        // Its next heartbeat answers BROKER_ID_NOT_REGISTERED: it registers again and is unfenced again.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(store.image().broker(1))
                .hasValueSatisfying(b -> {
                    assertThat(b.epoch()).isGreaterThan(epoch);
                    assertThat(b.fenced()).isFalse();
                }));
    }

    @Test
    void shouldImportSingleNodeMetadataOnceWhenUpgrading() throws Exception {
        Path legacy = dir.resolve(Broker.METADATA_DIR);
        TopicImage legacyTopic;
        long nextProducerId;
        try (LocalMetadataStore old = LocalMetadataStore.open(legacy, Time.SYSTEM)) {
            legacyTopic = old.createTopic("legacy", 4, (short) 1, Map.of("cleanup.policy", "compact"));
            nextProducerId = old.allocateProducerIds(1000) + 1000;
        }

        Broker broker = singleNode(dir);

        TopicImage imported = broker.context().metadata().image().topic("legacy").orElseThrow();
        assertThat(imported.id()).isEqualTo(legacyTopic.id());
        assertThat(imported.configs()).containsEntry("cleanup.policy", "compact");
        assertThat(imported.partitions().values()).hasSize(4).allSatisfy(p -> assertThat(p.leader()).isEqualTo(1));
        assertThat(broker.context().metadata().allocateProducerIds(1000)).isGreaterThanOrEqualTo(nextProducerId);

        // Deleting the topic and restarting must not bring it back from the old file.
        Admin admin = admin(broker);
        admin.deleteTopics(List.of("legacy")).all().get(30, TimeUnit.SECONDS);
        broker.close();
        Broker restarted = singleNode(dir);
        assertThat(restarted.context().metadata().image().topic("legacy")).isEmpty();
    }

    @Test
    void shouldDescribeAThreeBrokerClusterAndRunItsAdminApis() throws Exception {
        int[] raft = {freePort(), freePort(), freePort()};
        String voters = "1@localhost:" + raft[0] + ",2@localhost:" + raft[1] + ",3@localhost:" + raft[2];
        List<Broker> brokers = new ArrayList<>();
        List<Thread> starters = new ArrayList<>();
        Broker[] started = new Broker[3];
        for (int i = 0; i < 3; i++) {
            int id = i + 1;
            Map<String, String> props = new HashMap<>();
            props.put(BrokerConfig.NODE_ID, Integer.toString(id));
            props.put(BrokerConfig.CONTROLLER_QUORUM_VOTERS, voters);
            props.put(BrokerConfig.LISTENERS, "PLAINTEXT://localhost:0,CONTROLLER://localhost:" + raft[i]);
            props.put(BrokerConfig.LOG_DIR, dir.resolve("node-" + id).toString());
            props.put(BrokerConfig.BROKER_RACK, "rack-" + id);
            props.put(BrokerConfig.CONTROLLER_QUORUM_ELECTION_TIMEOUT_MS, "500");
            props.put(BrokerConfig.CONTROLLER_QUORUM_REQUEST_TIMEOUT_MS, "5000");
            // Brokers start together, as a cluster's processes do: each waits for the quorum.
            Thread starter = new Thread(() -> {
                try {
                    started[id - 1] = Broker.start(BrokerConfig.parse(props));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            starter.start();
            starters.add(starter);
        }
        for (Thread starter : starters) {
            starter.join(TimeUnit.SECONDS.toMillis(60));
        }
        for (Broker broker : started) {
            assertThat(broker).as("every broker started").isNotNull();
            brokers.add(broker);
            open.add(broker);
        }
        Admin admin = admin(brokers.get(1));

        assertThat(admin.describeCluster().nodes().get()).extracting(Node::id, Node::rack)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(1, "rack-1"),
                        org.assertj.core.groups.Tuple.tuple(2, "rack-2"),
                        org.assertj.core.groups.Tuple.tuple(3, "rack-3"));
        int leader = ((QuorumMetadataStore) brokers.get(0).context().metadata()).quorum().leaderId().orElseThrow();
        assertThat(admin.describeCluster().controller().get().id()).isEqualTo(leader);

        admin.createTopics(List.of(new NewTopic("replicated", 3, (short) 3))).all().get(30, TimeUnit.SECONDS);
        TopicDescription replicated = admin.describeTopics(List.of("replicated")).allTopicNames().get()
                .get("replicated");
        assertThat(replicated.partitions()).allSatisfy(p -> {
            assertThat(p.replicas()).extracting(Node::id).containsExactlyInAnyOrder(1, 2, 3);
            assertThat(p.leader().id()).isEqualTo(p.replicas().get(0).id());
        });
        ExecutionException tooMany = org.assertj.core.api.Assertions.catchThrowableOfType(ExecutionException.class,
                () -> admin.createTopics(List.of(new NewTopic("too-many", 1, (short) 4))).all().get());
        assertThat(tooMany).hasCauseInstanceOf(InvalidReplicationFactorException.class);

        TopicPartition p0 = new TopicPartition("replicated", 0);
        assertThat(admin.electLeaders(ElectionType.PREFERRED, Set.of(p0)).partitions().get().get(p0))
                .hasValueSatisfying(e -> assertThat(e).isInstanceOf(ElectionNotNeededException.class));

        List<Integer> current = replicated.partitions().get(0).replicas().stream().map(Node::id).toList();
        List<Integer> reversed = new ArrayList<>(current);
        java.util.Collections.reverse(reversed);
        admin.alterPartitionReassignments(Map.of(p0, Optional.of(new NewPartitionReassignment(reversed)))).all()
                .get(30, TimeUnit.SECONDS);
        // Same replica set in another order: nothing to copy, so it completes at once with the new order.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            TopicPartitionInfo info = admin.describeTopics(List.of("replicated")).allTopicNames().get()
                    .get("replicated").partitions().get(0);
            assertThat(info.replicas()).extracting(Node::id).containsExactlyElementsOf(reversed);
        });
        assertThat(admin.listPartitionReassignments().reassignments().get()).isEmpty();

        // offsets.topic.replication.factor (3) is honoured in a cluster; the coordinator is the offsets partition's
        // leader.
        Node coordinator = admin.describeConsumerGroups(List.of("g")).describedGroups().get("g").get(30,
                TimeUnit.SECONDS).coordinator();
        TopicImage offsets = brokers.get(0).context().metadata().image().topic("__consumer_offsets").orElseThrow();
        assertThat(offsets.replicationFactor()).isEqualTo((short) 3);
        int partition = Math.abs("g".hashCode()) % offsets.partitionCount();
        assertThat(coordinator.id()).isEqualTo(offsets.partition(partition).orElseThrow().leader());
        // Every broker names that coordinator, not only its leader: a client asks whichever broker it picks (the
        // Admin client its least-loaded connected node), so the answer must not depend on which one that is.
        for (Broker broker : brokers) {
            try (RawKafkaClient raw = new RawKafkaClient(broker.boundPort("PLAINTEXT"))) {
                FindCoordinatorRequest request = new FindCoordinatorRequest.Builder(new FindCoordinatorRequestData()
                        .setKeyType((byte) 0).setCoordinatorKeys(List.of("g"))).build((short) 4);
                FindCoordinatorResponse response = (FindCoordinatorResponse) raw.receive(raw.send(request, 1));
                assertThat(response.data().coordinators()).as("broker %d", broker.context().nodeId())
                        .singleElement().satisfies(c -> {
                            assertThat(c.errorCode()).isZero();
                            assertThat(c.nodeId()).isEqualTo(coordinator.id());
                        });
            }
        }
    }

    static int freePort() {
        return io.brook.broker.testing.TestPorts.free();
    }
}
