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

/** kcat (librdkafka) as producer and as consumer. */
@BrookTest
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class KcatTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void shouldConsumeWhatKcatProducedWhenReadingFromBeginning(BrookBroker broker) {
        // given
        String kcat = ClientPrograms.kcat();
        String topic = JavaClients.uniqueTopic("kcat");
        JavaClients.createTopic(broker, topic, 1);
        List<String> lines = IntStream.range(0, 1_000).mapToObj(i -> "key" + i % 10 + ":kcat-value-" + i).toList();

        // when
        ExternalCommand.Result produce = ExternalCommand.of(kcat, "-P", "-b", broker.bootstrapServers(), "-t", topic,
                "-p", "0", "-K:", "-X", "acks=all").stdin(String.join("\n", lines) + "\n").timeout(TIMEOUT).run();
        ExternalCommand.Result consume = ExternalCommand.of(kcat, "-C", "-b", broker.bootstrapServers(), "-t", topic,
                "-o", "beginning", "-e", "-q", "-f", "%k:%s\\n").timeout(TIMEOUT).run();

        // then
        assertThat(produce.succeeded()).as(produce.describe()).isTrue();
        assertThat(consume.succeeded()).as(consume.describe()).isTrue();
        assertThat(consume.stdoutLines()).as(consume.describe()).containsExactlyElementsOf(lines);
        List<ConsumerRecord<String, String>> records = JavaClients.readAll(broker, JavaClients.partitions(topic, 1),
                TIMEOUT);
        assertThat(records).extracting(r -> r.key() + ":" + r.value()).containsExactlyElementsOf(lines);
    }
}
