package io.brook.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.it.harness.BrookBroker;
import io.brook.it.harness.BrookTest;
import io.brook.it.harness.JavaClients;

/**
 * Log compaction with real clients: the cleaner runs every 200 ms at a low dirty ratio, and segments roll after
 * 300 ms (broker-wide, so {@code __consumer_offsets} is compacted too).
 */
// group.initial.rebalance.delay.ms=0: classic members here join empty groups, which would otherwise wait out
// Kafka's 3 s delay for more members; no test here is about that delay.
@BrookTest(overrides = {"group.initial.rebalance.delay.ms=0", "log.cleaner.backoff.ms=200",
        "log.cleaner.min.cleanable.ratio=0.01", "log.roll.ms=300",
        "log.segment.delete.delay.ms=1000"})
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LogCompactionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static void createCompactedTopic(BrookBroker broker, String topic) throws Exception {
        try (Admin admin = JavaClients.admin(broker)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("cleanup.policy",
                    "compact", "segment.ms", "300", "min.cleanable.dirty.ratio", "0.01")))).all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldKeepOnlyLastValuePerKeyWhenManyUpdatesAreCompacted(BrookBroker broker) throws Exception {
        // given
        String topic = JavaClients.uniqueTopic("compacted");
        createCompactedTopic(broker, topic);
        int keys = 50;
        int updates = 40;
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker, Map.of())) {
            for (int u = 0; u < updates; u++) {
                for (int k = 0; k < keys; k++) {
                    producer.send(new ProducerRecord<>(topic, "key-" + k, "value-" + k + "-" + u));
                }
                producer.flush();
            }

            // when: later appends roll the segments holding the updates, so the cleaner may take them
            List<TopicPartition> partitions = JavaClients.partitions(topic, 1);
            Awaitility.await("compaction of " + topic).atMost(TIMEOUT).pollInterval(Duration.ofMillis(400))
                    .until(() -> {
                        producer.send(new ProducerRecord<>(topic, "filler", "x")).get(10, TimeUnit.SECONDS);
                        return JavaClients.readAll(broker, partitions, TIMEOUT).stream()
                                .filter(r -> r.key().startsWith("key-")).count() == keys;
                    });
        }

        // then
        Map<String, String> latest = new LinkedHashMap<>();
        long previousOffset = -1;
        for (ConsumerRecord<String, String> record : JavaClients.readAll(broker, JavaClients.partitions(topic, 1),
                TIMEOUT)) {
            assertThat(record.offset()).isGreaterThan(previousOffset);
            previousOffset = record.offset();
            latest.put(record.key(), record.value());
        }
        for (int k = 0; k < keys; k++) {
            assertThat(latest).containsEntry("key-" + k, "value-" + k + "-" + (updates - 1));
        }
        assertThat(Files.readString(broker.logFile())).contains("Cleaned " + topic + "-0");
    }

    @Test
    void shouldFailOnlyTheKeylessRecordWithTheReasonWhenABatchMixesKeyedAndKeyless(BrookBroker broker)
            throws Exception {
        // given
        String topic = JavaClients.uniqueTopic("keyless-batch");
        createCompactedTopic(broker, topic);

        // when: both records travel in one batch (the linger outlasts the two sends)
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker,
                Map.of(ProducerConfig.LINGER_MS_CONFIG, 60_000))) {
            Future<RecordMetadata> keyed = producer.send(new ProducerRecord<>(topic, 0, "key", "value"));
            Future<RecordMetadata> keyless = producer.send(new ProducerRecord<>(topic, 0, null, "no key"));
            producer.flush();

            // then: the response's record errors name the keyless record; its neighbour fails as collateral
            assertThatThrownBy(() -> keyless.get(30, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(InvalidRecordException.class)
                    .hasMessage("Compacted topic cannot accept message without key in topic partition " + topic
                            + "-0.");
            assertThatThrownBy(() -> keyed.get(30, TimeUnit.SECONDS)).cause()
                    .isNotInstanceOf(InvalidRecordException.class)
                    .hasMessageContaining("because it was part of a batch which had");
        }
    }

    @Test
    void shouldRejectRecordWithoutKeyWhenTopicIsCompacted(BrookBroker broker) throws Exception {
        // given
        String topic = JavaClients.uniqueTopic("keyless");
        createCompactedTopic(broker, topic);

        // when / then
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker, Map.of())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, null, "no key")).get(30,
                    TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(InvalidRecordException.class)
                    .hasMessageContaining("Compacted topic cannot accept message without key in topic partition "
                            + topic + "-0.");
            assertThat(producer.send(new ProducerRecord<>(topic, "key", "value")).get(30, TimeUnit.SECONDS)
                    .offset()).isZero();
        }
    }

    @Test
    void shouldLoadSameGroupOffsetsAfterConsumerOffsetsAreCompactedAndBrokerRestarts(BrookBroker broker)
            throws Exception {
        // given: one group commits many times, another commits then is deleted (tombstones)
        String topic = JavaClients.uniqueTopic("offsets-source");
        JavaClients.createTopic(broker, topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        String kept = JavaClients.uniqueGroup("kept");
        String deleted = JavaClients.uniqueGroup("deleted");
        try (KafkaConsumer<String, String> consumer = JavaClients.groupConsumer(broker, kept, Map.of())) {
            consumer.assign(List.of(tp));
            for (int i = 1; i <= 300; i++) {
                consumer.commitSync(Map.of(tp, new OffsetAndMetadata(i)));
            }
        }
        try (KafkaConsumer<String, String> consumer = JavaClients.groupConsumer(broker, deleted, Map.of())) {
            consumer.assign(List.of(tp));
            consumer.commitSync(Map.of(tp, new OffsetAndMetadata(7)));
        }
        try (Admin admin = JavaClients.admin(broker)) {
            admin.deleteConsumerGroups(List.of(deleted)).all().get(30, TimeUnit.SECONDS);
        }

        // when: __consumer_offsets is compacted (later commits roll its segments), then the broker restarts
        try (KafkaConsumer<String, String> consumer = JavaClients.groupConsumer(broker, kept, Map.of())) {
            consumer.assign(List.of(tp));
            Awaitility.await("compaction of __consumer_offsets").atMost(TIMEOUT).pollInterval(Duration.ofMillis(400))
                    .until(() -> {
                        consumer.commitSync(Map.of(tp, new OffsetAndMetadata(300)));
                        return cleanedConsumerOffsets(broker);
                    });
        }
        broker.restart();

        // then
        Awaitility.await("group offsets after restart").atMost(TIMEOUT).ignoreExceptions()
                .untilAsserted(() -> assertThat(JavaClients.committedOffsets(broker, kept)).containsEntry(tp, 300L));
        try (Admin admin = JavaClients.admin(broker)) {
            Set<String> groups = Set.copyOf(admin.listGroups().all().get(30, TimeUnit.SECONDS).stream()
                    .map(listing -> listing.groupId()).toList());
            assertThat(groups).contains(kept).doesNotContain(deleted);
        }
        assertThat(JavaClients.committedOffsets(broker, deleted)).isEmpty();
    }

    private static boolean cleanedConsumerOffsets(BrookBroker broker) throws IOException {
        return Files.readString(broker.logFile()).contains("Cleaned __consumer_offsets-");
    }
}
