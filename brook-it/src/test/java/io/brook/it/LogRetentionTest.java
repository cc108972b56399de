package io.brook.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.it.harness.BrookBroker;
import io.brook.it.harness.BrookTest;
import io.brook.it.harness.ExternalCommand;
import io.brook.it.harness.JavaClients;
import io.brook.it.harness.KafkaTool;

/**
 * Retention, DeleteRecords and topic deletion seen by real clients: the Java Admin, consumer and producer, and Kafka's
 * {@code kafka-delete-records} tool. Retention is checked every 200 ms and topics use a small {@code segment.ms}, so
 * nothing waits for long.
 */
@BrookTest(overrides = {"log.retention.check.interval.ms=200"})
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LogRetentionTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void shouldDeleteExpiredSegmentsAndMoveEarliestOffsetWhenRetentionMsPasses(BrookBroker broker) throws Exception {
        // given a topic rolling every 100 ms that keeps a minute of records, and 10 records an hour old
        String topic = JavaClients.uniqueTopic("retention-time");
        TopicPartition tp = new TopicPartition(topic, 0);
        createTopic(broker, topic, Map.of("segment.ms", "100", "retention.ms", "60000"));
        long hourAgo = System.currentTimeMillis() - 3_600_000L;
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker,
                Map.of(ProducerConfig.LINGER_MS_CONFIG, 1000))) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, 0, hourAgo, "k", "old-" + i));
            }
            producer.flush();

            // when fresh records keep coming (each append after segment.ms rolls the old segment away)
            try (Admin admin = JavaClients.admin(broker)) {
                Awaitility.await("retention of the old segment").atMost(WAIT).pollDelay(Duration.ofMillis(300))
                        .pollInterval(Duration.ofMillis(150))
                        .until(() -> {
                            producer.send(new ProducerRecord<>(topic, 0, "k", "fresh")).get();
                            return earliest(admin, tp) > 0;
                        });

                // then
                assertThat(earliest(admin, tp)).isEqualTo(10);
            }
        }
        try (KafkaConsumer<String, String> consumer = JavaClients.consumer(broker, Map.of())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<ConsumerRecord<String, String>> records = pollSome(consumer);
            assertThat(records.get(0).offset()).isEqualTo(10);
            assertThat(records).extracting(ConsumerRecord::value).containsOnly("fresh");
        }
    }

    @Test
    void shouldApplyARetentionMsLoweredWithIncrementalAlterConfigs(BrookBroker broker) throws Exception {
        // given a topic keeping records for a week, with a segment of records ten minutes old
        String topic = JavaClients.uniqueTopic("retention-altered");
        TopicPartition tp = new TopicPartition(topic, 0);
        createTopic(broker, topic, Map.of("segment.ms", "100"));
        long tenMinutesAgo = System.currentTimeMillis() - 600_000L;
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker,
                Map.of(ProducerConfig.LINGER_MS_CONFIG, 1000));
                Admin admin = JavaClients.admin(broker)) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, 0, tenMinutesAgo, "k", "old-" + i));
            }
            producer.flush();
            Awaitility.await("a roll").atMost(WAIT).pollDelay(Duration.ofMillis(300))
                    .pollInterval(Duration.ofMillis(150)).until(() -> {
                        producer.send(new ProducerRecord<>(topic, 0, "k", "fresh")).get();
                        return latest(admin, tp) >= 7;
                    });
            assertThat(earliest(admin, tp)).isZero();

            // when retention is lowered to a minute
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                    new ConfigEntry("retention.ms", "60000"), AlterConfigOp.OpType.SET)))).all()
                    .get(30, TimeUnit.SECONDS);

            // then the next retention passes delete the old segment
            Awaitility.await("retention after the config change").atMost(WAIT)
                    .untilAsserted(() -> assertThat(earliest(admin, tp)).isEqualTo(5));
        }
    }

    @Test
    void shouldKeepTheNewestSegmentsWithinRetentionBytes(BrookBroker broker) throws Exception {
        // given a topic rolling every 100 ms that keeps at most 1 byte: only the active segment survives
        String topic = JavaClients.uniqueTopic("retention-size");
        TopicPartition tp = new TopicPartition(topic, 0);
        createTopic(broker, topic, Map.of("segment.ms", "100", "retention.bytes", "1"));

        // when
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker, Map.of());
                Admin admin = JavaClients.admin(broker)) {
            Awaitility.await("size retention").atMost(WAIT).pollDelay(Duration.ofMillis(300))
                    .pollInterval(Duration.ofMillis(150)).until(() -> {
                        producer.send(new ProducerRecord<>(topic, 0, "k", "v")).get();
                        return earliest(admin, tp) >= 3;
                    });

            // then the log start stays below the end: the segment holding the newest records is never deleted
            assertThat(earliest(admin, tp)).isLessThan(latest(admin, tp));
        }
    }

    @Test
    void shouldMoveLogStartAndResetConsumersWhenRecordsAreDeletedWithAdmin(BrookBroker broker) throws Exception {
        // given
        String topic = JavaClients.uniqueTopic("delete-records");
        TopicPartition tp = new TopicPartition(topic, 0);
        createTopic(broker, topic, Map.of());
        produce(broker, topic, 100);

        try (Admin admin = JavaClients.admin(broker)) {
            // when
            long lowWatermark = admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(40))).lowWatermarks()
                    .get(tp).get(30, TimeUnit.SECONDS).lowWatermark();

            // then
            assertThat(lowWatermark).isEqualTo(40);
            assertThat(earliest(admin, tp)).isEqualTo(40);
            assertThatThrownBy(() -> admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(101)))
                    .all().get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(OffsetOutOfRangeException.class);
            // an earlier offset leaves the start where it is
            assertThat(admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(10))).lowWatermarks().get(tp)
                    .get(30, TimeUnit.SECONDS).lowWatermark()).isEqualTo(40);
        }
        // a consumer positioned below the log start is reset by auto.offset.reset
        try (KafkaConsumer<String, String> consumer = JavaClients.consumer(broker,
                Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"))) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 5);
            assertThat(pollSome(consumer).get(0).offset()).isEqualTo(40);
        }
        // without a reset policy the consumer sees the out-of-range error
        try (KafkaConsumer<String, String> consumer = JavaClients.consumer(broker,
                Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none"))) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 5);
            assertThatThrownBy(() -> {
                for (int i = 0; i < 50; i++) {
                    consumer.poll(Duration.ofMillis(200));
                }
            }).isInstanceOf(org.apache.kafka.clients.consumer.OffsetOutOfRangeException.class);
        }
    }

    @Test
    void shouldKeepTheLogStartOffsetWhenTheBrokerRestarts(BrookBroker broker) throws Exception {
        // given
        String topic = JavaClients.uniqueTopic("delete-records-restart");
        TopicPartition tp = new TopicPartition(topic, 0);
        createTopic(broker, topic, Map.of());
        produce(broker, topic, 30);
        try (Admin admin = JavaClients.admin(broker)) {
            admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(-1))).all().get(30, TimeUnit.SECONDS);
        }

        // when
        broker.restart();

        // then
        try (Admin admin = JavaClients.admin(broker)) {
            Awaitility.await("log start after restart").atMost(WAIT).ignoreExceptions()
                    .untilAsserted(() -> assertThat(earliest(admin, tp)).isEqualTo(30));
        }
    }

    @Test
    void shouldDeleteRecordsWhenUsingTheDeleteRecordsTool(BrookBroker broker) throws Exception {
        // given
        String topic = JavaClients.uniqueTopic("tool-delete-records");
        TopicPartition tp = new TopicPartition(topic, 0);
        createTopic(broker, topic, Map.of());
        produce(broker, topic, 20);
        Path json = Files.createTempFile("delete-records", ".json");
        Files.writeString(json, "{\"version\":1,\"partitions\":[{\"topic\":\"" + topic
                + "\",\"partition\":0,\"offset\":12}]}");

        // when
        ExternalCommand.Result result = KafkaTool.command(KafkaTool.DELETE_RECORDS, "--bootstrap-server",
                broker.bootstrapServers(), "--offset-json-file", json.toString()).timeout(Duration.ofSeconds(90))
                .run();

        // then
        assertThat(result.succeeded()).as(result.describe()).isTrue();
        assertThat(result.stdout()).as(result.describe()).contains("partition: " + topic + "-0")
                .contains("low_watermark: 12");
        try (Admin admin = JavaClients.admin(broker)) {
            assertThat(earliest(admin, tp)).isEqualTo(12);
        }
        Files.deleteIfExists(json);
    }

    @Test
    void shouldStartEmptyWhenADeletedTopicIsCreatedAgain(BrookBroker broker) throws Exception {
        // given a topic with records, deleted
        String topic = JavaClients.uniqueTopic("recreated");
        TopicPartition tp = new TopicPartition(topic, 0);
        createTopic(broker, topic, Map.of());
        produce(broker, topic, 25);
        try (Admin admin = JavaClients.admin(broker)) {
            admin.deleteTopics(Set.of(topic)).all().get(30, TimeUnit.SECONDS);
            awaitGone(admin, topic);
        }

        // when it is created again
        createTopic(broker, topic, Map.of());

        // then it has none of the old records, and the old directory is gone from disk
        try (Admin admin = JavaClients.admin(broker)) {
            assertThat(earliest(admin, tp)).isZero();
            assertThat(latest(admin, tp)).isZero();
        }
        if (broker.isManaged()) {
            Awaitility.await("removal of the deleted log").atMost(WAIT)
                    .until(() -> deletedDirs(broker.dataDir()).isEmpty());
        }
    }

    @Test
    void shouldStartEmptyWhenATopicDeletedJustBeforeACrashIsCreatedAgain(BrookBroker broker) throws Exception {
        // given a topic with records, deleted, and the broker killed at once (its directory may or may not have been
        // renamed yet)
        String topic = JavaClients.uniqueTopic("recreated-after-crash");
        TopicPartition tp = new TopicPartition(topic, 0);
        createTopic(broker, topic, Map.of());
        produce(broker, topic, 25);
        try (Admin admin = JavaClients.admin(broker)) {
            admin.deleteTopics(Set.of(topic)).all().get(30, TimeUnit.SECONDS);
        }
        broker.kill();
        broker.restart();

        // when it is created again
        createTopic(broker, topic, Map.of());

        // then none of the old records is there
        try (Admin admin = JavaClients.admin(broker)) {
            assertThat(earliest(admin, tp)).isZero();
            assertThat(latest(admin, tp)).isZero();
        }
    }

    private static List<Path> deletedDirs(Path dataDir) throws Exception {
        try (Stream<Path> children = Files.list(dataDir)) {
            return children.filter(path -> path.getFileName().toString().endsWith("-delete")).toList();
        }
    }

    private static void createTopic(BrookBroker broker, String topic, Map<String, String> configs) throws Exception {
        try (Admin admin = JavaClients.admin(broker)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(configs))).all()
                    .get(30, TimeUnit.SECONDS);
            Awaitility.await("metadata of " + topic).atMost(WAIT).ignoreExceptions()
                    .until(() -> latest(admin, new TopicPartition(topic, 0)) == 0);
        }
    }

    private static void awaitGone(Admin admin, String topic) {
        Awaitility.await("deletion of " + topic).atMost(WAIT).ignoreExceptions().until(() -> {
            try {
                admin.describeTopics(Set.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS);
                return false;
            } catch (ExecutionException e) {
                return e.getCause() instanceof UnknownTopicOrPartitionException;
            }
        });
    }

    private static void produce(BrookBroker broker, String topic, int count) throws Exception {
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker, Map.of())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k" + i, "v" + i));
            }
            producer.flush();
        }
    }

    private static List<ConsumerRecord<String, String>> pollSome(KafkaConsumer<String, String> consumer) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        Awaitility.await("records").atMost(WAIT).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            return !records.isEmpty();
        });
        return records;
    }

    private static long earliest(Admin admin, TopicPartition tp) throws Exception {
        return admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).partitionResult(tp).get(10, TimeUnit.SECONDS)
                .offset();
    }

    private static long latest(Admin admin, TopicPartition tp) throws Exception {
        return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get(10, TimeUnit.SECONDS)
                .offset();
    }
}
