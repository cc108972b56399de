package io.brook.it.txn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.brook.it.harness.BrookBroker;
import io.brook.it.harness.BrookTest;
import io.brook.it.harness.ExternalCommand;
import io.brook.it.harness.JavaClients;
import io.brook.it.harness.TestClasspath;

/**
 * Kafka Streams 4.4 with {@code exactly_once_v2} ({@link WordCountApplication}, a process of its own): a word count
 * over a known input gives exact counts, also when the application is killed (SIGKILL) mid-stream and started again,
 * and when the broker is killed and restarted meanwhile. The counts are read with read_committed: the last count of
 * each word must be its number of occurrences, and no committed count may ever exceed it (a record counted twice).
 */
// group.initial.rebalance.delay.ms=0: classic members here join empty groups, which would otherwise wait out
// Kafka's 3 s delay for more members; no test here is about that delay.
@BrookTest(overrides = {"group.initial.rebalance.delay.ms=0"})
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class KafkaStreamsExactlyOnceTest {

    private static final int PARTITIONS = 2;
    private static final int LINES = 400;
    private static final int WORDS_PER_LINE = 5;
    private static final int VOCABULARY = 17;

    @TempDir
    Path stateDir;

    @Test
    void shouldCountWordsExactlyAcrossAnApplicationKillAndABrokerRestart(BrookBroker broker) throws Exception {
        Assumptions.assumeTrue(broker.isManaged(), "needs a broker process the test can restart");
        String input = JavaClients.uniqueTopic("wc-in");
        String output = JavaClients.uniqueTopic("wc-out");
        String applicationId = JavaClients.uniqueGroup("wc");
        JavaClients.createTopic(broker, input, PARTITIONS);
        JavaClients.createTopic(broker, output, PARTITIONS);
        Map<String, Long> expected = new HashMap<>();
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker, Map.of())) {
            for (int line = 0; line < LINES; line++) {
                StringBuilder text = new StringBuilder();
                for (int w = 0; w < WORDS_PER_LINE; w++) {
                    String word = "w" + ((line * 7 + w * 3) % VOCABULARY);
                    expected.merge(word, 1L, Long::sum);
                    text.append(w == 0 ? "" : " ").append(word);
                }
                producer.send(new ProducerRecord<>(input, "line" + line, text.toString()));
            }
            producer.flush();
        }

        try (KafkaConsumer<String, Long> counts = countsConsumer(broker, output)) {
            Map<String, Long> latest = new HashMap<>();
            // the first instance is killed once some counts are committed
            ExternalCommand.Running first = application(broker, input, output, applicationId).start();
            try {
                Awaitility.await("first counts committed").atMost(Duration.ofSeconds(120))
                        .until(() -> poll(counts, latest, expected) > 0 || !first.isAlive());
                assertThat(first.isAlive()).as("first instance: %s", first.stdoutSoFar()).isTrue();
            } finally {
                first.destroy();
            }
            assertThat(latest).isNotEqualTo(expected);
            broker.kill();
            broker.restart();

            ExternalCommand.Running second = application(broker, input, output, applicationId).start();
            try {
                Awaitility.await("exact counts").atMost(Duration.ofSeconds(150)).pollDelay(Duration.ZERO)
                        .until(() -> {
                            poll(counts, latest, expected);
                            return latest.equals(expected) || !second.isAlive();
                        });
                assertThat(latest).as("second instance: %s", second.stdoutSoFar()).isEqualTo(expected);
            } finally {
                second.destroy();
            }
        }
    }

    private KafkaConsumer<String, Long> countsConsumer(BrookBroker broker, String output) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, Long> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new LongDeserializer());
        consumer.assign(JavaClients.partitions(output, PARTITIONS));
        return consumer;
    }

    /** Reads committed counts into {@code latest}; fails on a count above the word's occurrences. */
    private static int poll(KafkaConsumer<String, Long> consumer, Map<String, Long> latest,
            Map<String, Long> expected) {
        int read = 0;
        for (ConsumerRecord<String, Long> record : consumer.poll(Duration.ofMillis(200))) {
            assertThat(record.value()).as("count of %s", record.key())
                    .isLessThanOrEqualTo(expected.getOrDefault(record.key(), 0L));
            latest.put(record.key(), record.value());
            read++;
        }
        return read;
    }

    private ExternalCommand application(BrookBroker broker, String input, String output, String applicationId) {
        return ExternalCommand.of(List.of(TestClasspath.javaBinary(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
                TestClasspath.classpath(), WordCountApplication.class.getName(), broker.bootstrapServers(), input,
                output, applicationId, stateDir.toString()));
    }
}
