package io.brook.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.it.harness.BrookCluster;
import io.brook.it.harness.BrookClusterTest;
import io.brook.it.harness.JavaClients;

/**
 * A measurement, not a speed assertion: the time a 3-node cluster takes to create 1,000 RF=3 partitions (CreateTopics
 * until Metadata shows a leader and a full ISR for every one of them), logged as a figure for the cluster issue.
 */
@BrookClusterTest(nodes = 3)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@Disabled("Issue 4, not passing yet: one CreateTopics of 1,000 partitions outlasts the 2 s quorum request timeout, because every node creates the logs on the metadata apply thread")
class PartitionCreationBenchmarkTest {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionCreationBenchmarkTest.class);
    private static final int PARTITIONS = 1_000;

    @Test
    void shouldCreateAThousandReplicatedPartitionsAndReportTheTime(BrookCluster cluster) throws Exception {
        String topic = JavaClients.uniqueTopic("thousand");
        try (Admin admin = cluster.admin(Duration.ofSeconds(120))) {
            long start = System.nanoTime();
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 3))).all().get(120, TimeUnit.SECONDS);
            long createdMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            Awaitility.await("leaders and full ISR for " + PARTITIONS + " partitions").atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> allReplicated(admin.describeTopics(Set.of(topic)).allTopicNames()
                            .get(30, TimeUnit.SECONDS).get(topic)));
            long readyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            LOG.info("FIGURE create {} partitions RF=3 on 3 nodes: CreateTopics answered in {} ms, "
                    + "all led and fully in sync after {} ms", PARTITIONS, createdMs, readyMs);
            assertThat(admin.describeTopics(Set.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                    .partitions()).hasSize(PARTITIONS);
        }
    }

    private static boolean allReplicated(TopicDescription description) {
        return description.partitions().size() == PARTITIONS && description.partitions().stream()
                .allMatch(p -> p.leader() != null && !p.leader().isEmpty() && p.isr().size() == 3);
    }
}
