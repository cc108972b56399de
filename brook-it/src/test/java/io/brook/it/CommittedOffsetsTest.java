package io.brook.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.brook.it.harness.BrookBroker;
import io.brook.it.harness.BrookTest;
import io.brook.it.harness.JavaClients;

/**
 * Offsets committed by a group (synchronously or by auto-commit) are where the next member of the group starts, also
 * after the broker restarts: nothing after the last commit is read twice, nothing is skipped.
 *
 * <p>group.initial.rebalance.delay.ms=0: each classic member here joins an empty group, which would otherwise wait
 * out Kafka's 3 s delay for more members; what is proven (where the next member resumes) does not depend on it.
 */
@BrookTest(overrides = {"group.initial.rebalance.delay.ms=0"})
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CommittedOffsetsTest {

    private static final int PARTITIONS = 3;
    private static final int PER_PARTITION = 1_000;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @ParameterizedTest(name = "commit={0} group.protocol={1}")
    @CsvSource({"sync,classic", "auto,classic", "sync,consumer", "auto,consumer"})
    void shouldResumeFromCommittedOffsetsWhenNewMemberJoinsAfterAllMembersClosed(String commit, String protocol,
            BrookBroker broker) throws Exception {
        resumeFromCommittedOffsets(commit, protocol, broker, false);
    }

    @ParameterizedTest(name = "commit={0} group.protocol={1}")
    @CsvSource({"sync,classic", "auto,classic", "sync,consumer", "auto,consumer"})
    void shouldResumeFromCommittedOffsetsWhenNewMemberJoinsAfterBrokerRestart(String commit, String protocol,
            BrookBroker broker) throws Exception {
        Assumptions.assumeTrue(broker.isManaged(), "needs a broker process the test can restart");
        resumeFromCommittedOffsets(commit, protocol, broker, true);
    }

    private static void resumeFromCommittedOffsets(String commit, String protocol, BrookBroker broker,
            boolean restart) throws Exception {
        // given a topic with 1,000 records in each partition, of which a group consumed and committed about half
        String topic = JavaClients.uniqueTopic("committed-" + commit + "-" + protocol);
        String group = JavaClients.uniqueGroup("committed-" + commit + "-" + protocol);
        JavaClients.createTopic(broker, topic, PARTITIONS);
        produce(broker, topic);
        // small fetches, so that the consumer moves between partitions and stops mid-way in several
        Map<String, Object> config = new HashMap<>(Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 2048, ConsumerConfig.GROUP_PROTOCOL_CONFIG,
                protocol));
        if (commit.equals("auto")) {
            // periodic commits during the run, and a last one when the consumer closes
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true);
            config.put(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG, 100);
        }
        Map<TopicPartition, TreeSet<Long>> before = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = JavaClients.groupConsumer(broker, group, config)) {
            consumer.subscribe(List.of(topic));
            int read = 0;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (read < PARTITIONS * PER_PARTITION / 2) {
                assertThat(System.nanoTime()).as("time to read half the records").isLessThan(deadline);
                var records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, String> record : records) {
                    before.computeIfAbsent(partition(record), tp -> new TreeSet<>()).add(record.offset());
                    read++;
                }
                if (commit.equals("sync") && !records.isEmpty()) {
                    consumer.commitSync();
                }
            }
        }
        Map<TopicPartition, Long> expected = new HashMap<>();
        for (TopicPartition tp : JavaClients.partitions(topic, PARTITIONS)) {
            // a partition not read at all may have no committed offset or offset 0
            expected.put(tp, before.containsKey(tp) ? before.get(tp).last() + 1 : 0L);
        }
        Map<TopicPartition, Long> committed = JavaClients.committedOffsets(broker, group);
        for (TopicPartition tp : expected.keySet()) {
            assertThat(committed.getOrDefault(tp, 0L)).as("committed offset of %s", tp).isEqualTo(expected.get(tp));
        }

        // when (optionally after a broker restart) a new member of the same group reads to the end
        if (restart) {
            broker.restart();
        }
        Map<TopicPartition, TreeSet<Long>> after = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = JavaClients.groupConsumer(broker, group,
                Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol))) {
            consumer.subscribe(List.of(topic));
            int remaining = PARTITIONS * PER_PARTITION - before.values().stream().mapToInt(TreeSet::size).sum();
            int read = 0;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (read < remaining) {
                assertThat(System.nanoTime()).as("time to read the rest").isLessThan(deadline);
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    after.computeIfAbsent(partition(record), tp -> new TreeSet<>()).add(record.offset());
                    read++;
                }
            }
            // nothing more arrives: no re-read beyond the committed offsets
            assertThat(consumer.poll(Duration.ofMillis(500))).isEmpty();
        }

        // then each partition resumed exactly at its committed offset
        for (TopicPartition tp : JavaClients.partitions(topic, PARTITIONS)) {
            long resumeAt = expected.get(tp);
            assertThat(before.getOrDefault(tp, new TreeSet<>())).as("read before, %s", tp)
                    .containsExactlyElementsOf(LongStream.range(0, resumeAt).boxed().toList());
            assertThat(after.getOrDefault(tp, new TreeSet<>())).as("read after, %s", tp)
                    .containsExactlyElementsOf(LongStream.range(resumeAt, PER_PARTITION).boxed().toList());
        }
    }

    private static TopicPartition partition(ConsumerRecord<?, ?> record) {
        return new TopicPartition(record.topic(), record.partition());
    }

    private static void produce(BrookBroker broker, String topic) {
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker, Map.of())) {
            for (int i = 0; i < PER_PARTITION; i++) {
                for (int p = 0; p < PARTITIONS; p++) {
                    producer.send(new ProducerRecord<>(topic, p, "k" + i, "v" + p + "-" + i));
                }
            }
            producer.flush();
        }
    }
}
