package io.brook.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.it.harness.BrookBroker;
import io.brook.it.harness.JavaClients;
import io.brook.it.harness.ManagedBroker;
import io.brook.it.harness.SmallTmpfs;
import io.brook.it.harness.WorkDirs;

/**
 * A log dir that fills up: a broker with two log dirs, the second a 4 MB tmpfs the test mounts, is written to with
 * the Java producer until that dir is full. Its partitions then answer KAFKA_STORAGE_ERROR while the other dir keeps
 * serving, DescribeLogDirs reports the error, and the process stays up. After a stop, more space and a restart, every
 * acknowledged record is read back at its offset (the torn tail of the write that hit ENOSPC is truncated by
 * recovery). Needs root for mount; skipped otherwise.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class LogDirFailureTest {

    private static final int PARTITIONS = 4;
    private static final int RECORDS_PER_PARTITION_PER_ROUND = 20;
    private static final int VALUE_BYTES = 1000;

    private Path smallDir;
    private Path bigDir;
    private Path workDir;
    private SmallTmpfs tmpfs;
    private BrookBroker broker;
    /** Per partition: offset to value of every acknowledged record. */
    private final Map<TopicPartition, Map<Long, String>> acknowledged = new HashMap<>();
    private final Random random = new Random(42);

    @BeforeEach
    void mountSmallLogDir() throws Exception {
        workDir = WorkDirs.forClass(getClass());
        bigDir = workDir.resolve("data").resolve("big");
        smallDir = workDir.resolve("data").resolve("small");
        Files.createDirectories(bigDir);
        tmpfs = SmallTmpfs.mountOrSkip(smallDir, "4m");
    }

    @AfterEach
    void stopBrokerAndUnmount() {
        try {
            if (broker != null) {
                ManagedBroker.shutDownAndCheckLog(broker);
            }
        } finally {
            if (tmpfs != null) {
                tmpfs.close();
            }
        }
    }

    @Test
    void shouldTakeOnlyTheFullLogDirOfflineAndKeepEveryAcknowledgedRecordWhenItFillsUp() throws Exception {
        // given a broker whose second log dir is small, and a topic with partitions in both dirs
        broker = ManagedBroker.start(workDir, List.of("log.dirs=" + bigDir + "," + smallDir));
        broker.expectLogLine(Pattern.compile("Log directory .*small is offline after an I/O error"));
        String topic = JavaClients.uniqueTopic("diskfull");
        JavaClients.createTopic(broker, topic, PARTITIONS);
        Map<String, List<TopicPartition>> byDir = partitionsByDir(topic);
        List<TopicPartition> onSmall = byDir.getOrDefault(smallDir.toString(), List.of());
        List<TopicPartition> onBig = byDir.getOrDefault(bigDir.toString(), List.of());
        assertThat(onSmall).isNotEmpty();
        assertThat(onBig).isNotEmpty();

        try (KafkaProducer<String, String> producer = producer()) {
            // when producing until the small dir is full
            List<Throwable> smallFailures = new ArrayList<>();
            for (int round = 0; round < 1_000 && smallFailures.isEmpty(); round++) {
                Map<TopicPartition, List<Throwable>> failures = produceRound(producer, topic);
                assertThat(failures.keySet()).as("partitions on the healthy dir keep accepting")
                        .doesNotContainAnyElementsOf(onBig);
                failures.values().forEach(smallFailures::addAll);
            }

            // then the full dir's partitions answer KAFKA_STORAGE_ERROR, the other dir's keep working
            assertThat(smallFailures).isNotEmpty().allSatisfy(
                    failure -> assertThat(failure).isInstanceOf(KafkaStorageException.class));
            Map<TopicPartition, List<Throwable>> after = produceRound(producer, topic);
            assertThat(after.keySet()).containsExactlyInAnyOrderElementsOf(onSmall);
            assertThat(after.values()).allSatisfy(failures -> assertThat(failures)
                    .allSatisfy(failure -> assertThat(failure).isInstanceOf(KafkaStorageException.class)));
        }
        assertThat(ManagedBroker.isAlive(broker)).isTrue();
        Map<String, LogDirDescription> dirs = describeLogDirs();
        assertThat(dirs.get(smallDir.toString()).error()).isInstanceOf(KafkaStorageException.class);
        assertThat(dirs.get(bigDir.toString()).error()).isNull();
        assertReadBack(onBig);

        // when the broker is stopped, the dir given more space and the broker restarted
        broker.stop();
        tmpfs.resize("64m");
        broker.restart();

        // then every acknowledged record is back at its offset, and the dir serves again
        assertThat(describeLogDirs().values()).allSatisfy(dir -> assertThat(dir.error()).isNull());
        assertReadBack(JavaClients.partitions(topic, PARTITIONS));
        try (KafkaProducer<String, String> producer = producer()) {
            assertThat(produceRound(producer, topic)).isEmpty();
        }
        assertReadBack(JavaClients.partitions(topic, PARTITIONS));
    }

    @Test
    void shouldStopTheBrokerWithAFailureStatusWhenItsOnlyLogDirFillsUp() throws Exception {
        // given a broker whose only log dir is small (the metadata quorum's log elsewhere)
        broker = ManagedBroker.start(workDir, List.of("log.dirs=" + smallDir, "metadata.log.dir=" + bigDir));
        broker.expectLogLine(Pattern.compile("Log directory .*small is offline after an I/O error"));
        broker.expectLogLine(Pattern.compile("Every log directory is offline"));
        broker.expectLogLine(Pattern.compile("Stopping Brook: every log directory is offline"));
        String topic = JavaClients.uniqueTopic("alldirs");
        JavaClients.createTopic(broker, topic, PARTITIONS);

        // when producing until the dir is full
        try (KafkaProducer<String, String> producer = producer()) {
            boolean failed = false;
            for (int round = 0; round < 1_000 && !failed; round++) {
                failed = !produceRound(producer, topic).isEmpty();
            }
            assertThat(failed).as("the dir filled up").isTrue();
        }

        // then the broker stops by itself, with a failure status, as Kafka does
        Awaitility.await("broker exit").atMost(Duration.ofSeconds(60))
                .until(() -> ManagedBroker.exitCode(broker).isPresent());
        assertThat(ManagedBroker.exitCode(broker)).hasValue(1);
        assertThat(Files.readString(broker.logFile())).contains("Brook node", "stopped");
    }

    /** Not idempotent and no retries: each failure is the error code of the produce response, as sent. */
    private KafkaProducer<String, String> producer() {
        return JavaClients.producer(broker, Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.RETRIES_CONFIG, 0,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000));
    }

    /** Sends a burst to every partition and waits for each answer; returns the failures by partition. */
    private Map<TopicPartition, List<Throwable>> produceRound(KafkaProducer<String, String> producer, String topic)
            throws InterruptedException, java.util.concurrent.TimeoutException {
        Map<Future<RecordMetadata>, String> sent = new HashMap<>();
        Map<Future<RecordMetadata>, TopicPartition> partitionOf = new HashMap<>();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            for (int i = 0; i < RECORDS_PER_PARTITION_PER_ROUND; i++) {
                String value = randomValue();
                Future<RecordMetadata> future = producer.send(new ProducerRecord<>(topic, partition, null, value));
                sent.put(future, value);
                partitionOf.put(future, new TopicPartition(topic, partition));
            }
        }
        Map<TopicPartition, List<Throwable>> failures = new HashMap<>();
        for (Map.Entry<Future<RecordMetadata>, String> entry : sent.entrySet()) {
            TopicPartition tp = partitionOf.get(entry.getKey());
            try {
                RecordMetadata metadata = entry.getKey().get(30, TimeUnit.SECONDS);
                acknowledged.computeIfAbsent(tp, p -> new TreeMap<>()).put(metadata.offset(), entry.getValue());
            } catch (ExecutionException e) {
                failures.computeIfAbsent(tp, p -> new ArrayList<>()).add(e.getCause());
            }
        }
        return failures;
    }

    private String randomValue() {
        StringBuilder value = new StringBuilder(VALUE_BYTES);
        for (int i = 0; i < VALUE_BYTES; i++) {
            value.append((char) ('a' + random.nextInt(26)));
        }
        return value.toString();
    }

    /** Every acknowledged record of the partitions is read back at its offset, with its value. */
    private void assertReadBack(List<TopicPartition> partitions) {
        List<ConsumerRecord<String, String>> records = JavaClients.readAll(broker, partitions, Duration.ofSeconds(60));
        Map<TopicPartition, Map<Long, String>> read = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            read.computeIfAbsent(new TopicPartition(record.topic(), record.partition()), p -> new TreeMap<>())
                    .put(record.offset(), record.value());
        }
        for (TopicPartition tp : partitions) {
            Map<Long, String> expected = acknowledged.getOrDefault(tp, Map.of());
            assertThat(read.getOrDefault(tp, Map.of())).as("records of %s", tp).containsAllEntriesOf(expected);
        }
    }

    private Map<String, LogDirDescription> describeLogDirs() throws Exception {
        try (Admin admin = JavaClients.admin(broker)) {
            int nodeId = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).iterator().next().id();
            return admin.describeLogDirs(List.of(nodeId)).allDescriptions().get(30, TimeUnit.SECONDS).get(nodeId);
        }
    }

    private Map<String, List<TopicPartition>> partitionsByDir(String topic) throws Exception {
        Map<String, List<TopicPartition>> byDir = new HashMap<>();
        describeLogDirs().forEach((dir, description) -> description.replicaInfos().keySet().stream()
                .filter(tp -> tp.topic().equals(topic))
                .forEach(tp -> byDir.computeIfAbsent(dir, d -> new ArrayList<>()).add(tp)));
        return byDir;
    }
}
