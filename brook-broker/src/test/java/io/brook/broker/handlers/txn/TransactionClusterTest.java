package io.brook.broker.handlers.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.brook.broker.config.BrokerConfig;
import io.brook.broker.testing.TestCluster;
import io.brook.metadata.PartitionRegistration;

/**
 * Transactions over three in-process brokers: the coordinator on one node sends markers to partition leaders on the
 * others (and partition leaders verify with a remote coordinator), and the coordinator moves with the leadership of
 * its {@code __transaction_state} partition.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TransactionClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TopicPartition STATE = new TopicPartition(Topic.TRANSACTION_STATE_TOPIC_NAME, 0);

    @TempDir
    Path dir;

    private TestCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private KafkaProducer<String, String> producer() {
        KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                cluster.bootstrap(1, 2, 3), "transactional.id", "cluster-tx", "max.block.ms", "30000"),
                new StringSerializer(), new StringSerializer());
        producer.initTransactions();
        return producer;
    }

    private List<String> readCommitted(List<TopicPartition> partitions, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                cluster.bootstrap(1, 2, 3), "isolation.level", "read_committed", "auto.offset.reset", "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }

    @Test
    void shouldCompleteTransactionsWhoseCoordinatorAndPartitionLeadersAreOnDifferentBrokers() throws Exception {
        // given the coordinator on broker 1 and the data partitions led by brokers 2 and 3
        cluster = TestCluster.start(dir, 3, Map.of(BrokerConfig.REPLICA_FETCH_WAIT_MAX_MS, "100",
                BrokerConfig.REPLICA_FETCH_BACKOFF_MS, "100", BrokerConfig.TRANSACTION_STATE_LOG_NUM_PARTITIONS, "1"));
        cluster.createTopic(STATE.topic(), Map.of(0, List.of(1, 2, 3)),
                Map.of("cleanup.policy", "compact", "min.insync.replicas", "2"));
        cluster.createTopic("orders", Map.of(0, List.of(2, 3, 1), 1, List.of(3, 1, 2)), Map.of());
        List<TopicPartition> orders = List.of(new TopicPartition("orders", 0), new TopicPartition("orders", 1));

        try (KafkaProducer<String, String> producer = producer()) {
            // when one transaction commits and one aborts
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("orders", 0, "k", "committed-0"));
            producer.send(new ProducerRecord<>("orders", 1, "k", "committed-1"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("orders", 0, "k", "aborted")).get();
            producer.abortTransaction();

            // and a third is open when the coordinator moves to broker 2
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("orders", 1, "k", "after-move")).get();
            await().atMost(WAIT).until(() -> cluster.log(2, STATE).logEndOffset() == cluster.log(1, STATE)
                    .logEndOffset());
            cluster.metadata().setPartition(STATE.topic(), 0, r -> new PartitionRegistration(r.replicas(),
                    List.of(2, 3, 1), List.of(), List.of(), 2, r.leaderEpoch() + 1, r.partitionEpoch() + 1));

            // then the new coordinator, loaded from the replicated state, commits it
            producer.commitTransaction();
        }
        assertThat(readCommitted(orders, 3)).containsExactlyInAnyOrder("committed-0", "committed-1", "after-move");
    }
}
