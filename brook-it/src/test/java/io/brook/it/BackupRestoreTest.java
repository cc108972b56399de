package io.brook.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.brook.it.harness.BrookBroker;
import io.brook.it.harness.BrookTest;
import io.brook.it.harness.JavaClients;
import io.brook.server.backup.BackupCommand;
import io.brook.server.backup.BackupManifest;
import io.brook.server.backup.RestoreCommand;

import picocli.CommandLine;

/**
 * {@code brook backup} twice (the first while a producer writes) and {@code brook restore} into the broker's wiped
 * data dir: topics, configs, every record at its offset, and the committed offsets come back, and a consumer of the
 * group resumes exactly after its last commit.
 *
 * <p>group.initial.rebalance.delay.ms=0: the resuming classic consumer joins an empty group, which would otherwise wait
 * out Kafka's 3 s delay for more members.
 */
@BrookTest(overrides = {"group.initial.rebalance.delay.ms=0"})
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class BackupRestoreTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    private final String plain = JavaClients.uniqueTopic("plain");
    private final String compacted = JavaClients.uniqueTopic("compacted");
    private final String compressed = JavaClients.uniqueTopic("compressed");
    private final String segmented = JavaClients.uniqueTopic("segmented");
    private final String idle = JavaClients.uniqueTopic("idle");
    private final String live = JavaClients.uniqueTopic("live");
    private final String group = JavaClients.uniqueGroup("backup");

    @Test
    void shouldRestoreTopicsRecordsAndCommittedOffsetsWhenBackedUpTwiceWhileProducing(BrookBroker broker)
            throws Exception {
        assumeTrue(broker.isManaged(), "restore needs the broker's data dir");
        Path backup = work.resolve("backup");
        // given topics of several kinds with records, and a group's committed offsets
        createTopics(broker);
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker, Map.of())) {
            produce(producer, plain, 2, 0, 60);
            produce(producer, compacted, 1, 0, 30);
            produce(producer, compressed, 1, 0, 40);
            produce(producer, idle, 1, 0, 5);
            int[] next = {0};
            // segment.ms=100: appends roll segments as time passes
            Awaitility.await("three segments of " + segmented).atMost(TIMEOUT).pollInterval(Duration.ofMillis(150))
                    .until(() -> {
                        produce(producer, segmented, 1, next[0], 5);
                        next[0] += 5;
                        return logFiles(broker.dataDir().resolve(segmented + "-0")) >= 3;
                    });
        }
        commit(broker, Map.of(0, 10L, 1, 5L));

        // when a first backup runs while a producer keeps writing
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong liveCount = new AtomicLong();
        ExecutorService background = Executors.newSingleThreadExecutor();
        Future<?> writer = background.submit(() -> {
            try (KafkaProducer<String, String> producer = JavaClients.producer(broker, Map.of("linger.ms", 5))) {
                while (!stop.get()) {
                    long i = liveCount.getAndIncrement();
                    producer.send(new ProducerRecord<>(live, 0, "k" + i, "live-" + i)).get(30, TimeUnit.SECONDS);
                }
            }
            return null;
        });
        Awaitility.await("the live producer writing").atMost(TIMEOUT).until(() -> liveCount.get() > 20);
        String first = backup(broker, backup);
        BackupManifest afterFirst = BackupManifest.read(backup);
        Map<Path, String> firstFiles = checksums(backup);

        // and more records and commits arrive before a second backup
        stop.set(true);
        writer.get(30, TimeUnit.SECONDS);
        background.shutdown();
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker, Map.of())) {
            produce(producer, plain, 2, 60, 20);
            produce(producer, compacted, 1, 30, 10);
            produce(producer, compressed, 1, 40, 10);
            produce(producer, segmented, 1, 1000, 10);
        }
        commit(broker, Map.of(0, 25L, 1, 12L));
        String second = backup(broker, backup);
        BackupManifest afterSecond = BackupManifest.read(backup);

        // then the second run copied only what was new, into new files
        assertThat(first).contains("\"run\":1");
        assertThat(second).contains("\"run\":2");
        assertThat(afterFirst.topic(live).orElseThrow().partitions().get(0).endOffset()).isPositive();
        for (BackupManifest.Topic topic : afterSecond.topics()) {
            for (BackupManifest.Partition partition : topic.partitions()) {
                BackupManifest.Partition before = afterFirst.topic(topic.name()).orElseThrow()
                        .partition(partition.partition()).orElseThrow();
                assertThat(partition.segments()).startsWith(before.segments().toArray(BackupManifest.Segment[]::new));
                assertThat(partition.segments().subList(before.segments().size(), partition.segments().size()))
                        .allSatisfy(s -> assertThat(s.baseOffset()).isGreaterThanOrEqualTo(before.endOffset()));
            }
        }
        assertThat(afterSecond.topic(idle).orElseThrow().partitions().get(0).segments())
                .isEqualTo(afterFirst.topic(idle).orElseThrow().partitions().get(0).segments());
        assertThat(checksums(backup)).containsAllEntriesOf(firstFiles);

        // when the broker is wiped and the backup restored into it
        Map<String, List<String>> expected = new HashMap<>();
        for (String topic : List.of(plain, compacted, compressed, segmented, idle, live)) {
            expected.put(topic, describe(readAll(broker, topic)));
        }
        Map<String, Map<String, String>> configs = topicConfigs(broker);
        Map<TopicPartition, Long> committed = JavaClients.committedOffsets(broker, group);
        assertThat(committed).containsEntry(new TopicPartition(plain, 0), 25L);
        broker.stop();
        deleteRecursively(broker.dataDir());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = command(new RestoreCommand(), out, err).execute("--input", backup.toString(), "--override",
                "listeners=PLAINTEXT://localhost:" + broker.port(), "--override", "log.dir=" + broker.dataDir());
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Restored");
        broker.restart();

        // then topics, configs, records at their offsets and committed offsets are as before
        assertThat(topicConfigs(broker)).isEqualTo(configs);
        for (Map.Entry<String, List<String>> topic : expected.entrySet()) {
            assertThat(describe(readAll(broker, topic.getKey()))).as(topic.getKey())
                    .containsExactlyElementsOf(topic.getValue());
        }
        assertThat(JavaClients.committedOffsets(broker, group)).isEqualTo(committed);
        // and a consumer of the group resumes right after its last commit, seeing what a new producer writes too
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker, Map.of())) {
            RecordMetadata written = producer.send(new ProducerRecord<>(plain, 0, "after", "after-restore"))
                    .get(30, TimeUnit.SECONDS);
            assertThat(written.offset()).isEqualTo(40);
        }
        List<ConsumerRecord<String, String>> resumed = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = JavaClients.groupConsumer(broker, group, Map.of())) {
            consumer.subscribe(List.of(plain));
            Awaitility.await("the group reading to the end").atMost(TIMEOUT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(resumed::add);
                return resumed.size() >= (40 - 25) + (40 - 12) + 1;
            });
        }
        assertThat(resumed.stream().filter(r -> r.partition() == 0).map(ConsumerRecord::offset))
                .containsExactlyElementsOf(range(25, 41));
        assertThat(resumed.stream().filter(r -> r.partition() == 1).map(ConsumerRecord::offset))
                .containsExactlyElementsOf(range(12, 40));

        // and a second restore onto the now non-empty broker is refused
        broker.stop();
        StringWriter refusal = new StringWriter();
        int refused = command(new RestoreCommand(), new StringWriter(), refusal).execute("--input",
                backup.toString(), "--override", "listeners=PLAINTEXT://localhost:" + broker.port(), "--override",
                "log.dir=" + broker.dataDir());
        broker.restart();
        assertThat(refused).isEqualTo(1);
        assertThat(refusal.toString()).contains("Refusing to restore").contains(plain + "-0");
    }

    private void createTopics(BrookBroker broker) throws Exception {
        try (Admin admin = JavaClients.admin(broker)) {
            admin.createTopics(List.of(new NewTopic(plain, 2, (short) 1),
                    new NewTopic(compacted, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")),
                    new NewTopic(compressed, 1, (short) 1).configs(Map.of("compression.type", "gzip")),
                    new NewTopic(segmented, 1, (short) 1).configs(Map.of("segment.ms", "100")),
                    new NewTopic(idle, 1, (short) 1), new NewTopic(live, 1, (short) 1))).all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private static void produce(KafkaProducer<String, String> producer, String topic, int partitions, int from,
            int count) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            // compacted topic: ten keys, updated over and over
            String key = "k" + (topic.startsWith("compacted") ? i % 10 : i);
            List<Header> headers = List
                    .of(new RecordHeader("seq", Integer.toString(i).getBytes(StandardCharsets.UTF_8)));
            sent.add(producer.send(new ProducerRecord<>(topic, i % partitions, 1_700_000_000_000L + i, key,
                    topic + "-" + i, headers)));
        }
        for (Future<RecordMetadata> future : sent) {
            future.get(30, TimeUnit.SECONDS);
        }
    }

    private void commit(BrookBroker broker, Map<Integer, Long> offsets) {
        try (KafkaConsumer<String, String> consumer = JavaClients.groupConsumer(broker, group, Map.of())) {
            Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
            offsets.forEach((p, o) -> commits.put(new TopicPartition(plain, p), new OffsetAndMetadata(o)));
            consumer.commitSync(commits, TIMEOUT);
        }
    }

    private static String backup(BrookBroker broker, Path dir) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = command(new BackupCommand(Map.of(), Admin::create, false), out, err).execute("--bootstrap-server",
                broker.bootstrapServers(), "--output", dir.toString(), "--format", "json");
        assertThat(exit).as(err.toString()).isZero();
        assertThat(err.toString()).contains("records");
        return out.toString();
    }

    private static CommandLine command(Object command, StringWriter out, StringWriter err) {
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli;
    }

    private static List<ConsumerRecord<String, String>> readAll(BrookBroker broker, String topic) throws Exception {
        int partitions;
        try (Admin admin = JavaClients.admin(broker)) {
            partitions = admin.describeTopics(Set.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                    .partitions().size();
        }
        return JavaClients.readAll(broker, JavaClients.partitions(topic, partitions), TIMEOUT);
    }

    private static List<String> describe(List<ConsumerRecord<String, String>> records) {
        return records.stream().sorted(Comparator.comparing((ConsumerRecord<String, String> r) -> r.partition())
                .thenComparing(ConsumerRecord::offset)).map(
                        r -> r.partition() + "@" + r.offset() + " " + r.key()
                                + "=" + r.value() + " ts=" + r.timestamp() + " " + r.timestampType() + " headers="
                                + headers(r))
                .toList();
    }

    private static String headers(ConsumerRecord<String, String> record) {
        return Stream.of(record.headers().toArray())
                .map(h -> h.key() + ":" + new String(h.value(), StandardCharsets.UTF_8))
                .collect(Collectors.joining(","));
    }

    private Map<String, Map<String, String>> topicConfigs(BrookBroker broker) throws Exception {
        try (Admin admin = JavaClients.admin(broker)) {
            List<ConfigResource> resources = Stream.of(plain, compacted, compressed, segmented, idle, live)
                    .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
            Map<String, Map<String, String>> result = new HashMap<>();
            admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS)
                    .forEach((resource, config) -> result.put(resource.name(), config.entries().stream()
                            .filter(e -> e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
                            .collect(Collectors.toMap(ConfigEntry::name, ConfigEntry::value))));
            return result;
        }
    }

    private static List<Long> range(long from, long to) {
        List<Long> result = new ArrayList<>();
        for (long i = from; i < to; i++) {
            result.add(i);
        }
        return result;
    }

    private static long logFiles(Path partitionDir) throws IOException {
        if (!Files.isDirectory(partitionDir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(partitionDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).count();
        }
    }

    private static Map<Path, String> checksums(Path dir) throws Exception {
        Map<Path, String> result = new HashMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                result.put(dir.relativize(file), HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
            }
        }
        return result;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
