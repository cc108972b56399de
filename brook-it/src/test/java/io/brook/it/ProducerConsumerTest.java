package io.brook.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.brook.it.harness.BrookBroker;
import io.brook.it.harness.BrookTest;
import io.brook.it.harness.JavaClients;

/**
 * kafka-clients 4.4 producer (defaults: idempotent, acks=all) and a consumer without a group (assign and seek only).
 */
@BrookTest
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ProducerConsumerTest {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    @ParameterizedTest(name = "compression.type={0}")
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void shouldReadBackEveryRecordWhenIdempotentProducerCompresses(String compression, BrookBroker broker)
            throws Exception {
        // given
        String topic = JavaClients.uniqueTopic("compression-" + compression);
        JavaClients.createTopic(broker, topic, 2);
        int count = 2_000;

        // when
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker,
                Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression, ProducerConfig.LINGER_MS_CONFIG, 5))) {
            for (int i = 0; i < count; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, i % 2, "key-" + i, "value-" + i)));
            }
            producer.flush();
            for (Future<RecordMetadata> future : sent) {
                future.get(30, TimeUnit.SECONDS);
            }
        }

        // then
        List<ConsumerRecord<String, String>> records = JavaClients.readAll(broker, JavaClients.partitions(topic, 2),
                READ_TIMEOUT);
        assertThat(records).hasSize(count);
        assertThat(records).extracting(ConsumerRecord::value).containsExactlyInAnyOrderElementsOf(
                java.util.stream.IntStream.range(0, count).mapToObj(i -> "value-" + i).toList());
        for (ConsumerRecord<String, String> record : records) {
            assertThat(record.key()).isEqualTo("key-" + record.value().substring("value-".length()));
        }
    }

    @Test
    void shouldReturnRecordsInProduceOrderWithKeysHeadersAndTimestampsWhenOnePartition(BrookBroker broker)
            throws Exception {
        // given
        String topic = JavaClients.uniqueTopic("ordering");
        JavaClients.createTopic(broker, topic, 1);
        long baseTimestamp = System.currentTimeMillis() - 60_000;
        int count = 500;

        // when
        List<RecordMetadata> acked = new ArrayList<>();
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker, Map.of())) {
            List<Future<RecordMetadata>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                List<Header> headers = List.of(
                        new RecordHeader("seq", Integer.toString(i).getBytes(StandardCharsets.UTF_8)),
                        new RecordHeader("empty", new byte[0]));
                String key = i % 7 == 0 ? null : "k" + i;
                futures.add(producer.send(new ProducerRecord<>(topic, 0, baseTimestamp + i, key, "v" + i, headers)));
            }
            for (Future<RecordMetadata> future : futures) {
                acked.add(future.get(30, TimeUnit.SECONDS));
            }
        }

        // then
        assertThat(acked).extracting(RecordMetadata::offset)
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, count).boxed().toList());
        List<ConsumerRecord<String, String>> records = JavaClients.readAll(broker, JavaClients.partitions(topic, 1),
                READ_TIMEOUT);
        assertThat(records).hasSize(count);
        for (int i = 0; i < count; i++) {
            ConsumerRecord<String, String> record = records.get(i);
            assertThat(record.offset()).isEqualTo(i);
            assertThat(record.value()).isEqualTo("v" + i);
            assertThat(record.key()).isEqualTo(i % 7 == 0 ? null : "k" + i);
            assertThat(record.timestamp()).isEqualTo(baseTimestamp + i);
            assertThat(new String(record.headers().lastHeader("seq").value(), StandardCharsets.UTF_8))
                    .isEqualTo(Integer.toString(i));
            assertThat(record.headers().lastHeader("empty").value()).isEmpty();
        }
    }

    @Test
    void shouldReReadFromBeginningAndFromAnOffsetWhenConsumerSeeks(BrookBroker broker) throws Exception {
        // given
        String topic = JavaClients.uniqueTopic("seek");
        JavaClients.createTopic(broker, topic, 1);
        produce(broker, topic, 100);
        TopicPartition partition = new TopicPartition(topic, 0);

        try (KafkaConsumer<String, String> consumer = JavaClients.consumer(broker, Map.of())) {
            // when
            List<ConsumerRecord<String, String>> first = JavaClients.readAll(consumer, List.of(partition),
                    READ_TIMEOUT);
            consumer.seek(partition, 42);
            ConsumerRecord<String, String> afterSeek = pollOne(consumer);
            consumer.seekToBeginning(List.of(partition));
            ConsumerRecord<String, String> afterSeekToBeginning = pollOne(consumer);

            // then
            assertThat(first).hasSize(100);
            assertThat(afterSeek.offset()).isEqualTo(42);
            assertThat(afterSeek.value()).isEqualTo("v42");
            assertThat(afterSeekToBeginning.offset()).isZero();
            assertThat(afterSeekToBeginning.value()).isEqualTo("v0");
            assertThat(consumer.beginningOffsets(List.of(partition))).containsEntry(partition, 0L);
            assertThat(consumer.endOffsets(List.of(partition))).containsEntry(partition, 100L);
        }
    }

    @Test
    void shouldFindOffsetsByTimestampWhenOffsetsForTimesIsCalled(BrookBroker broker) throws Exception {
        // given records with timestamps 1000 ms apart
        String topic = JavaClients.uniqueTopic("offsets-for-times");
        JavaClients.createTopic(broker, topic, 1);
        long base = System.currentTimeMillis() - 100_000;
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker, Map.of())) {
            for (int i = 0; i < 50; i++) {
                producer.send(new ProducerRecord<>(topic, 0, base + i * 1000L, "k", "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
        TopicPartition partition = new TopicPartition(topic, 0);

        try (KafkaConsumer<String, String> consumer = JavaClients.consumer(broker, Map.of())) {
            // when
            Map<TopicPartition, OffsetAndTimestamp> exact = consumer.offsetsForTimes(Map.of(partition, base + 20_000));
            Map<TopicPartition, OffsetAndTimestamp> between = consumer.offsetsForTimes(
                    Map.of(partition, base + 20_500));
            Map<TopicPartition, OffsetAndTimestamp> before = consumer.offsetsForTimes(Map.of(partition, 0L));
            Map<TopicPartition, OffsetAndTimestamp> after = consumer.offsetsForTimes(
                    Map.of(partition, base + 1_000_000));

            // then
            assertThat(exact.get(partition).offset()).isEqualTo(20);
            assertThat(exact.get(partition).timestamp()).isEqualTo(base + 20_000);
            assertThat(between.get(partition).offset()).isEqualTo(21);
            assertThat(before.get(partition).offset()).isZero();
            assertThat(after.get(partition)).isNull();
        }
    }

    private static void produce(BrookBroker broker, String topic, int count) throws Exception {
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker, Map.of())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k" + i, "v" + i));
            }
            producer.flush();
        }
    }

    private static ConsumerRecord<String, String> pollOne(KafkaConsumer<String, String> consumer) {
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            var records = consumer.poll(Duration.ofMillis(200));
            if (!records.isEmpty()) {
                return records.iterator().next();
            }
        }
        throw new AssertionError("no record within " + READ_TIMEOUT);
    }
}
