package io.brook.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.it.harness.BrookCluster;
import io.brook.it.harness.BrookClusterTest;
import io.brook.it.harness.ExternalCommand;
import io.brook.it.harness.GroupReader;
import io.brook.it.harness.JavaClients;
import io.brook.it.harness.KafkaTool;
import io.brook.it.harness.ReplicatedLogCheck;
import io.brook.it.harness.SequencedLoad;

/**
 * Adding broker 4 to a running 3-node cluster and moving partitions from brokers {1,2,3} onto {2,3,4} under acks=all
 * load while a consumer group reads, once through Admin.alterPartitionReassignments and once through Kafka's
 * {@code kafka-reassign-partitions} tool; afterwards {@code kafka-topics --describe} shows the new replicas and ISR, no
 * acknowledged record is lost or duplicated, and the group has seen every acknowledged record.
 */
@BrookClusterTest(nodes = 4, controllers = 3, startLater = 4)
@Timeout(value = 360, unit = TimeUnit.SECONDS)
class ReassignmentTest {

    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(90);
    private static final List<Integer> TARGET = List.of(2, 3, 4);

    @Test
    void shouldMoveReplicasUnderLoadWhenReassignedByAdminAndByTool(BrookCluster cluster) throws Exception {
        // given two partitions on {1,2,3} of a 3-node cluster under load
        String topic = JavaClients.uniqueTopic("reassign");
        TopicPartition byAdmin = new TopicPartition(topic, 0);
        TopicPartition byTool = new TopicPartition(topic, 1);
        cluster.createTopic(topic, Map.of(0, List.of(1, 2, 3), 1, List.of(1, 2, 3)),
                Map.of("min.insync.replicas", "2"));
        try (SequencedLoad load = SequencedLoad.start(cluster.clients(), "load", topic, 2, 600, Map.of());
                GroupReader reader = GroupReader.start(cluster.clients(), JavaClients.uniqueGroup("reassign"),
                        topic)) {
            load.awaitMoreAcked(1_000, Duration.ofSeconds(60));
            // and the group reading them (it has joined and fetches from the leader when the replicas move)
            reader.awaitSeen(ReplicatedLogCheck.values(load.acknowledged()), Duration.ofSeconds(60));
            // and broker 4 added to the running cluster, empty
            cluster.addBroker(4);

            // when partition 0 is reassigned through the Admin API
            try (Admin admin = cluster.admin(Duration.ofSeconds(30))) {
                admin.alterPartitionReassignments(
                        Map.of(byAdmin, Optional.of(new NewPartitionReassignment(TARGET)))).all()
                        .get(30, TimeUnit.SECONDS);
                Awaitility.await("reassignment of " + byAdmin + " finished").atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> admin.listPartitionReassignments().reassignments().get(10, TimeUnit.SECONDS)
                                .isEmpty() && isOn(cluster.describe(byAdmin), TARGET));
            }
            load.awaitMoreAcked(500, Duration.ofSeconds(60));

            // and partition 1 through kafka-reassign-partitions
            Path plan = cluster.workDir().resolve("reassignment.json");
            Files.writeString(plan, "{\"version\":1,\"partitions\":[{\"topic\":\"" + topic
                    + "\",\"partition\":1,\"replicas\":[2,3,4]}]}");
            ExternalCommand.Result execute = tool(KafkaTool.REASSIGN_PARTITIONS, "--bootstrap-server",
                    cluster.bootstrapServers(), "--reassignment-json-file", plan.toString(), "--execute");
            assertThat(execute.succeeded()).as(execute.describe()).isTrue();
            Awaitility.await("kafka-reassign-partitions --verify reports completion").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> tool(KafkaTool.REASSIGN_PARTITIONS, "--bootstrap-server", cluster.bootstrapServers(),
                            "--reassignment-json-file", plan.toString(), "--verify").stdout()
                            .contains("Reassignment of partition " + byTool + " is completed"));
            cluster.awaitIsr(byTool, TARGET);
            load.awaitMoreAcked(500, Duration.ofSeconds(60));
            load.stop();

            // then kafka-topics shows leader, replicas and ISR of both partitions on {2,3,4}
            ExternalCommand.Result describe = tool(KafkaTool.TOPIC_COMMAND, "--bootstrap-server",
                    cluster.bootstrapServers(), "--describe", "--topic", topic);
            for (int p = 0; p < 2; p++) {
                assertThat(describe.stdout()).as(describe.describe()).containsPattern("Topic: " + topic
                        + "\\s+Partition: " + p + "\\s+Leader: [234]\\s+Replicas: 2,3,4\\s+Isr: [234],[234],[234]");
            }
            // and no acknowledged record was lost or duplicated by the moves
            ReplicatedLogCheck.verify(cluster.clients(), List.of(byAdmin, byTool), load.acknowledged());
            reader.awaitSeen(ReplicatedLogCheck.values(load.acknowledged()), Duration.ofSeconds(90));
            assertThat(reader.failure()).as("group consumer error").isNull();
            assertThat(load.failedCount()).as("records given up (last: %s)", load.lastFailure()).isZero();
        }
    }

    private static boolean isOn(TopicPartitionInfo info, List<Integer> replicas) {
        return info.replicas().stream().map(Node::id).toList().equals(replicas)
                && info.isr().stream().map(Node::id).sorted().toList().equals(replicas);
    }

    private static ExternalCommand.Result tool(String mainClass, String... args) {
        return KafkaTool.command(mainClass, args).timeout(TOOL_TIMEOUT).run();
    }
}
