package io.brook.it.txn;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.it.harness.BrookBroker;
import io.brook.it.harness.BrookTest;
import io.brook.it.harness.ClientPrograms;
import io.brook.it.harness.ExternalCommand;
import io.brook.it.harness.JavaClients;
import io.brook.it.harness.TestClasspath;

/**
 * librdkafka's transactional offsets (confluent-kafka-python, {@code send_offsets_to_transaction}: AddOffsetsToTxn
 * and TxnOffsetCommit of the older transaction protocol): the offsets of committed transactions are the group's
 * committed offsets, those of an aborted one are dropped, and the output holds each copied record once.
 */
@BrookTest
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ConfluentTransactionalOffsetsTest {

    private static final int PARTITIONS = 2;
    private static final int RECORDS = 200;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Test
    void shouldCommitOffsetsInTransactionsAndDropThoseOfAnAbortedOne(BrookBroker broker) {
        String python = ClientPrograms.python("confluent_kafka");
        String input = JavaClients.uniqueTopic("confluent-eos-in");
        String output = JavaClients.uniqueTopic("confluent-eos-out");
        String group = JavaClients.uniqueGroup("confluent-eos");
        JavaClients.createTopic(broker, input, PARTITIONS);
        JavaClients.createTopic(broker, output, PARTITIONS);
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker, Map.of())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(input, i % PARTITIONS, "k" + i, Integer.toString(i)));
            }
            producer.flush();
        }

        ExternalCommand.Result result = ExternalCommand.of(python,
                TestClasspath.resource("clients/confluent_copy_transactions.py").toString(), broker.bootstrapServers(),
                input, output, group, "confluent-" + group, Integer.toString(RECORDS)).timeout(TIMEOUT).run();

        assertThat(result.succeeded()).as(result.describe()).isTrue();
        assertThat(result.stdoutLines()).as(result.describe()).containsExactly("done " + RECORDS);
        Map<TopicPartition, Long> perPartition = Map.of(new TopicPartition(input, 0), (long) RECORDS / PARTITIONS,
                new TopicPartition(input, 1), (long) RECORDS / PARTITIONS);
        // the last transaction's markers land a moment after its commit returns, as in Kafka
        Awaitility.await("the offsets of the last transaction").atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(JavaClients.committedOffsets(broker, group)).isEqualTo(perPartition));
        Awaitility.await("the output of every committed transaction").atMost(TIMEOUT).untilAsserted(() -> {
            List<ConsumerRecord<String, String>> copied;
            try (KafkaConsumer<String, String> consumer = JavaClients.consumer(broker,
                    Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
                copied = JavaClients.readAll(consumer, JavaClients.partitions(output, PARTITIONS), TIMEOUT);
            }
            assertThat(copied).extracting(ConsumerRecord::value).containsExactlyInAnyOrderElementsOf(
                    IntStream.range(0, RECORDS).mapToObj(i -> "out-" + i).toList());
        });
    }
}
