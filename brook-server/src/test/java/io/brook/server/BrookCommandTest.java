package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.brook.broker.config.BrokerConfig;

import picocli.CommandLine;

class BrookCommandTest {

    @TempDir
    Path dir;

    private final List<BrokerConfig> started = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = BrookCommand.commandLine(config -> {
            started.add(config);
            return new FakeBroker();
        }, broker -> {
            events.add("awaited");
            broker.close();
        });
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    private Path file(String content) throws IOException {
        Path path = dir.resolve("server.properties");
        Files.writeString(path, content);
        return path;
    }

    @Test
    void shouldStartWithDefaultsWhenNoFileIsGiven() {
        int exit = run("server");

        assertThat(exit).isZero();
        assertThat(started).singleElement().satisfies(config -> {
            assertThat(config.logDirs()).containsExactly("./data");
            assertThat(config.listeners()).containsExactly("PLAINTEXT://localhost:9092", "CONTROLLER://localhost:9093");
            assertThat(config.nodeId()).isEqualTo(1);
        });
        assertThat(out.toString()).matches("(?s)Brook started in \\d+ ms, listening on PLAINTEXT://localhost:9092\n.*")
                .contains("Node:         1 (broker and controller)").contains("Log dirs:     ./data");
        assertThat(events).containsExactly("awaited", "closed");
    }

    @Test
    void shouldReadFileAndLetOverridesWin() throws IOException {
        Path path = file("""
                # a Kafka-style file
                num.partitions=3
                log.dirs=/tmp/a,/tmp/b
                listeners=PLAINTEXT://127.0.0.1:0
                """);

        int exit = run("server", path.toString(), "--override", "num.partitions=5", "--override",
                "auto.create.topics.enable=false");

        assertThat(exit).isZero();
        BrokerConfig config = started.get(0);
        assertThat(config.numPartitions()).isEqualTo(5);
        assertThat(config.autoCreateTopicsEnable()).isFalse();
        assertThat(config.logDirs()).containsExactly("/tmp/a", "/tmp/b");
        assertThat(out.toString()).contains("listening on PLAINTEXT://127.0.0.1:40000");
    }

    @Test
    void shouldExitWithOneNamingTheSettingWhenItIsUnknown() {
        int exit = run("server", "--override", "num.partitionz=3");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).startsWith("Invalid configuration: Unknown configuration 'num.partitionz'")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(started).isEmpty();
    }

    @Test
    void shouldExitWithOneNamingTheSettingWhenAValueIsInvalid() throws IOException {
        int exit = run("server", file("num.partitions=many\n").toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("num.partitions").contains("many").doesNotContain("\tat ");
        assertThat(started).isEmpty();
    }

    @Test
    void shouldExitWithOneWhenAValueIsOutOfRange() {
        int exit = run("server", "--override", "num.partitions=0");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("num.partitions").contains("at least 1");
    }

    @Test
    void shouldExitWithOneWhenTheFileIsMissing() {
        int exit = run("server", dir.resolve("missing.properties").toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).startsWith("Config file not found: ").contains("missing.properties");
    }

    @Test
    void shouldReportUsageErrorWhenOverrideHasNoValue() {
        int exit = run("server", "--override", "num.partitions");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("KEY=VALUE");
        assertThat(started).isEmpty();
    }

    @Test
    void shouldReportStartFailureInOneLine() {
        CommandLine cli = BrookCommand.commandLine(config -> {
            throw new IllegalStateException("port 9092 in use");
        }, broker -> {
        });
        cli.setErr(new PrintWriter(err));

        int exit = cli.execute("server");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).startsWith("Brook failed to start: port 9092 in use");
    }

    @Test
    void shouldExitWithOneWhenTheBrokerStoppedItself() {
        CommandLine cli = BrookCommand.commandLine(config -> {
            started.add(config);
            return new FakeBroker() {
                @Override
                public CompletableFuture<String> fatalStop() {
                    return CompletableFuture.completedFuture("every log directory is offline");
                }
            };
        }, broker -> broker.close());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));

        int exit = cli.execute("server");

        assertThat(exit).isEqualTo(1);
        assertThat(events).containsExactly("closed");
    }

    @Test
    void shouldPrintVersions() {
        int exit = run("version");

        assertThat(exit).isZero();
        assertThat(out.toString()).startsWith("Brook ").contains("kafka-clients 4.4.0");
    }

    private class FakeBroker implements RunningBroker {
        @Override
        public int boundPort(String listenerName) {
            return started.get(0).listenerEndpoints().get(0).port() == 0 ? 40000 : 9092;
        }

        @Override
        public void close() {
            events.add("closed");
        }
    }
}
