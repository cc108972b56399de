package io.brook.metadata.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.TopicImage;
import io.brook.metadata.cluster.MetadataCommand.NewTopic;
import io.brook.metadata.cluster.MetadataCommand.PartitionsIncrease;

class TopicControlTest {

    private final ClusterContext cluster = new ClusterContext().brokers(1, 2, 3);

    @Test
    void shouldCreateTopicWithFullIsrAndPreferredLeadersWhenBrokersSuffice() {
        CommandReply.TopicResult result = cluster.createTopic("orders", 6, 3, 11);

        assertThat(result.error()).isEqualTo(Errors.NONE);
        TopicImage topic = cluster.image().topic("orders").orElseThrow();
        assertThat(topic.id()).isEqualTo(result.topicId());
        assertThat(topic.partitions()).hasSize(6);
        assertThat(topic.partitions().values()).allSatisfy(p -> {
            assertThat(p.replicas()).hasSize(3);
            assertThat(p.isr()).isEqualTo(p.replicas());
            assertThat(p.leader()).isEqualTo(p.preferredLeader());
            assertThat(p.leaderEpoch()).isZero();
        });
        assertThat(cluster.image().topic(result.topicId())).contains(topic);
    }

    @Test
    void shouldRefuseInvalidTopicsWithTheSingleNodeStoresErrors() {
        cluster.createTopic("taken", 1, 1, 0);

        assertThat(cluster.createTopic("bad/name", 1, 1, 0).error()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
        assertThat(cluster.createTopic("taken", 1, 1, 0).error()).isEqualTo(Errors.TOPIC_ALREADY_EXISTS);
        assertThat(cluster.createTopic("zero", 0, 1, 0).error()).isEqualTo(Errors.INVALID_PARTITIONS);
        assertThat(cluster.createTopic("norf", 1, 0, 0).error()).isEqualTo(Errors.INVALID_REPLICATION_FACTOR);
        assertThat(cluster.createTopic(new NewTopic("conf", Uuid.randomUuid(), 1, (short) 1, Map.of(),
                Map.of("cleanup.policy", "sometimes")), 0).error()).isEqualTo(Errors.INVALID_CONFIG);
        assertThat(cluster.image().topicsByName()).containsOnlyKeys("taken");
    }

    @Test
    void shouldRefuseReplicationFactorAboveUnfencedBrokers() {
        cluster.fence(3);

        CommandReply.TopicResult result = cluster.createTopic("t", 1, 3, 0);

        assertThat(result.error()).isEqualTo(Errors.INVALID_REPLICATION_FACTOR);
        assertThat(result.message()).contains("only 2 broker(s) are registered");
    }

    @Test
    void shouldNeverPlaceReplicasOnFencedBrokers() {
        cluster.fence(2);

        cluster.createTopic("t", 8, 2, 5);

        assertThat(cluster.image().topic("t").orElseThrow().partitions().values())
                .allSatisfy(p -> assertThat(p.replicas()).containsExactlyInAnyOrder(1, 3));
    }

    @Test
    void shouldHonourManualAssignmentsAndValidateThemAsKafkaDoes() {
        cluster.createTopicWithReplicas("manual", List.of(List.of(3, 1), List.of(2, 3)));
        assertThat(cluster.partition("manual", 0).replicas()).containsExactly(3, 1);
        assertThat(cluster.partition("manual", 0).leader()).isEqualTo(3);

        assertThat(manual(Map.of(0, List.of(1)), 1).error()).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(manual(Map.of(0, List.of(1, 9)), -1).error()).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
        assertThat(manual(Map.of(0, List.of(1, 1)), -1).error()).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
        assertThat(manual(Map.of(1, List.of(1)), -1).error()).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
        assertThat(manual(Map.of(0, List.of(1), 1, List.of(1, 2)), -1).error())
                .isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
    }

    @Test
    void shouldStartManualPartitionsWithOnlyUnfencedReplicasInIsr() {
        cluster.fence(1);

        cluster.createTopicWithReplicas("m", List.of(List.of(1, 2)));

        assertThat(cluster.partition("m", 0).isr()).containsExactly(2);
        assertThat(cluster.partition("m", 0).leader()).isEqualTo(2);
        assertThat(manual(Map.of(0, List.of(1)), -1).error()).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
    }

    @Test
    void shouldDeleteTopicsByIdAndReportUnknownIds() {
        Uuid id = cluster.createTopic("gone", 1, 1, 0).topicId();
        Uuid unknown = Uuid.randomUuid();

        CommandReply.TopicResults results = cluster.ok(new MetadataCommand.DeleteTopics(List.of(id, unknown)),
                CommandReply.TopicResults.class);

        assertThat(results.topics()).extracting(CommandReply.TopicResult::error).containsExactly(Errors.NONE,
                Errors.UNKNOWN_TOPIC_ID);
        assertThat(cluster.image().topicsByName()).isEmpty();
        assertThat(cluster.image().topicsById()).isEmpty();
    }

    @Test
    void shouldAddPartitionsContinuingTheStripeOrFromManualAssignments() {
        cluster.createTopic("grow", 2, 2, 3);

        CommandReply.TopicResults results = cluster.ok(new MetadataCommand.CreatePartitions(List.of(
                new PartitionsIncrease("grow", 5, null)), 4), CommandReply.TopicResults.class);
        CommandReply.TopicResults manual = cluster.ok(new MetadataCommand.CreatePartitions(List.of(
                new PartitionsIncrease("grow", 6, List.of(List.of(3, 2)))), 4), CommandReply.TopicResults.class);

        assertThat(results.topics().get(0).error()).isEqualTo(Errors.NONE);
        assertThat(manual.topics().get(0).error()).isEqualTo(Errors.NONE);
        TopicImage topic = cluster.image().topic("grow").orElseThrow();
        assertThat(topic.partitionCount()).isEqualTo(6);
        assertThat(topic.partitions().values()).allSatisfy(p -> assertThat(p.replicas()).hasSize(2));
        assertThat(cluster.partition("grow", 5).replicas()).containsExactly(3, 2);
    }

    @Test
    void shouldRefuseInvalidPartitionIncreases() {
        cluster.createTopic("t", 2, 2, 3);

        assertThat(increase(new PartitionsIncrease("t", 2, null))).isEqualTo(Errors.INVALID_PARTITIONS);
        assertThat(increase(new PartitionsIncrease("t", 1, null))).isEqualTo(Errors.INVALID_PARTITIONS);
        assertThat(increase(new PartitionsIncrease("nope", 3, null))).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(increase(new PartitionsIncrease("t", 4, List.of(List.of(1, 2)))))
                .isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
        assertThat(increase(new PartitionsIncrease("t", 3, List.of(List.of(1)))))
                .isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
        assertThat(cluster.image().topic("t").orElseThrow().partitionCount()).isEqualTo(2);
    }

    @Test
    void shouldAlterTopicAndBrokerConfigsIncrementallyOrReplacingAll() {
        cluster.createTopic(new NewTopic("c", Uuid.randomUuid(), 1, (short) 1, Map.of(),
                Map.of("retention.ms", "1000", "cleanup.policy", "compact")), 0);

        cluster.ok(new MetadataCommand.AlterTopicConfigs("c", Map.of("retention.ms", "2000"), List.of("cleanup.policy"),
                false), CommandReply.Done.class);
        assertThat(cluster.image().topic("c").orElseThrow().configs()).containsExactly(Map.entry("retention.ms",
                "2000"));
        cluster.ok(new MetadataCommand.AlterTopicConfigs("c", Map.of("segment.ms", "60000"), List.of(), true),
                CommandReply.Done.class);
        assertThat(cluster.image().topic("c").orElseThrow().configs()).containsExactly(Map.entry("segment.ms",
                "60000"));
        assertThat(cluster.error(new MetadataCommand.AlterTopicConfigs("c", Map.of("retention.ms", "x"), List.of(),
                false))).isEqualTo(Errors.INVALID_CONFIG);
        assertThat(cluster.error(new MetadataCommand.AlterTopicConfigs("missing", Map.of(), List.of(), false)))
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);

        cluster.ok(new MetadataCommand.AlterBrokerConfigs(Map.of("log.retention.ms", "5000"), List.of(), false),
                CommandReply.Done.class);
        assertThat(cluster.image().brokerConfigs()).containsExactly(Map.entry("log.retention.ms", "5000"));
        assertThat(cluster.error(new MetadataCommand.AlterBrokerConfigs(Map.of("num.partitions", "3"), List.of(),
                false))).isEqualTo(Errors.INVALID_REQUEST);
    }

    @Test
    void shouldImportASingleNodeStateKeepingTopicIds() {
        ClusterContext fresh = new ClusterContext();
        Uuid id = Uuid.randomUuid();

        fresh.ok(new MetadataCommand.ImportLegacyMetadata(1, List.of(new MetadataCommand.LegacyTopic("old", id, 2,
                Map.of("retention.ms", "1"))), Map.of("log.retention.ms", "9"), 5000), CommandReply.Done.class);
        assertThat(fresh.image().topic(id).orElseThrow().name()).isEqualTo("old");
        assertThat(fresh.partition("old", 1)).isEqualTo(PartitionRegistration.initial(List.of(1), List.of(1),
                PartitionRegistration.NO_LEADER));
        assertThat(fresh.image().nextProducerId()).isEqualTo(5000);

        fresh.brokers(1);
        assertThat(fresh.partition("old", 0).leader()).isEqualTo(1);
        assertThat(fresh.error(new MetadataCommand.ImportLegacyMetadata(1, List.of(), Map.of(), 0)))
                .isEqualTo(Errors.INVALID_REQUEST);
    }

    private CommandReply.TopicResult manual(Map<Integer, List<Integer>> assignments, int numPartitions) {
        return cluster.createTopic(new NewTopic("m" + assignments.hashCode() + numPartitions, Uuid.randomUuid(),
                numPartitions, (short) -1, assignments, Map.of()), 0);
    }

    private Errors increase(PartitionsIncrease increase) {
        return cluster.ok(new MetadataCommand.CreatePartitions(List.of(increase), 0), CommandReply.TopicResults.class)
                .topics().get(0).error();
    }
}
