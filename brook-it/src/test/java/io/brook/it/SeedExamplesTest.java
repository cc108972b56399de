package io.brook.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.it.harness.BrookBroker;
import io.brook.it.harness.BrookTest;
import io.brook.it.harness.ClientPrograms;
import io.brook.it.harness.ExternalCommand;
import io.brook.it.harness.WorkDirs;

/**
 * The repository's Python examples, run unchanged: they hard-code localhost:9092, so this class's broker listens there.
 * Against an external broker ({@code BROOK_IT_BOOTSTRAP}) they run on copies pointed at that broker instead.
 */
@BrookTest(port = 9092)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SeedExamplesTest {

    private static final String HARD_CODED_BOOTSTRAP = "localhost:9092";

    @Test
    void shouldPrintProducedMessageWhenExampleConsumerRunsBeforeExampleProducer(BrookBroker broker)
            throws IOException {
        // given the example consumer running (it starts at the end of the topic, so it only sees new messages)
        String python = ClientPrograms.python("kafka");
        Path producer = example("producer.py", broker);
        Path consumer = example("consumer.py", broker);
        ExternalCommand.Running running = ExternalCommand.of(python, consumer.toString())
                .env("PYTHONUNBUFFERED", "1").start();
        try {
            // when the example producer runs, again while the consumer has not yet positioned itself
            // then the consumer prints the message
            Awaitility.await("example consumer prints the example producer's message")
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> {
                        assertThat(running.isAlive()).as("example consumer exited: %s", running.stdoutSoFar())
                                .isTrue();
                        if (running.stdoutSoFar().contains("b'Hello Kafka!'")) {
                            return true;
                        }
                        ExternalCommand.Result produced = ExternalCommand.of(python, producer.toString())
                                .timeout(Duration.ofSeconds(60)).run();
                        assertThat(produced.succeeded()).as(produced.describe()).isTrue();
                        return false;
                    });
        } finally {
            ExternalCommand.Result consumed = running.destroy();
            assertThat(consumed.stdout()).as(consumed.describe()).contains("b'Hello Kafka!'");
        }
    }

    /** The example as committed, or a copy aimed at the external broker when the suite runs against one. */
    private static Path example(String name, BrookBroker broker) throws IOException {
        Path original = repositoryRoot().resolve("examples/python").resolve(name);
        assertThat(original).exists();
        String text = Files.readString(original);
        assertThat(text).contains(HARD_CODED_BOOTSTRAP);
        if (broker.isManaged()) {
            return original;
        }
        Path copy = WorkDirs.create("examples").resolve(name);
        Files.writeString(copy, text.replace(HARD_CODED_BOOTSTRAP, broker.bootstrapServers()));
        return copy;
    }

    private static Path repositoryRoot() {
        Path cwd = Paths.get("").toAbsolutePath();
        return Files.isDirectory(cwd.resolve("examples")) ? cwd : cwd.getParent();
    }
}
