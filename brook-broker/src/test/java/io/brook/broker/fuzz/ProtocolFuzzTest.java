package io.brook.broker.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.broker.Broker;
import io.brook.broker.config.BrokerConfig;

/**
 * Fuzzes a real broker (real log dir, metadata quorum, every handler) over real sockets with mutated frames of every
 * API and version, while a producer writes acknowledged records next to it. The broker must answer or close for every
 * case (no stall), log nothing unexpected at WARN/ERROR (no handler or encoder failure), leak no connections across the
 * session or open files after it (Netty buffer leaks fail the class through {@code NettyLeakCheck}, at PARANOID), and, restarted,
 * still hold every acknowledged record.
 *
 * <p>The normal run is a fixed seed and count. A longer one: {@code -Dbrook.fuzz.cases=200000
 * -Dbrook.fuzz.seed=<any>} (see docs/architecture.md, "Hostile input").
 */
class ProtocolFuzzTest {

    private static final Logger LOG = LoggerFactory.getLogger(ProtocolFuzzTest.class);
    private static final long SEED = Long.getLong("brook.fuzz.seed", 20_261_126L);
    private static final int CASES = Integer.getInteger("brook.fuzz.cases", 3_000);
    /** Written by the producer; never named by the fuzzer, so no fuzzed DeleteTopics or retention can touch it. */
    private static final String TOPIC = "fuzz-acked";
    /** Named (by name and id) in the fuzzed requests. */
    private static final String TARGET = "fuzz-target";
    private static final int IDLE_MS = 1_000;
    /** Longer than the idle close, so a desynchronised stream is closed by the broker before the client gives up. */
    private static final int READ_TIMEOUT_MS = 5_000;
    /** Sockets the test's own producer may hold or reopen meanwhile. */
    private static final long SOCKET_SLACK = 4;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void shouldAnswerOrCloseEveryFuzzedFrameWithoutCrashingLeakingOrLosingAckedRecords() throws Exception {
        Map<String, RecordMetadata> acked = new ConcurrentHashMap<>();
        Broker broker = start();
        try {
            String bootstrap = "localhost:" + broker.boundPort("PLAINTEXT");
            Uuid topicId;
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                topicId = admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1),
                        new NewTopic(TARGET, 2, (short) 1))).topicId(TARGET).get();
            }
            SeedFrames seeds = new SeedFrames(TARGET, topicId);
            LOG.info("Fuzzing with seed {}: {} cases from {} seed frames ({} api/version pairs skipped)", SEED, CASES,
                    seeds.frames().size(), seeds.skipped());
            AtomicBoolean fuzzing = new AtomicBoolean(true);
            Thread producer = new Thread(() -> produceWhile(bootstrap, fuzzing, acked), "fuzz-producer");
            producer.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> !acked.isEmpty());
            long socketsBefore;
            try (FuzzSession session = new FuzzSession(broker.boundPort("PLAINTEXT"), READ_TIMEOUT_MS);
                    LogCapture log = LogCapture.install(session::current)) {
                socketsBefore = openSockets();
                FuzzCases cases = new FuzzCases(seeds.frames(), SEED, TARGET, topicId);
                for (int i = 0; i < CASES; i++) {
                    session.run(cases.next());
                }
                session.disconnect();
                fuzzing.set(false);
                producer.join(TimeUnit.SECONDS.toMillis(30));
                LOG.info("Fuzz session: {} answered, {} closed, {} long polls, {} expected closes logged, {} stalls,"
                        + " {} findings, {} records acknowledged", session.answered(), session.closed(),
                        session.parked(), log.expectedCloses(), session.stalls().size(), log.findings().size(),
                        acked.size());
                assertThat(session.stalls()).as("cases neither answered nor closed").isEmpty();
                assertThat(log.findings()).as("unexpected broker log lines").isEmpty();
                assertThat(session.answered() + session.closed() + session.parked()).isEqualTo(CASES);
            }
            assertThat(acked).isNotEmpty();
            // Fuzzed CreateTopics legitimately open logs; connections must all be gone.
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(openSockets()).isLessThanOrEqualTo(socketsBefore + SOCKET_SLACK));
        } finally {
            broker.close();
        }
        assertThat(filesOpenUnder(dir)).as("log files still open after the broker closed").isEmpty();
        assertEveryAcknowledgedRecordReadsBackAfterRestart(acked);
    }

    private Broker start() throws IOException {
        Map<String, String> props = new HashMap<>();
        props.put(BrokerConfig.LISTENERS, "PLAINTEXT://localhost:0");
        props.put(BrokerConfig.LOG_DIRS, dir.toString());
        props.put(BrokerConfig.OFFSETS_TOPIC_NUM_PARTITIONS, "2");
        props.put(BrokerConfig.TRANSACTION_STATE_LOG_NUM_PARTITIONS, "2");
        props.put(BrokerConfig.CONNECTIONS_MAX_IDLE_MS, Integer.toString(IDLE_MS));
        return Broker.start(BrokerConfig.parse(props));
    }

    /** Writes one record at a time with acks=all until told to stop, remembering each acknowledged one. */
    private static void produceWhile(String bootstrap, AtomicBoolean running, Map<String, RecordMetadata> acked) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
                "acks", "all", "max.block.ms", "10000", "request.timeout.ms", "10000", "delivery.timeout.ms", "20000",
                "linger.ms", "0"),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; running.get(); i++) {
                String value = "acked-" + i;
                try {
                    acked.put(value, producer.send(new ProducerRecord<>(TOPIC, value)).get(20, TimeUnit.SECONDS));
                } catch (Exception e) {
                    LOG.info("Record {} not acknowledged: {}", value, e.toString());
                }
            }
        }
    }

    private void assertEveryAcknowledgedRecordReadsBackAfterRestart(Map<String, RecordMetadata> acked)
            throws IOException {
        Broker restarted = start();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                "localhost:" + restarted.boundPort("PLAINTEXT")), new StringDeserializer(),
                new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            Map<String, Long> read = new HashMap<>();
            long end = acked.values().stream().mapToLong(RecordMetadata::offset).max().orElseThrow() + 1;
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    read.put(record.value(), record.offset());
                }
                return consumer.position(partition) >= end;
            });
            List<String> missing = new ArrayList<>();
            acked.forEach((value, metadata) -> {
                if (!Long.valueOf(metadata.offset()).equals(read.get(value))) {
                    missing.add(value + "@" + metadata.offset());
                }
            });
            assertThat(missing).as("acknowledged records not read back at their offsets").isEmpty();
        } finally {
            restarted.close();
        }
    }

    private static long openSockets() throws IOException {
        return openDescriptors().stream().filter(target -> target.startsWith("socket:")).count();
    }

    private static List<String> filesOpenUnder(Path dir) throws IOException {
        String prefix = dir.toRealPath().toString();
        return openDescriptors().stream().filter(target -> target.startsWith(prefix)).toList();
    }

    /** What each of this process's file descriptors points at (Linux). */
    private static List<String> openDescriptors() throws IOException {
        List<String> targets = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    targets.add(Files.readSymbolicLink(fd).toString());
                } catch (IOException e) {
                    // Closed between listing and reading (the directory stream's own descriptor, for one).
                }
            }
        }
        return targets;
    }
}
