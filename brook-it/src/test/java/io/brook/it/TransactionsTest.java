package io.brook.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.it.harness.BrookBroker;
import io.brook.it.harness.BrookTest;
import io.brook.it.harness.ClientPrograms;
import io.brook.it.harness.ExternalCommand;
import io.brook.it.harness.JavaClients;
import io.brook.it.harness.KafkaTool;
import io.brook.it.harness.TestClasspath;

/**
 * Transactions with Kafka 4.4's Java producer (transaction version 2, which Brook finalizes as Kafka 4.4 does),
 * confluent-kafka-python (version 1), and the kafka-transactions and kafka-features tools (in child JVMs).
 *
 * <p>group.initial.rebalance.delay.ms=0: a classic consumer joining an empty group would otherwise wait out Kafka's
 * 3 s delay for more members; no test here is about that delay.
 */
@BrookTest(overrides = {"group.initial.rebalance.delay.ms=0"})
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TransactionsTest {

    private static final Duration READ = Duration.ofSeconds(30);

    private static KafkaProducer<String, String> transactional(BrookBroker broker, String id) {
        KafkaProducer<String, String> producer = JavaClients.producer(broker, Map.of("transactional.id", id));
        producer.initTransactions();
        return producer;
    }

    /**
     * A committed transaction becomes readable a moment after {@code commitTransaction} returns: the client is answered
     * once the coordinator has decided, and the markers reach the partitions after that, as in Kafka. Until then a
     * read_committed reader stops at the transaction, so the check is retried until it holds.
     */
    private static void awaitReadCommitted(BrookBroker broker, List<TopicPartition> partitions,
            Consumer<List<String>> assertion) {
        Awaitility.await("read_committed view of " + partitions).atMost(READ)
                .untilAsserted(() -> assertion.accept(values(broker, partitions, "read_committed")));
    }

    private static List<String> values(BrookBroker broker, List<TopicPartition> partitions, String isolation) {
        try (KafkaConsumer<String, String> consumer = JavaClients.consumer(broker,
                Map.of("isolation.level", isolation))) {
            List<String> values = new ArrayList<>();
            for (ConsumerRecord<String, String> r : JavaClients.readAll(consumer, partitions, READ)) {
                values.add(r.value());
            }
            return values;
        }
    }

    @Test
    void shouldCommitAndAbortAcrossTopicsAsReadCommittedAndReadUncommittedConsumersSeeThem(BrookBroker broker) {
        // given two topics of two partitions each
        String orders = JavaClients.uniqueTopic("txn-orders");
        String audit = JavaClients.uniqueTopic("txn-audit");
        JavaClients.createTopic(broker, orders, 2);
        JavaClients.createTopic(broker, audit, 2);
        List<TopicPartition> all = new ArrayList<>(JavaClients.partitions(orders, 2));
        all.addAll(JavaClients.partitions(audit, 2));

        // when one transaction commits over all four partitions, one aborts, then another commits
        try (KafkaProducer<String, String> producer = transactional(broker, JavaClients.uniqueGroup("txn"))) {
            producer.beginTransaction();
            for (int p = 0; p < 2; p++) {
                producer.send(new ProducerRecord<>(orders, p, "k", "commit-o" + p));
                producer.send(new ProducerRecord<>(audit, p, "k", "commit-a" + p));
            }
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(orders, 0, "k", "abort-o0"));
            producer.send(new ProducerRecord<>(audit, 1, "k", "abort-a1"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(orders, 1, "k", "last"));
            producer.commitTransaction();
        }

        // then
        awaitReadCommitted(broker, all, values -> assertThat(values).containsExactlyInAnyOrder("commit-o0",
                "commit-a0", "commit-o1", "commit-a1", "last"));
        assertThat(values(broker, all, "read_uncommitted")).containsExactlyInAnyOrder("commit-o0", "commit-a0",
                "commit-o1", "commit-a1", "abort-o0", "abort-a1", "last");
    }

    @Test
    void shouldFenceAZombieProducerAndAbortItsTransaction(BrookBroker broker) throws Exception {
        // given a producer with an open transaction
        String topic = JavaClients.uniqueTopic("txn-zombie");
        JavaClients.createTopic(broker, topic, 1);
        String id = JavaClients.uniqueGroup("zombie");
        try (KafkaProducer<String, String> zombie = transactional(broker, id)) {
            zombie.beginTransaction();
            zombie.send(new ProducerRecord<>(topic, 0, "k", "from-zombie")).get();

            // when a new instance with the same transactional id starts
            try (KafkaProducer<String, String> successor = transactional(broker, id)) {
                successor.beginTransaction();
                successor.send(new ProducerRecord<>(topic, 0, "k", "from-successor"));
                successor.commitTransaction();

                // then the old one is fenced, and only the successor's record is committed
                assertThatThrownBy(zombie::commitTransaction).isInstanceOf(ProducerFencedException.class);
            }
        }
        awaitReadCommitted(broker, JavaClients.partitions(topic, 1),
                values -> assertThat(values).containsExactly("from-successor"));
    }

    @Test
    void shouldListAndDescribeAnOngoingTransactionWithTheKafkaTransactionsTool(BrookBroker broker) throws Exception {
        // given an ongoing transaction on partition 1
        String topic = JavaClients.uniqueTopic("txn-cli");
        JavaClients.createTopic(broker, topic, 2);
        String id = JavaClients.uniqueGroup("txn-cli");
        try (KafkaProducer<String, String> producer = transactional(broker, id)) {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 1, "k", "v")).get();

            // when
            ExternalCommand.Result list = tool(broker, "list");
            ExternalCommand.Result describe = tool(broker, "describe", "--transactional-id", id);

            // then: TransactionalId Coordinator ProducerId TransactionState
            assertThat(list.succeeded()).as(list.describe()).isTrue();
            assertThat(row(list, id)).as(list.describe()).hasSize(4).endsWith("Ongoing");
            // CoordinatorId TransactionalId ProducerId ProducerEpoch TransactionState CurrentTransactionTimeoutMs
            // CurrentTransactionStartTimeMs TransactionDurationMs TopicPartitions
            assertThat(describe.succeeded()).as(describe.describe()).isTrue();
            List<String> described = describe.stdoutLines().stream().map(l -> List.of(l.trim().split("\\s+")))
                    .filter(fields -> fields.size() > 1 && fields.get(1).equals(id)).findFirst()
                    .orElseThrow(() -> new AssertionError(describe.describe()));
            assertThat(described.get(4)).as(describe.describe()).isEqualTo("Ongoing");
            assertThat(described.get(described.size() - 1)).as(describe.describe()).isEqualTo(topic + "-1");
            producer.commitTransaction();
        }
    }

    @Test
    void shouldHideWhatConfluentKafkaAbortsFromReadCommittedConsumers(BrookBroker broker) {
        // given
        String python = ClientPrograms.python("confluent_kafka");
        String topic = JavaClients.uniqueTopic("txn-confluent");
        JavaClients.createTopic(broker, topic, 2);

        // when librdkafka commits ten records and aborts ten more
        ExternalCommand.Result result = ExternalCommand.of(python,
                TestClasspath.resource("clients/confluent_transactions.py").toString(), broker.bootstrapServers(),
                topic, JavaClients.uniqueGroup("confluent-txn"), "10").timeout(Duration.ofSeconds(60)).run();

        // then
        assertThat(result.succeeded()).as(result.describe()).isTrue();
        awaitReadCommitted(broker, JavaClients.partitions(topic, 2),
                committed -> assertThat(committed).hasSize(10).allMatch(v -> v.startsWith("committed-")));
        assertThat(values(broker, JavaClients.partitions(topic, 2), "read_uncommitted")).hasSize(20);
    }

    @Test
    void shouldProcessEachInputExactlyOnceAcrossABrokerKillWithOffsetsInTheTransaction(BrookBroker broker)
            throws Exception {
        Assumptions.assumeTrue(broker.isManaged(), "needs a broker process the test can kill");
        // given ten input records
        String input = JavaClients.uniqueTopic("ctp-in");
        String output = JavaClients.uniqueTopic("ctp-out");
        String group = JavaClients.uniqueGroup("ctp");
        String id = JavaClients.uniqueGroup("ctp-tx");
        JavaClients.createTopic(broker, input, 1);
        JavaClients.createTopic(broker, output, 1);
        try (KafkaProducer<String, String> plain = JavaClients.producer(broker, Map.of())) {
            for (int i = 0; i < 10; i++) {
                plain.send(new ProducerRecord<>(input, 0, "k", Integer.toString(i)));
            }
        }

        // when the first five are processed and committed, and the broker is killed while the last five are in an
        // open transaction with their offsets
        KafkaProducer<String, String> first = transactional(broker, id);
        KafkaConsumer<String, String> firstConsumer = ctpConsumer(broker, group, input);
        transform(first, firstConsumer, output, 5, true);
        transform(first, firstConsumer, output, 5, false);
        broker.kill();
        first.close(Duration.ZERO);
        firstConsumer.close(CloseOptions.timeout(Duration.ZERO));
        broker.restart();

        // then a new instance fences the old one, resumes from the committed offset and finishes the work
        try (KafkaProducer<String, String> second = transactional(broker, id);
                KafkaConsumer<String, String> secondConsumer = ctpConsumer(broker, group, input)) {
            transform(second, secondConsumer, output, 5, true);
        }
        awaitReadCommitted(broker, JavaClients.partitions(output, 1), values -> assertThat(values).containsExactly(
                "out-0", "out-1", "out-2", "out-3", "out-4", "out-5", "out-6", "out-7", "out-8", "out-9"));
        Awaitility.await("the group's offsets committed with the transaction").atMost(READ)
                .untilAsserted(() -> assertThat(JavaClients.committedOffsets(broker, group))
                        .containsEntry(new TopicPartition(input, 0), 10L));
    }

    private static KafkaConsumer<String, String> ctpConsumer(BrookBroker broker, String group, String topic) {
        // The killed instance's member is restored with the group: a short session lets the next one take over soon.
        KafkaConsumer<String, String> consumer = JavaClients.groupConsumer(broker, group,
                Map.of("isolation.level", "read_committed", "max.poll.records", 5, "session.timeout.ms", 6000));
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /** Reads {@code count} records, writes them transformed with their offsets in one transaction. */
    private static void transform(KafkaProducer<String, String> producer, KafkaConsumer<String, String> consumer,
            String output, int count, boolean commit) {
        List<ConsumerRecord<String, String>> batch = new ArrayList<>();
        long deadline = System.nanoTime() + READ.toNanos();
        while (batch.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(batch::add);
        }
        assertThat(batch).as("records to transform").hasSize(count);
        producer.beginTransaction();
        long next = 0;
        for (ConsumerRecord<String, String> r : batch) {
            producer.send(new ProducerRecord<>(output, 0, r.key(), "out-" + r.value()));
            next = r.offset() + 1;
        }
        producer.sendOffsetsToTransaction(Map.of(new TopicPartition(batch.get(0).topic(), 0),
                new OffsetAndMetadata(next)), consumer.groupMetadata());
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.flush();
        }
    }

    private static List<String> row(ExternalCommand.Result result, String id) {
        // The tool separates columns with tabs and pads them with spaces.
        return result.stdoutLines().stream().map(line -> List.of(line.trim().split("\\s+")))
                .filter(fields -> fields.get(0).equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + id + ": " + result.describe()));
    }

    @Test
    void shouldShowTransactionVersion2InKafkaFeaturesDescribeAsKafka44(BrookBroker broker) {
        ExternalCommand.Result result = KafkaTool.command("org.apache.kafka.tools.FeatureCommand",
                "--bootstrap-server", broker.bootstrapServers(), "describe").timeout(Duration.ofSeconds(60)).run();

        // Kafka 4.4.0 shows: transaction.version SupportedMinVersion: 0 SupportedMaxVersion: 2 FinalizedVersionLevel: 2
        assertThat(result.stdoutLines()).as(result.describe()).anySatisfy(line -> assertThat(
                List.of(line.trim().split("\\s+"))).containsSubsequence("Feature:", "transaction.version",
                        "SupportedMinVersion:", "0", "SupportedMaxVersion:", "2", "FinalizedVersionLevel:", "2"));
    }

    private static ExternalCommand.Result tool(BrookBroker broker, String... args) {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", broker.bootstrapServers()));
        all.addAll(List.of(args));
        return KafkaTool.command(KafkaTool.TRANSACTIONS, all.toArray(String[]::new)).timeout(Duration.ofSeconds(60))
                .run();
    }
}
