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

/** kafkajs 2.2.4 as a producer (its consumer needs consumer groups); the records are checked with the Java consumer. */
@BrookTest
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class KafkajsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void shouldStoreEveryRecordInOrderWhenKafkajsProduces(BrookBroker broker) {
        // given
        String node = ClientPrograms.node();
        String modules = ClientPrograms.kafkajsModules().toString();
        String topic = JavaClients.uniqueTopic("kafkajs");
        JavaClients.createTopic(broker, topic, 1);
        int count = 1_000;

        // when
        ExternalCommand.Result result = ExternalCommand.of(node,
                TestClasspath.resource("clients/kafkajs_producer.js").toString(), modules, broker.bootstrapServers(),
                topic, Integer.toString(count)).env("KAFKAJS_NO_PARTITIONER_WARNING", "1").timeout(TIMEOUT).run();

        // then: each batch of 100 was acknowledged at the next base offset
        assertThat(result.succeeded()).as(result.describe()).isTrue();
        assertThat(result.stdoutLines()).as(result.describe()).containsExactlyElementsOf(
                IntStream.range(0, count / 100).mapToObj(b -> "0\t" + b * 100).toList());
        List<ConsumerRecord<String, String>> records = JavaClients.readAll(broker, JavaClients.partitions(topic, 1),
                TIMEOUT);
        assertThat(records).extracting(r -> r.offset() + ":" + r.key() + ":" + r.value()).containsExactlyElementsOf(
                IntStream.range(0, count).mapToObj(i -> i + ":k" + i + ":kafkajs-" + i).toList());
    }
}
