package io.brook.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.it.harness.BrookBroker;
import io.brook.it.harness.BrookTest;
import io.brook.it.harness.ClientPrograms;
import io.brook.it.harness.ExternalCommand;
import io.brook.it.harness.JavaClients;
import io.brook.it.harness.TestClasspath;

/** kafka-python and confluent-kafka-python, driven by small scripts under src/test/resources/clients. */
@BrookTest
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PythonClientsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int COUNT = 1_000;

    @Test
    void shouldReadBackInOrderWhenKafkaPythonProducesAndConsumesWithoutGroup(BrookBroker broker) {
        // given
        String python = ClientPrograms.python("kafka");
        String topic = JavaClients.uniqueTopic("kafka-python");
        JavaClients.createTopic(broker, topic, 1);

        // when
        ExternalCommand.Result result = ExternalCommand.of(python,
                TestClasspath.resource("clients/kafka_python_roundtrip.py").toString(), broker.bootstrapServers(),
                topic, Integer.toString(COUNT)).timeout(TIMEOUT).run();

        // then
        assertThat(result.succeeded()).as(result.describe()).isTrue();
        assertThat(result.stdoutLines()).as(result.describe()).containsExactlyElementsOf(
                IntStream.range(0, COUNT).mapToObj(i -> i + "\tk" + i + "\tkafka-python-" + i).toList());
    }

    @Test
    void shouldDeliverEveryRecordWhenConfluentKafkaProducesWithDeliveryReports(BrookBroker broker) {
        // given
        String python = ClientPrograms.python("confluent_kafka");
        String topic = JavaClients.uniqueTopic("confluent-kafka");
        JavaClients.createTopic(broker, topic, 1);

        // when
        ExternalCommand.Result result = ExternalCommand.of(python,
                TestClasspath.resource("clients/confluent_producer.py").toString(), broker.bootstrapServers(), topic,
                Integer.toString(COUNT)).timeout(TIMEOUT).run();

        // then every delivery report is a success with the offset the record really has
        assertThat(result.succeeded()).as(result.describe()).isTrue();
        List<String> expected = IntStream.range(0, COUNT).mapToObj(i -> "0\t" + i + "\tk" + i + "\tconfluent-" + i)
                .toList();
        assertThat(result.stdoutLines()).as(result.describe()).containsExactlyElementsOf(expected);
        List<ConsumerRecord<String, String>> records = JavaClients.readAll(broker, JavaClients.partitions(topic, 1),
                TIMEOUT);
        assertThat(records).extracting(r -> r.partition() + "\t" + r.offset() + "\t" + r.key() + "\t" + r.value())
                .containsExactlyElementsOf(expected);
    }
}
