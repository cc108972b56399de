package io.brook.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.it.harness.BrookBroker;
import io.brook.it.harness.BrookTest;
import io.brook.it.harness.JavaClients;

/**
 * SIGKILL during acks=all writes must lose no acknowledged record and leave no torn batch: after each restart every
 * acknowledged record is at its acknowledged offset with its value, and offsets are contiguous.
 */
@BrookTest
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CrashRecoveryTest {

    private static final int PARTITIONS = 3;
    private static final int PRODUCERS = 3;
    private static final int KILLS = 2;
    private static final int ACKS_BEFORE_KILL = 3_000;

    /** (partition, offset) of every acknowledged record, with its value. */
    private final Map<TopicPartition, Map<Long, String>> acknowledged = new ConcurrentHashMap<>();

    @Test
    void shouldKeepEveryAcknowledgedRecordWhenBrokerIsKilledDuringWrites(BrookBroker broker) throws Exception {
        Assumptions.assumeTrue(broker.isManaged(), "needs a broker process the test can kill (BROOK_IT_BOOTSTRAP set)");
        // given
        String topic = JavaClients.uniqueTopic("crash");
        JavaClients.createTopic(broker, topic, PARTITIONS);
        // the old producers' connections see the broker die; the restarted broker must not log their resets as ERROR

        for (int round = 0; round < KILLS; round++) {
            // when several idempotent producers write with acks=all and the broker is killed mid-stream
            writeUntilKilled(broker, topic, round);
            broker.restart();

            // then
            verifyLog(broker, topic);
        }
    }

    private void writeUntilKilled(BrookBroker broker, String topic, int round) throws Exception {
        int ackedBefore = ackedCount();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS);
        List<KafkaProducer<String, String>> producers = new ArrayList<>();
        List<Future<?>> tasks = new ArrayList<>();
        try {
            for (int p = 0; p < PRODUCERS; p++) {
                KafkaProducer<String, String> producer = JavaClients.producer(broker, Map.of(
                        ProducerConfig.ACKS_CONFIG, "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                        ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
                        ProducerConfig.LINGER_MS_CONFIG, 2,
                        ProducerConfig.BATCH_SIZE_CONFIG, 4096,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 6_000,
                        ProducerConfig.MAX_BLOCK_MS_CONFIG, 3_000));
                producers.add(producer);
                String prefix = "r" + round + "-p" + p + "-";
                tasks.add(pool.submit(() -> produceWhile(producer, topic, prefix, running)));
            }
            Awaitility.await("acknowledgements before the kill").atMost(Duration.ofSeconds(60))
                    .until(() -> ackedCount() - ackedBefore >= ACKS_BEFORE_KILL);
            broker.kill();
        } finally {
            running.set(false);
            for (KafkaProducer<String, String> producer : producers) {
                producer.close(Duration.ZERO);
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        for (Future<?> task : tasks) {
            task.get();
        }
    }

    private void produceWhile(KafkaProducer<String, String> producer, String topic, String prefix,
            AtomicBoolean running) {
        long seq = 0;
        while (running.get()) {
            String value = prefix + seq;
            int partition = (int) (seq % PARTITIONS);
            try {
                producer.send(new ProducerRecord<>(topic, partition, "k" + seq, value), (metadata, error) -> {
                    if (error == null) {
                        acknowledged.computeIfAbsent(new TopicPartition(topic, metadata.partition()),
                                tp -> new ConcurrentHashMap<>()).put(metadata.offset(), value);
                    }
                });
            } catch (RuntimeException e) {
                return; // the producer was closed or its buffer timed out after the kill
            }
            seq++;
        }
    }

    private void verifyLog(BrookBroker broker, String topic) {
        List<TopicPartition> partitions = JavaClients.partitions(topic, PARTITIONS);
        // a torn or corrupt batch makes the consumer throw CorruptRecordException here
        List<ConsumerRecord<String, String>> records = JavaClients.readAll(broker, partitions,
                Duration.ofSeconds(60));
        Map<TopicPartition, Map<Long, String>> stored = new HashMap<>();
        Set<String> values = ConcurrentHashMap.newKeySet();
        for (ConsumerRecord<String, String> record : records) {
            TopicPartition tp = new TopicPartition(record.topic(), record.partition());
            stored.computeIfAbsent(tp, x -> new HashMap<>()).put(record.offset(), record.value());
            assertThat(values.add(record.value())).as("record %s stored twice", record.value()).isTrue();
        }
        for (TopicPartition tp : partitions) {
            Map<Long, String> offsets = stored.getOrDefault(tp, Map.of());
            assertThat(offsets.keySet()).as("offsets of %s are contiguous from 0", tp)
                    .containsExactlyInAnyOrderElementsOf(java.util.stream.LongStream.range(0, offsets.size())
                            .boxed().toList());
            Map<Long, String> acked = acknowledged.getOrDefault(tp, Map.of());
            assertThat(offsets).as("every acknowledged record of %s is stored at its offset", tp)
                    .containsAllEntriesOf(acked);
        }
        assertThat(ackedCount()).isPositive();
    }

    private int ackedCount() {
        return acknowledged.values().stream().mapToInt(Map::size).sum();
    }
}
