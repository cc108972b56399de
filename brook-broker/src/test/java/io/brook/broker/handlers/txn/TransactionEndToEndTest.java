package io.brook.broker.handlers.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.brook.broker.Broker;
import io.brook.broker.config.BrokerConfig;

/**
 * The Java transactional producer against an in-process broker on real storage. The broker finalizes
 * {@code transaction.version} 2, so the producer speaks version 2 (epoch bump at every EndTxn, partitions added by
 * their leaders through Produce v12+).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TransactionEndToEndTest {

    @TempDir
    Path dir;

    private Broker broker;
    private String bootstrap;

    @BeforeEach
    void start() throws Exception {
        broker = Broker.start(BrokerConfig.parse(Map.of(BrokerConfig.LISTENERS, "PLAINTEXT://localhost:0",
                BrokerConfig.LOG_DIRS, dir.toString(), BrokerConfig.OFFSETS_TOPIC_NUM_PARTITIONS, "3",
                BrokerConfig.TRANSACTION_STATE_LOG_NUM_PARTITIONS, "3")));
        bootstrap = "localhost:" + broker.boundPort("PLAINTEXT");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic("orders", 2, (short) 1), new NewTopic("audit", 1, (short) 1)))
                    .all().get();
        }
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private KafkaProducer<String, String> producer(String transactionalId) {
        KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
                "transactional.id", transactionalId, "max.block.ms", "30000"), new StringSerializer(),
                new StringSerializer());
        producer.initTransactions();
        return producer;
    }

    private List<String> readAll(String isolation, int expectedAtLeast) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "isolation.level", isolation, "auto.offset.reset", "earliest"), new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(List.of(new TopicPartition("orders", 0), new TopicPartition("orders", 1),
                    new TopicPartition("audit", 0)));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            // Polls until the expected count arrives, then once more to see that nothing else does.
            int emptyPolls = 0;
            while (System.nanoTime() < deadline && (values.size() < expectedAtLeast || emptyPolls < 1)) {
                int before = values.size();
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(300))) {
                    values.add(r.value());
                }
                emptyPolls = values.size() == before && values.size() >= expectedAtLeast ? emptyPolls + 1 : 0;
            }
        }
        return values;
    }

    @Test
    void shouldShowCommittedTransactionsToReadCommittedConsumersAndHideAbortedOnes() throws Exception {
        try (KafkaProducer<String, String> producer = producer("tx-commit")) {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("orders", 0, "k", "c1"));
            producer.send(new ProducerRecord<>("orders", 1, "k", "c2"));
            producer.send(new ProducerRecord<>("audit", 0, "k", "c3"));
            producer.commitTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>("orders", 0, "k", "a1"));
            producer.send(new ProducerRecord<>("audit", 0, "k", "a2"));
            producer.flush();
            producer.abortTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>("orders", 1, "k", "c4"));
            producer.commitTransaction();
        }

        assertThat(readAll("read_committed", 4)).containsExactlyInAnyOrder("c1", "c2", "c3", "c4");
        assertThat(readAll("read_uncommitted", 6)).containsExactlyInAnyOrder("c1", "c2", "c3", "a1", "a2", "c4");
    }

    @Test
    void shouldFenceAZombieWhenANewProducerInitializesTheSameId() throws Exception {
        try (KafkaProducer<String, String> zombie = producer("tx-fence")) {
            zombie.beginTransaction();
            zombie.send(new ProducerRecord<>("orders", 0, "k", "zombie")).get();
            try (KafkaProducer<String, String> successor = producer("tx-fence")) {
                assertThatThrownBy(zombie::commitTransaction).isInstanceOf(ProducerFencedException.class);
                successor.beginTransaction();
                successor.send(new ProducerRecord<>("orders", 0, "k", "successor"));
                successor.commitTransaction();
            }
        }

        assertThat(readAll("read_committed", 1)).containsExactly("successor");
    }

    @Test
    void shouldListAndDescribeTransactionsThroughTheAdminClient() throws Exception {
        try (KafkaProducer<String, String> producer = producer("tx-admin");
                Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("orders", 1, "k", "v")).get();

            TransactionDescription ongoing = admin.describeTransactions(List.of("tx-admin")).description("tx-admin")
                    .get();
            assertThat(ongoing.state().toString()).isEqualTo("Ongoing");
            assertThat(ongoing.topicPartitions()).containsExactly(new TopicPartition("orders", 1));
            assertThat(ongoing.transactionStartTimeMs()).isPresent();
            assertThat(admin.listTransactions().all().get()).extracting(TransactionListing::transactionalId)
                    .contains("tx-admin");

            producer.commitTransaction();
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(admin
                    .describeTransactions(List.of("tx-admin")).description("tx-admin").get().state().toString())
                    .isEqualTo("CompleteCommit"));
        }
    }

    @Test
    void shouldBumpTheEpochAtEveryEndTxnBecauseTheProducerSpeaksTransactionVersion2() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            assertThat(admin.describeFeatures().featureMetadata().get().finalizedFeatures().get("transaction.version")
                    .maxVersionLevel()).isEqualTo((short) 2);
            try (KafkaProducer<String, String> producer = producer("tx-v2")) {
                int initial = admin.describeTransactions(List.of("tx-v2")).description("tx-v2").get()
                        .producerEpoch();
                for (String outcome : List.of("commit", "abort", "commit")) {
                    producer.beginTransaction();
                    // The client sends no AddPartitionsToTxn in version 2: the leaders add both partitions.
                    producer.send(new ProducerRecord<>("orders", 0, "k", outcome + "-orders")).get();
                    producer.send(new ProducerRecord<>("audit", 0, "k", outcome + "-audit")).get();
                    TransactionDescription ongoing = admin.describeTransactions(List.of("tx-v2"))
                            .description("tx-v2").get();
                    assertThat(ongoing.topicPartitions()).containsExactlyInAnyOrder(
                            new TopicPartition("orders", 0), new TopicPartition("audit", 0));
                    if (outcome.equals("commit")) {
                        producer.commitTransaction();
                    } else {
                        producer.abortTransaction();
                    }
                }
                // Transaction version 1 keeps the epoch; version 2 bumps it once per EndTxn.
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    TransactionDescription done = admin.describeTransactions(List.of("tx-v2")).description("tx-v2")
                            .get();
                    assertThat(done.state().toString()).isEqualTo("CompleteCommit");
                    assertThat(done.producerEpoch()).isEqualTo(initial + 3);
                });
            }
        }
        assertThat(readAll("read_committed", 4)).containsExactlyInAnyOrder("commit-orders", "commit-audit",
                "commit-orders", "commit-audit");
    }

    @Test
    void shouldCommitConsumedOffsetsOnlyWithTheirTransaction() throws Exception {
        TopicPartition input = new TopicPartition("audit", 0);
        try (KafkaProducer<String, String> producer = producer("tx-offsets");
                KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                        "group.id", "ctp"), new StringDeserializer(), new StringDeserializer());
                Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("orders", 0, "k", "out-1"));
            producer.sendOffsetsToTransaction(Map.of(input, new OffsetAndMetadata(3)),
                    consumer.groupMetadata());
            producer.commitTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>("orders", 0, "k", "out-2"));
            producer.sendOffsetsToTransaction(Map.of(input, new OffsetAndMetadata(5)),
                    consumer.groupMetadata());
            producer.abortTransaction();

            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(admin
                    .listConsumerGroupOffsets("ctp").partitionsToOffsetAndMetadata().get())
                    .containsEntry(input, new OffsetAndMetadata(3)));
        }
        assertThat(readAll("read_committed", 1)).containsExactly("out-1");
    }
}
