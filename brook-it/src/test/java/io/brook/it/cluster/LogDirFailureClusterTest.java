package io.brook.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.it.harness.BrookCluster;
import io.brook.it.harness.JavaClients;
import io.brook.it.harness.SmallTmpfs;
import io.brook.it.harness.WorkDirs;

/**
 * A log dir failing on one broker of three: node 3 has a second log dir on a 4 MB tmpfs the test mounts; when it
 * fills, the controller moves the leadership of the partition there to an in-sync replica and takes node 3 out of its
 * ISR, so an idempotent producer carries on without losing an acknowledged record, while node 3 keeps leading the
 * partition in its healthy dir. After a restart with more space node 3 rejoins the ISR. Needs root for mount.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LogDirFailureClusterTest {

    private static final int FAILING_NODE = 3;

    private Path workDir;
    private Path bigDir;
    private Path smallDir;
    private SmallTmpfs tmpfs;
    private BrookCluster cluster;
    private final Map<TopicPartition, Map<Long, String>> acknowledged = new ConcurrentHashMap<>();

    @BeforeEach
    void mountSmallLogDirOfNode3() throws Exception {
        workDir = WorkDirs.forClass(getClass());
        Path data = workDir.resolve("node-" + FAILING_NODE).resolve("data");
        bigDir = data.resolve("big");
        smallDir = data.resolve("small");
        Files.createDirectories(bigDir);
        tmpfs = SmallTmpfs.mountOrSkip(smallDir, "4m");
    }

    @AfterEach
    void stopClusterAndUnmount() {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (tmpfs != null) {
                tmpfs.close();
            }
        }
    }

    @Test
    void shouldMoveLeadershipOffTheFailedLogDirAndKeepEveryAcknowledgedRecord() throws Exception {
        // given node 3 leading one partition in each of its log dirs, both replicated to nodes 1 and 2
        cluster = BrookCluster.builder(workDir).nodes(3)
                .nodeOverride(FAILING_NODE, "log.dirs=" + bigDir + "," + smallDir).build();
        cluster.expectLogLine(Pattern.compile("Log directory .*small is offline after an I/O error"));
        // as BrookClusterExtension: nodes stopping at once make Ratis log a refused append at ERROR
        cluster.expectLogLine(Pattern.compile(
                "ERROR o\\.a\\.ratis\\.server\\.RaftServer\\$Division - \\d+@group-\\w+: Failed appendEntries"));
        cluster.start();
        String topic = JavaClients.uniqueTopic("dirfail");
        cluster.createTopic(topic, Map.of(0, List.of(3, 1, 2), 1, List.of(3, 1, 2)),
                Map.of("min.insync.replicas", "2"));
        Map<String, List<TopicPartition>> byDir = partitionsByDir(topic);
        assertThat(byDir.get(bigDir.toString())).hasSize(1);
        assertThat(byDir.get(smallDir.toString())).hasSize(1);
        TopicPartition healthy = byDir.get(bigDir.toString()).get(0);
        TopicPartition failing = byDir.get(smallDir.toString()).get(0);

        // when an idempotent producer writes to the failing partition until its leader's dir is full
        try (KafkaProducer<String, String> producer = JavaClients.producer(cluster.clients(), Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            int sent = 0;
            while (currentLeader(failing) == FAILING_NODE) {
                assertThat(System.nanoTime()).as("the leadership moved within 120 s").isLessThan(deadline);
                sendBurst(producer, failing, sent, 100);
                sent += 100;
            }

            // then the controller moved the leadership to an in-sync replica and shrank the ISR
            cluster.awaitIsr(failing, List.of(1, 2));
            assertThat(currentLeader(failing)).isIn(1, 2);
            // and writing goes on: on the new leader, and on node 3's healthy dir
            sendBurst(producer, failing, sent, 200);
            sendBurst(producer, healthy, 0, 200);
        }
        assertThat(cluster.leaderOf(healthy)).isEqualTo(FAILING_NODE);
        assertThat(cluster.running()).contains(FAILING_NODE);
        assertThat(describeLogDirs().get(smallDir.toString()).error()).isInstanceOf(KafkaStorageException.class);
        assertReadBack(List.of(failing, healthy));

        // when node 3 restarts with more space, it catches up and rejoins the ISR
        cluster.stop(FAILING_NODE);
        tmpfs.resize("64m");
        cluster.restart(FAILING_NODE);
        cluster.awaitFullIsr(topic);
        assertReadBack(List.of(failing, healthy));
    }

    /** Sends {@code count} records to the partition and waits for each acknowledgement (bounded). */
    private void sendBurst(KafkaProducer<String, String> producer, TopicPartition tp, int first, int count)
            throws Exception {
        Map<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>, String> sent = new HashMap<>();
        for (int i = 0; i < count; i++) {
            String value = tp.partition() + "-" + (first + i) + "-" + "v".repeat(1000);
            sent.put(producer.send(new ProducerRecord<>(tp.topic(), tp.partition(), null, value)), value);
        }
        for (Map.Entry<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>, String> entry : sent
                .entrySet()) {
            long offset = entry.getKey().get(150, TimeUnit.SECONDS).offset();
            acknowledged.computeIfAbsent(tp, p -> new ConcurrentHashMap<>()).put(offset, entry.getValue());
        }
    }

    private int currentLeader(TopicPartition tp) {
        Node leader = cluster.describe(tp).leader();
        return leader == null ? -1 : leader.id();
    }

    private void assertReadBack(List<TopicPartition> partitions) {
        Awaitility.await("every acknowledged record readable").atMost(Duration.ofSeconds(90)).ignoreExceptions()
                .untilAsserted(() -> {
                    List<ConsumerRecord<String, String>> records = JavaClients.readAll(cluster.clients(), partitions,
                            Duration.ofSeconds(30));
                    Map<TopicPartition, Map<Long, String>> read = new HashMap<>();
                    for (ConsumerRecord<String, String> record : records) {
                        read.computeIfAbsent(new TopicPartition(record.topic(), record.partition()),
                                p -> new TreeMap<>()).put(record.offset(), record.value());
                    }
                    for (TopicPartition tp : partitions) {
                        assertThat(read.getOrDefault(tp, Map.of())).as("records of %s", tp)
                                .containsAllEntriesOf(acknowledged.getOrDefault(tp, Map.of()));
                    }
                });
    }

    private Map<String, LogDirDescription> describeLogDirs() throws Exception {
        try (Admin admin = cluster.admin()) {
            return admin.describeLogDirs(Set.of(FAILING_NODE)).allDescriptions().get(30, TimeUnit.SECONDS)
                    .get(FAILING_NODE);
        }
    }

    private Map<String, List<TopicPartition>> partitionsByDir(String topic) throws Exception {
        Map<String, List<TopicPartition>> byDir = new HashMap<>();
        describeLogDirs().forEach((dir, description) -> description.replicaInfos().keySet().stream()
                .filter(tp -> tp.topic().equals(topic))
                .forEach(tp -> byDir.computeIfAbsent(dir, d -> new java.util.ArrayList<>()).add(tp)));
        return byDir;
    }
}
