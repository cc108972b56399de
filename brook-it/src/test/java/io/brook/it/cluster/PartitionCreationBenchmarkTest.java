package io.brook.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.it.harness.BrookCluster;
import io.brook.it.harness.BrookClusterTest;
import io.brook.it.harness.JavaClients;

/**
 * A measurement, not a speed assertion: the time a 3-node cluster takes to create 1,000 RF=3 partitions, logged as a
 * figure for the cluster issue. Three moments: CreateTopics answered; Metadata shows a leader and a full ISR for every
 * partition (true from the commit on, as a new partition's ISR is all its replicas); and every partition has taken an
 * acks=all write, which needs the leader and both followers to host the partition, so it is when creation is done.
 */
@BrookClusterTest(nodes = 3)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
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
            writeToEveryPartition(cluster, topic);
            long writableMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            LOG.info("FIGURE create {} partitions RF=3 on 3 nodes: CreateTopics answered in {} ms, "
                    + "all led and fully in sync after {} ms, an acks=all write acknowledged in every one after {} ms",
                    PARTITIONS, createdMs, readyMs, writableMs);
            assertThat(admin.describeTopics(Set.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                    .partitions()).hasSize(PARTITIONS);
        }
    }

    /** One acks=all record per partition; the producer retries NOT_LEADER_OR_FOLLOWER while replicas are created. */
    private static void writeToEveryPartition(BrookCluster cluster, String topic) throws Exception {
        try (KafkaProducer<String, String> producer = JavaClients.producer(cluster.clients(),
                Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 150_000,
                        ProducerConfig.LINGER_MS_CONFIG, 5))) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                sent.add(producer.send(new ProducerRecord<>(topic, p, "k" + p, "v" + p)));
            }
            for (Future<RecordMetadata> future : sent) {
                assertThat(future.get(180, TimeUnit.SECONDS).offset()).isZero();
            }
        }
    }

    private static boolean allReplicated(TopicDescription description) {
        return description.partitions().size() == PARTITIONS && description.partitions().stream()
                .allMatch(p -> p.leader() != null && !p.leader().isEmpty() && p.isr().size() == 3);
    }
}
