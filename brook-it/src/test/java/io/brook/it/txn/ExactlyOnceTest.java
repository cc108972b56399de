package io.brook.it.txn;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.it.harness.BrookBroker;
import io.brook.it.harness.BrookTest;
import io.brook.it.harness.ExternalCommand;
import io.brook.it.harness.JavaClients;
import io.brook.it.harness.TestClasspath;

/**
 * Consume-transform-produce with sendOffsetsToTransaction ({@link CopyApplication}, a process of its own) killed in
 * the middle of the stream and started again: the output, read with read_committed, holds each input record's result
 * exactly once. The killed instance's open transaction is aborted when the next one initializes (same transactional
 * id), and the next one resumes from the offsets committed in the last committed transaction. Likewise when the
 * broker is killed (SIGKILL) mid-stream and restarted.
 *
 * <p>group.initial.rebalance.delay.ms=0: a classic instance joining an empty group would otherwise wait out Kafka's
 * 3 s delay for more members; exactly-once does not depend on it.
 */
@BrookTest(overrides = {"group.initial.rebalance.delay.ms=0"})
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ExactlyOnceTest {

    private static final int PARTITIONS = 3;
    private static final int RECORDS = 1500;

    @Test
    void shouldCopyEachInputExactlyOnceWhenTheApplicationIsKilledAndRestarted(BrookBroker broker) throws Exception {
        String input = JavaClients.uniqueTopic("eos-in");
        String output = JavaClients.uniqueTopic("eos-out");
        String group = JavaClients.uniqueGroup("eos");
        JavaClients.createTopic(broker, input, PARTITIONS);
        JavaClients.createTopic(broker, output, PARTITIONS);
        produceInput(broker, input);

        // the first instance is killed (SIGKILL) once it has committed part of the stream
        ExternalCommand.Running first = application(broker, input, output, group).start();
        try {
            Awaitility.await("first instance committed some transactions").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(20)).until(() -> committed(first.stdoutSoFar()) >= RECORDS / 4
                            || !first.isAlive());
            assertThat(first.isAlive()).as("still copying when killed: %s", first.stdoutSoFar()).isTrue();
        } finally {
            first.destroy();
        }
        int copiedBeforeKill = committed(first.stdoutSoFar());
        assertThat(copiedBeforeKill).isLessThan(RECORDS);

        // the second instance finishes the stream
        ExternalCommand.Result second = application(broker, input, output, group).timeout(Duration.ofSeconds(120))
                .run();
        assertThat(second.exitCode()).as("second instance: %s", second.describe()).isZero();

        assertExactlyOnce(broker, output);
    }

    @Test
    void shouldCopyEachInputExactlyOnceWhenTheBrokerIsKilledMidStream(BrookBroker broker) throws Exception {
        Assumptions.assumeTrue(broker.isManaged(), "needs a broker process the test can kill");
        String input = JavaClients.uniqueTopic("eos-crash-in");
        String output = JavaClients.uniqueTopic("eos-crash-out");
        String group = JavaClients.uniqueGroup("eos-crash");
        JavaClients.createTopic(broker, input, PARTITIONS);
        JavaClients.createTopic(broker, output, PARTITIONS);
        produceInput(broker, input);

        ExternalCommand.Running running = application(broker, input, output, group).start();
        try {
            Awaitility.await("application committed some transactions").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> committed(running.stdoutSoFar()) >= RECORDS / 4 || !running.isAlive());
            assertThat(running.isAlive()).as("still copying at the crash: %s", running.stdoutSoFar()).isTrue();
            broker.kill();
            broker.restart();
            // The application either rides out the crash or fails (a transaction that cannot complete); as under a
            // supervisor, a failed instance is started again until one copies the rest.
            ExternalCommand.Result result = running.await(Duration.ofSeconds(120));
            for (int attempt = 0; attempt < 3 && !result.succeeded(); attempt++) {
                result = application(broker, input, output, group).timeout(Duration.ofSeconds(120)).run();
            }
            assertThat(result.succeeded()).as("application after the crash: %s", result.describe()).isTrue();
        } finally {
            running.destroy();
        }

        assertExactlyOnce(broker, output);
    }

    @Test
    void shouldCopyEachInputExactlyOnceWithTheConsumerGroupProtocol(BrookBroker broker) {
        // TxnOffsetCommit from a KIP-848 member carries its member epoch, which the coordinator checks
        String input = JavaClients.uniqueTopic("eos-848-in");
        String output = JavaClients.uniqueTopic("eos-848-out");
        String group = JavaClients.uniqueGroup("eos-848");
        JavaClients.createTopic(broker, input, PARTITIONS);
        JavaClients.createTopic(broker, output, PARTITIONS);
        produceInput(broker, input);

        ExternalCommand.Result result = ExternalCommand.of(TestClasspath.javaBinary(), "-Xmx256m",
                "-XX:TieredStopAtLevel=1", "-cp", TestClasspath.classpath(), CopyApplication.class.getName(),
                broker.bootstrapServers(), input, output, group, "eos-" + group, "consumer")
                .timeout(Duration.ofSeconds(120)).run();

        assertThat(result.succeeded()).as(result.describe()).isTrue();
        // the last transaction's markers (output and offsets) land just after the application's commit returns
        Awaitility.await("the last transaction's offsets").atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(JavaClients.committedOffsets(broker, group).values().stream()
                        .mapToLong(Long::longValue).sum()).isEqualTo(RECORDS));
        assertExactlyOnce(broker, output);
    }

    private static void produceInput(BrookBroker broker, String input) {
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker, Map.of())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(input, "k" + i, Integer.toString(i)));
            }
            producer.flush();
        }
    }

    /**
     * The output, read with read_committed, holds {@code out-i} exactly once for every input {@code i}. Retried until it
     * does: the markers of the last transaction reach the partitions a moment after its commit returns, as in Kafka
     * (a duplicate never goes away, so retrying cannot hide one).
     */
    private static void assertExactlyOnce(BrookBroker broker, String output) {
        Awaitility.await("each input copied exactly once").atMost(Duration.ofSeconds(90))
                .untilAsserted(() -> assertCopiedOnce(broker, output));
    }

    private static void assertCopiedOnce(BrookBroker broker, String output) {
        List<ConsumerRecord<String, String>> copied;
        try (KafkaConsumer<String, String> consumer = JavaClients.consumer(broker,
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            copied = JavaClients.readAll(consumer, JavaClients.partitions(output, PARTITIONS), Duration.ofSeconds(60));
        }
        Map<String, Long> counts = copied.stream()
                .collect(Collectors.groupingBy(ConsumerRecord::value, Collectors.counting()));
        Map<String, Long> expected = IntStream.range(0, RECORDS).mapToObj(i -> "out-" + i)
                .collect(Collectors.toMap(Function.identity(), v -> 1L));
        assertThat(counts).isEqualTo(expected);
    }

    private static ExternalCommand application(BrookBroker broker, String input, String output, String group) {
        return ExternalCommand.of(TestClasspath.javaBinary(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
                TestClasspath.classpath(), CopyApplication.class.getName(), broker.bootstrapServers(), input, output,
                group, "eos-" + group);
    }

    /** The last {@code committed <n>} the application printed, or 0. */
    private static int committed(String stdout) {
        int last = 0;
        for (String line : stdout.split("\n")) {
            if (line.startsWith("committed ")) {
                last = Integer.parseInt(line.substring("committed ".length()).trim());
            }
        }
        return last;
    }
}
