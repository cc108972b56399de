package io.brook.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
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
 * Transactions across a broker crash with the Java clients: an aborted transaction stays hidden from read_committed
 * consumers after recovery (the aborted-transaction index is rebuilt), a transaction left open keeps the last stable
 * offset at its first record (open transactions are recovered with producer state), and the producer commits it once
 * the broker is back.
 */
@BrookTest
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TransactionRestartTest {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private static List<String> values(BrookBroker broker, String isolation, List<TopicPartition> partitions) {
        try (KafkaConsumer<String, String> consumer = JavaClients.consumer(broker,
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation))) {
            return JavaClients.readAll(consumer, partitions, READ_TIMEOUT).stream().map(ConsumerRecord::value)
                    .toList();
        }
    }

    @Test
    void shouldKeepAbortedAndOpenTransactionsApartAcrossABrokerCrash(BrookBroker broker) throws Exception {
        Assumptions.assumeTrue(broker.isManaged(), "needs a broker process the test can kill (BROOK_IT_BOOTSTRAP set)");
        // given a committed, an aborted and an open transaction, and a plain record after the open one's first record
        String topic = JavaClients.uniqueTopic("txn-restart");
        JavaClients.createTopic(broker, topic, 2);
        List<TopicPartition> partitions = JavaClients.partitions(topic, 2);
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker, Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, JavaClients.uniqueGroup("txn-restart"),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000));
                KafkaProducer<String, String> plain = JavaClients.producer(broker, Map.of())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, "k", "committed-0"));
            producer.send(new ProducerRecord<>(topic, 1, "k", "committed-1"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, "k", "aborted-0"));
            producer.send(new ProducerRecord<>(topic, 1, "k", "aborted-1"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, "k", "open-0")).get();
            producer.send(new ProducerRecord<>(topic, 1, "k", "open-1")).get();
            plain.send(new ProducerRecord<>(topic, 0, "k", "plain-0")).get();

            // when the broker is killed and restarted with the transaction still open
            broker.kill();
            broker.restart();

            // then read_committed stops at the open transaction and skips the aborted one
            assertThat(values(broker, "read_committed", partitions))
                    .containsExactlyInAnyOrder("committed-0", "committed-1");
            assertThat(values(broker, "read_uncommitted", partitions)).containsExactlyInAnyOrder("committed-0",
                    "committed-1", "aborted-0", "aborted-1", "open-0", "open-1", "plain-0");

            // and once the producer commits, everything but the aborted records is visible
            producer.commitTransaction();
        }
        // commitTransaction returns once the coordinator has decided (PrepareCommit); the markers reach the
        // partitions just after, as in Kafka, so a read_committed reader sees the last ones a moment later
        Awaitility.await("the commit markers in both partitions").atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(values(broker, "read_committed", partitions))
                        .containsExactlyInAnyOrder("committed-0", "committed-1", "open-0", "open-1", "plain-0"));
    }
}
