package io.brook.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.it.harness.BrookBroker;
import io.brook.it.harness.BrookTest;
import io.brook.it.harness.JavaClients;

/** Kafka's Java AdminClient 4.4 against the broker: topics, configs, partitions, cluster and log dirs. */
@BrookTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdminClientTest {

    private static Admin admin;

    @BeforeAll
    static void connect(BrookBroker broker) {
        admin = JavaClients.admin(broker);
    }

    @AfterAll
    static void disconnect() {
        admin.close(Duration.ofSeconds(10));
    }

    @Test
    void shouldCreateDescribeListAndDeleteTopicsWhenAskedByAdminClient() throws Exception {
        // given
        String topic = JavaClients.uniqueTopic("admin-crud");

        // when
        admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();

        // then
        TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic);
        assertThat(description.partitions()).hasSize(3);
        assertThat(description.topicId()).isNotNull();
        description.partitions().forEach(p -> {
            assertThat(p.leader()).isNotNull();
            assertThat(p.replicas()).hasSize(1);
            assertThat(p.isr()).hasSize(1);
        });
        assertThat(admin.listTopics().names().get()).contains(topic);

        // when
        admin.deleteTopics(Set.of(topic)).all().get();

        // then
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(
                () -> assertThat(admin.listTopics().names().get()).doesNotContain(topic));
        assertThatThrownBy(() -> admin.describeTopics(Set.of(topic)).allTopicNames().get())
                .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void shouldRejectCreateWhenTopicExists() throws Exception {
        // given
        String topic = JavaClients.uniqueTopic("admin-exists");
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();

        // when / then
        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get())
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TopicExistsException.class);
    }

    @Test
    void shouldRejectCreateWhenTopicNameIsInvalid() {
        // given a name with characters Kafka forbids (only [a-zA-Z0-9._-] are legal)
        String invalid = "bad/name:" + JavaClients.uniqueTopic("x");

        // when / then: INVALID_TOPIC_EXCEPTION from the broker
        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic(invalid, 1, (short) 1))).all().get())
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(InvalidTopicException.class);
    }

    @Test
    void shouldDescribeAndIncrementallyAlterTopicConfigsWhenAsked() throws Exception {
        // given
        String topic = JavaClients.uniqueTopic("admin-configs");
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("retention.ms", "3600000"))))
                .all().get();
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);

        // when
        Config config = admin.describeConfigs(Set.of(resource)).all().get().get(resource);

        // then: the topic override and Kafka's defaults for the rest
        assertThat(config.get("retention.ms").value()).isEqualTo("3600000");
        assertThat(config.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(config.get("cleanup.policy").value()).isEqualTo("delete");
        assertThat(config.get("segment.bytes")).isNotNull();
        assertThat(config.get("max.message.bytes")).isNotNull();

        // when
        admin.incrementalAlterConfigs(Map.of(resource, List.of(
                new AlterConfigOp(new ConfigEntry("retention.ms", "7200000"), AlterConfigOp.OpType.SET),
                new AlterConfigOp(new ConfigEntry("segment.bytes", "1048576"), AlterConfigOp.OpType.SET))))
                .all().get();

        // then
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Config altered = admin.describeConfigs(Set.of(resource)).all().get().get(resource);
            assertThat(altered.get("retention.ms").value()).isEqualTo("7200000");
            assertThat(altered.get("segment.bytes").value()).isEqualTo("1048576");
        });

        // when an override is deleted
        admin.incrementalAlterConfigs(Map.of(resource, List.of(
                new AlterConfigOp(new ConfigEntry("retention.ms", ""), AlterConfigOp.OpType.DELETE))))
                .all().get();

        // then it falls back to the default (7 days)
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Config reverted = admin.describeConfigs(Set.of(resource)).all().get().get(resource);
            assertThat(reverted.get("retention.ms").value()).isEqualTo("604800000");
            assertThat(reverted.get("retention.ms").source()).isNotEqualTo(
                    ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        });
    }

    @Test
    void shouldDescribeBrokerConfigsWhenAsked() throws Exception {
        // given
        Node node = admin.describeCluster().nodes().get().iterator().next();
        ConfigResource resource = new ConfigResource(ConfigResource.Type.BROKER, node.idString());

        // when
        Config config = admin.describeConfigs(Set.of(resource)).all().get().get(resource);

        // then
        assertThat(config.entries()).isNotEmpty();
        assertThat(config.get("num.partitions")).isNotNull();
    }

    @Test
    void shouldAddPartitionsWhenCreatePartitionsIsCalled() throws Exception {
        // given
        String topic = JavaClients.uniqueTopic("admin-partitions");
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();

        // when
        admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(4))).all().get();

        // then
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic).partitions()).hasSize(4));
    }

    @Test
    void shouldDescribeOneNodeClusterWithIdAndController() throws Exception {
        // when
        DescribeClusterResult cluster = admin.describeCluster();

        // then
        assertThat(cluster.clusterId().get()).isNotBlank();
        assertThat(cluster.nodes().get()).hasSize(1);
        Node node = cluster.nodes().get().iterator().next();
        assertThat(node.host()).isNotBlank();
        assertThat(cluster.controller().get()).isNotNull();
    }

    @Test
    void shouldDescribeLogDirsWithPartitionSizesWhenTopicHasData(BrookBroker broker) throws Exception {
        // given
        String topic = JavaClients.uniqueTopic("admin-logdirs");
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        try (var producer = JavaClients.producer(broker, Map.of())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, "k", "v".repeat(1000)))
                    .get(30, TimeUnit.SECONDS);
        }
        int nodeId = admin.describeCluster().nodes().get().iterator().next().id();

        // when
        Map<String, LogDirDescription> dirs = admin.describeLogDirs(Set.of(nodeId)).allDescriptions().get()
                .get(nodeId);

        // then
        assertThat(dirs).isNotEmpty();
        TopicPartition partition = new TopicPartition(topic, 0);
        LogDirDescription holder = dirs.values().stream()
                .filter(d -> d.replicaInfos().containsKey(partition)).findFirst()
                .orElseThrow(() -> new AssertionError("no log dir lists " + partition + ": " + dirs));
        assertThat(holder.error()).isNull();
        assertThat(holder.replicaInfos().get(partition).size()).isGreaterThan(1000);
    }
}
