package io.brook.metadata.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.brook.metadata.Endpoint;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.TopicImage;
import io.brook.metadata.quorum.QuorumConfig;
import io.brook.metadata.quorum.QuorumVoters;
import io.brook.metadata.quorum.TestPorts;

@Timeout(60)
class QuorumMetadataStoreTest {

    private static final Duration ELECTION = Duration.ofMillis(500);

    @TempDir
    Path dir;

    private final List<QuorumMetadataStore> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        for (QuorumMetadataStore store : open) {
            store.close();
        }
    }

    private QuorumMetadataStore start(int nodeId, QuorumVoters voters, Settings settings) throws IOException {
        QuorumConfig config = QuorumConfig.voter(nodeId, voters, dir.resolve("node-" + nodeId))
                .withElectionTimeout(ELECTION).withRequestTimeout(Duration.ofSeconds(3));
        QuorumMetadataStore store = QuorumMetadataStore.start(config, settings.value, Time.SYSTEM);
        open.add(store);
        return store;
    }

    private enum Settings {
        NORMAL(new QuorumMetadataStore.Settings(Duration.ofSeconds(10), 9000, 2000)), SHORT_SESSION(
                new QuorumMetadataStore.Settings(Duration.ofSeconds(10), 600, 100)), SHORT_OPERATION(
                        new QuorumMetadataStore.Settings(Duration.ofMillis(800), 9000, 2000));

        final QuorumMetadataStore.Settings value;

        Settings(QuorumMetadataStore.Settings value) {
            this.value = value;
        }
    }

    private QuorumMetadataStore singleNode() throws IOException {
        return singleNode(QuorumVoters.parse("1@127.0.0.1:" + freePort()));
    }

    private QuorumMetadataStore singleNode(QuorumVoters voters) throws IOException {
        QuorumMetadataStore store = start(1, voters, Settings.NORMAL);
        store.awaitReady(Duration.ofSeconds(20));
        return store;
    }

    /** Registers and unfences broker {@code id} through the store's submit, as BrokerLifecycle does. */
    private static long registerAndUnfence(QuorumMetadataStore store, int id) throws Exception {
        CommandReply reply = store.registerBroker(new MetadataCommand.RegisterBroker(id, Uuid.randomUuid(),
                List.of(new Endpoint("PLAINTEXT", "localhost", 9092 + id, "PLAINTEXT")), null))
                .get(10, TimeUnit.SECONDS);
        long epoch = MetadataRequests.orThrow(reply, CommandReply.BrokerRegistered.class).brokerEpoch();
        MetadataRequests.orThrow(store.submit(new MetadataCommand.UnfenceBroker(id, epoch)).get(10, TimeUnit.SECONDS),
                CommandReply.Done.class);
        return epoch;
    }

    @Test
    void shouldShowCreatedTopicWithRegistrationsWhenCreateReturns() throws Exception {
        QuorumMetadataStore store = singleNode();
        registerAndUnfence(store, 1);

        TopicImage created = store.createTopic("orders", 3, (short) 1, Map.of("cleanup.policy", "compact"));

        assertThat(store.image().topic("orders")).contains(created);
        assertThat(created.partitions()).hasSize(3);
        PartitionRegistration p0 = created.partition(0).orElseThrow();
        assertThat(p0.leader()).isEqualTo(1);
        assertThat(p0.replicas()).containsExactly(1);
        assertThat(p0.isr()).containsExactly(1);
        assertThat(created.configs()).containsEntry("cleanup.policy", "compact");
    }

    @Test
    void shouldThrowTheControllersErrorWhenACommandIsRefused() throws Exception {
        QuorumMetadataStore store = singleNode();
        registerAndUnfence(store, 1);
        store.createTopic("orders", 1, (short) 1, Map.of());

        assertThatThrownBy(() -> store.createTopic("orders", 1, (short) 1, Map.of()))
                .isInstanceOf(TopicExistsException.class);
        assertThatThrownBy(() -> store.createTopic("replicated", 1, (short) 2, Map.of()))
                .isInstanceOf(InvalidReplicationFactorException.class);
        assertThatThrownBy(() -> store.alterTopicConfigs("orders", Map.of("cleanup.policy", Optional.of("nope")),
                false, false)).isInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void shouldChangeNothingWhenValidateOnly() throws Exception {
        QuorumMetadataStore store = singleNode();
        registerAndUnfence(store, 1);
        store.createTopic("orders", 1, (short) 1, Map.of());
        MetadataImage before = store.image();

        store.validateCreateTopic("other", 2, (short) 1, Map.of());
        store.createPartitions("orders", 4, true);
        store.alterTopicConfigs("orders", Map.of("retention.ms", Optional.of("1000")), false, true);
        store.alterBrokerConfigs(Map.of("log.retention.ms", Optional.of("1000")), false, true);
        assertThatThrownBy(() -> store.validateCreateTopic("orders", 1, (short) 1, Map.of()))
                .isInstanceOf(TopicExistsException.class);

        assertThat(store.image()).isSameAs(before);
    }

    @Test
    void shouldCallListenersWithPreviousAndCurrentImage() throws Exception {
        QuorumMetadataStore store = singleNode();
        registerAndUnfence(store, 1);
        assertThat(store.awaitListeners(Duration.ofSeconds(10))).isTrue();
        List<String> seen = new CopyOnWriteArrayList<>();
        store.addListener((previous, current) -> seen.add(previous.topicsByName().keySet() + "->"
                + current.topicsByName().keySet()));

        store.createTopic("orders", 1, (short) 1, Map.of());

        assertThat(seen).containsExactly("[]->[orders]");
    }

    @Test
    void shouldAnswerACommittedCreationBeforeTheListenersHaveIt() throws Exception {
        QuorumMetadataStore store = singleNode();
        registerAndUnfence(store, 1);
        assertThat(store.awaitListeners(Duration.ofSeconds(10))).isTrue();
        CountDownLatch listenerMayGoOn = new CountDownLatch(1);
        List<String> delivered = new CopyOnWriteArrayList<>();
        store.addListener((previous, current) -> {
            try {
                listenerMayGoOn.await(20, TimeUnit.SECONDS); // a node still creating the new topic's logs
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            delivered.addAll(current.topicsByName().keySet());
        });
        try {
            TopicImage created = store.createTopicCommitted("orders", 3, (short) 1, Map.of());

            assertThat(store.image().topic("orders")).contains(created);
            assertThat(delivered).as("listeners still busy").isEmpty();
        } finally {
            listenerMayGoOn.countDown();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.contains("orders"));
    }

    @Test
    void shouldNeverHandOutAProducerIdTwiceAcrossRestartsWhenTheNodeCrashed() throws Exception {
        QuorumVoters voters = QuorumVoters.parse("1@127.0.0.1:" + freePort());
        QuorumMetadataStore store = singleNode(voters);
        registerAndUnfence(store, 1);
        long first = store.allocateProducerIds(1000);
        long second = store.allocateProducerIds(1000);
        assertThat(second).isEqualTo(first + 1000);
        store.close();
        open.remove(store);

        QuorumMetadataStore restarted = singleNode(voters);
        registerAndUnfence(restarted, 1);

        assertThat(restarted.allocateProducerIds(1000)).isEqualTo(second + 1000);
    }

    @Test
    void shouldTimeOutWithRetriableErrorWhenNoMajority() throws Exception {
        QuorumVoters voters = QuorumVoters.parse("1@127.0.0.1:" + freePort() + ",2@127.0.0.1:" + freePort()
                + ",3@127.0.0.1:" + freePort());
        QuorumMetadataStore alone = start(1, voters, Settings.SHORT_OPERATION);

        assertThatThrownBy(() -> alone.createTopic("orders", 1, (short) 1, Map.of()))
                .isInstanceOf(TimeoutException.class);
        assertThat(alone.image().topicsByName()).isEmpty();
    }

    @Test
    void shouldServeTheStoreApiFromEveryNodeOfThreeVoters() throws Exception {
        QuorumVoters voters = QuorumVoters.parse("1@127.0.0.1:" + freePort() + ",2@127.0.0.1:" + freePort()
                + ",3@127.0.0.1:" + freePort());
        List<QuorumMetadataStore> nodes = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            nodes.add(start(id, voters, Settings.SHORT_SESSION));
        }
        for (QuorumMetadataStore node : nodes) {
            node.awaitReady(Duration.ofSeconds(30));
        }
        for (int id = 1; id <= 3; id++) {
            registerAndUnfence(nodes.get(id - 1), id);
        }
        QuorumMetadataStore follower = nodes.stream().filter(n -> !n.quorum().isLeader()).findFirst().orElseThrow();

        TopicImage created = follower.createTopic("orders", 6, (short) 3, Map.of());

        assertThat(created.partitions().values()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
        for (QuorumMetadataStore node : nodes) {
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(node.image().topic("orders")).contains(created));
        }
        assertThat(nodes.get(1).image().voters()).isEqualTo(java.util.Set.of(1, 2, 3));
        // Nobody heartbeats here, so the active controller fences every broker once its session expires.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(follower.image().brokers().values())
                .allSatisfy(b -> assertThat(b.fenced()).isTrue()));
        assertThat(follower.image().topic("orders").orElseThrow().partitions().values())
                .allSatisfy(p -> assertThat(p.hasLeader()).isFalse());
    }

    static int freePort() {
        return TestPorts.free();
    }
}
