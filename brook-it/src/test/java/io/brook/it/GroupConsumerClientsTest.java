package io.brook.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.it.harness.BrookBroker;
import io.brook.it.harness.BrookTest;
import io.brook.it.harness.ClientPrograms;
import io.brook.it.harness.ExternalCommand;
import io.brook.it.harness.JavaClients;
import io.brook.it.harness.TestClasspath;

/**
 * Consumer groups with the non-Java clients: kcat's balanced consumer, kafka-python, confluent-kafka-python and
 * kafkajs each consume, as a group member, records the Java producer wrote, and leave their group's offsets committed
 * at the end of every partition.
 */
// group.initial.rebalance.delay.ms=0: classic members here join empty groups, which would otherwise wait out
// Kafka's 3 s delay for more members; no test here is about that delay.
@BrookTest(overrides = {"group.initial.rebalance.delay.ms=0"})
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GroupConsumerClientsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final int PARTITIONS = 3;
    private static final int COUNT = 300;

    @Test
    void shouldConsumeEveryRecordAndCommitWhenKcatIsBalancedConsumer(BrookBroker broker) {
        // given
        String kcat = ClientPrograms.kcat();
        String topic = JavaClients.uniqueTopic("kcat-group");
        String group = JavaClients.uniqueGroup("kcat");
        List<String> expected = produce(broker, topic);

        // when: -G joins the group; -c bounds the count, and closing the consumer commits the last positions
        ExternalCommand.Result result = ExternalCommand.of(kcat, "-b", broker.bootstrapServers(), "-G", group, topic,
                "-X", "auto.offset.reset=earliest", "-c", Integer.toString(COUNT), "-q", "-f", "%p\\t%o\\t%k\\t%s\\n")
                .timeout(TIMEOUT).run();

        // then
        assertConsumedAndCommitted(broker, topic, group, expected, result);
    }

    @Test
    void shouldConsumeEveryRecordAndCommitWhenKafkaPythonConsumerHasGroupId(BrookBroker broker) {
        // given
        String python = ClientPrograms.python("kafka");
        String topic = JavaClients.uniqueTopic("kafka-python-group");
        String group = JavaClients.uniqueGroup("kafka-python");
        List<String> expected = produce(broker, topic);

        // when
        ExternalCommand.Result result = ExternalCommand.of(python,
                TestClasspath.resource("clients/kafka_python_group_consumer.py").toString(),
                broker.bootstrapServers(), topic, group, Integer.toString(COUNT)).timeout(TIMEOUT).run();

        // then
        assertConsumedAndCommitted(broker, topic, group, expected, result);
    }

    @Test
    void shouldConsumeEveryRecordAndCommitWhenConfluentKafkaConsumerHasGroupId(BrookBroker broker) {
        // given
        String python = ClientPrograms.python("confluent_kafka");
        String topic = JavaClients.uniqueTopic("confluent-group");
        String group = JavaClients.uniqueGroup("confluent");
        List<String> expected = produce(broker, topic);

        // when
        ExternalCommand.Result result = ExternalCommand.of(python,
                TestClasspath.resource("clients/confluent_group_consumer.py").toString(), broker.bootstrapServers(),
                topic, group, Integer.toString(COUNT)).timeout(TIMEOUT).run();

        // then
        assertConsumedAndCommitted(broker, topic, group, expected, result);
    }

    @Test
    void shouldConsumeEveryRecordAndCommitWhenKafkajsConsumerHasGroupId(BrookBroker broker) {
        // given
        String node = ClientPrograms.node();
        String modules = ClientPrograms.kafkajsModules().toString();
        String topic = JavaClients.uniqueTopic("kafkajs-group");
        String group = JavaClients.uniqueGroup("kafkajs");
        List<String> expected = produce(broker, topic);

        // when
        ExternalCommand.Result result = ExternalCommand.of(node,
                TestClasspath.resource("clients/kafkajs_group_consumer.js").toString(), modules,
                broker.bootstrapServers(), topic, group, Integer.toString(COUNT)).timeout(TIMEOUT).run();

        // then
        assertConsumedAndCommitted(broker, topic, group, expected, result);
    }

    /** Writes COUNT records round-robin over the partitions; returns partition, offset, key, value of each. */
    private static List<String> produce(BrookBroker broker, String topic) {
        JavaClients.createTopic(broker, topic, PARTITIONS);
        List<String> written = new ArrayList<>();
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker, Map.of())) {
            for (int i = 0; i < COUNT; i++) {
                int partition = i % PARTITIONS;
                producer.send(new ProducerRecord<>(topic, partition, "k" + i, "v" + i));
                written.add(partition + "\t" + i / PARTITIONS + "\tk" + i + "\tv" + i);
            }
            producer.flush();
        }
        return written;
    }

    private static void assertConsumedAndCommitted(BrookBroker broker, String topic, String group,
            List<String> expected, ExternalCommand.Result result) {
        assertThat(result.succeeded()).as(result.describe()).isTrue();
        List<String> consumed = result.stdoutLines();
        assertThat(consumed).as(result.describe()).containsExactlyInAnyOrderElementsOf(expected);
        for (int p = 0; p < PARTITIONS; p++) {
            String prefix = p + "\t";
            // within a partition, in offset order
            assertThat(consumed.stream().filter(line -> line.startsWith(prefix)).toList()).as(result.describe())
                    .containsExactlyElementsOf(expected.stream().filter(line -> line.startsWith(prefix)).toList());
        }
        Map<TopicPartition, Long> end = new HashMap<>();
        for (TopicPartition tp : JavaClients.partitions(topic, PARTITIONS)) {
            end.put(tp, (long) COUNT / PARTITIONS);
        }
        assertThat(JavaClients.committedOffsets(broker, group)).as("committed offsets of " + group).isEqualTo(end);
    }
}
