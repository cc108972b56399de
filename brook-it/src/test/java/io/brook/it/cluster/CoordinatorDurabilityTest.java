package io.brook.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.it.harness.BrookCluster;
import io.brook.it.harness.BrookClusterTest;
import io.brook.it.harness.FastFailureDetection;
import io.brook.it.harness.JavaClients;

/**
 * The group coordinator acknowledges a write only once every in-sync replica of its {@code __consumer_offsets}
 * partition has it (RF=3 here, as {@code offsets.topic.replication.factor} defaults to): an acknowledged offset commit
 * survives kill -9 of the coordinator right after the acknowledgement, and a commit while the ISR is below
 * {@code min.insync.replicas} fails with an error the client retries, never succeeds.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CoordinatorDurabilityTest {

    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorDurabilityTest.class);
    private static final int OFFSETS_PARTITIONS = 3;

    @Test
    @BrookClusterTest(nodes = 3, overrides = {"offsets.topic.num.partitions=" + OFFSETS_PARTITIONS,
            "min.insync.replicas=2", FastFailureDetection.SESSION_TIMEOUT, FastFailureDetection.HEARTBEAT_INTERVAL})
    void shouldKeepAnAcknowledgedCommitWhenTheCoordinatorIsKilledRightAfterIt(BrookCluster cluster) {
        // given a group whose __consumer_offsets partition has three in-sync replicas
        String topic = JavaClients.uniqueTopic("durable");
        cluster.createTopic(topic, 1, 3, Map.of());
        TopicPartition partition = new TopicPartition(topic, 0);
        String group = JavaClients.uniqueGroup("durable");
        TopicPartition offsetsPartition = offsetsPartitionOf(group);
        long lastAcknowledged;
        int coordinator;
        try (KafkaConsumer<String, String> consumer = JavaClients.groupConsumer(cluster.clients(), group, Map.of())) {
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(1)), Duration.ofSeconds(60));
            cluster.awaitFullIsr(Topic.GROUP_METADATA_TOPIC_NAME);
            assertThat(cluster.describe(offsetsPartition).replicas()).hasSize(3);
            coordinator = cluster.leaderOf(offsetsPartition);

            // when commits are acknowledged one after another and the coordinator is killed right after the last
            lastAcknowledged = 1;
            for (long offset = 2; offset <= 100; offset++) {
                consumer.commitSync(Map.of(partition, new OffsetAndMetadata(offset)), Duration.ofSeconds(30));
                lastAcknowledged = offset;
            }
            cluster.kill(coordinator);
        }

        // then the new coordinator answers with the last acknowledged offset
        int successor = cluster.awaitLeader(offsetsPartition, Set.of(coordinator));
        LOG.info("Killed coordinator {} after commit {}; {} leads {} now", coordinator, lastAcknowledged, successor,
                offsetsPartition);
        assertThat(JavaClients.committedOffsets(cluster.clients(), group)).containsEntry(partition, lastAcknowledged);
    }

    @Test
    @BrookClusterTest(nodes = 3, overrides = {"offsets.topic.num.partitions=" + OFFSETS_PARTITIONS,
            "min.insync.replicas=3", "replica.lag.time.max.ms=3000", FastFailureDetection.SESSION_TIMEOUT,
            FastFailureDetection.HEARTBEAT_INTERVAL})
    void shouldRefuseACommitWithARetriableErrorWhileTheIsrIsBelowMinInsyncReplicas(BrookCluster cluster) {
        // given a group committed to once while its __consumer_offsets partition had all three replicas in sync
        String topic = JavaClients.uniqueTopic("minisr");
        cluster.createTopic(topic, 1, 3, Map.of("min.insync.replicas", "1"));
        TopicPartition partition = new TopicPartition(topic, 0);
        String group = JavaClients.uniqueGroup("minisr");
        TopicPartition offsetsPartition = offsetsPartitionOf(group);
        try (KafkaConsumer<String, String> consumer = JavaClients.groupConsumer(cluster.clients(), group, Map.of())) {
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(1)), Duration.ofSeconds(60));
            cluster.awaitFullIsr(Topic.GROUP_METADATA_TOPIC_NAME);
            int coordinator = cluster.leaderOf(offsetsPartition);
            List<Integer> replicas = cluster.describe(offsetsPartition).replicas().stream().map(Node::id).toList();
            int follower = replicas.stream().filter(id -> id != coordinator).findFirst().orElseThrow();

            // when a follower dies and the ISR shrinks to two, below min.insync.replicas=3
            cluster.kill(follower);
            cluster.awaitIsr(offsetsPartition, replicas.stream().filter(id -> id != follower).toList());

            // then a commit fails with an error the client retries (until its own timeout), and changed nothing
            assertThatThrownBy(() -> consumer.commitSync(Map.of(partition, new OffsetAndMetadata(2)),
                    Duration.ofSeconds(3))).isInstanceOf(RetriableException.class);
            assertThat(JavaClients.committedOffsets(cluster.clients(), group)).containsEntry(partition, 1L);

            // and once the follower is back in the ISR, commits succeed again
            cluster.restart(follower);
            cluster.awaitIsr(offsetsPartition, replicas);
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(3)), Duration.ofSeconds(60));
            assertThat(JavaClients.committedOffsets(cluster.clients(), group)).containsEntry(partition, 3L);
        }
    }

    private static TopicPartition offsetsPartitionOf(String group) {
        return new TopicPartition(Topic.GROUP_METADATA_TOPIC_NAME, Utils.abs(group.hashCode()) % OFFSETS_PARTITIONS);
    }
}
