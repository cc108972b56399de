package io.brook.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.brook.broker.Broker;
import io.brook.broker.config.BrokerConfig;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The client commands (topic, produce, consume, group, user, completion) against a real broker in this JVM. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BrookCliTest {

    @TempDir
    static Path dir;

    private static Broker broker;
    private static String bootstrap;

    private StringWriter out;
    private StringWriter err;

    @BeforeAll
    static void startBroker() throws IOException {
        broker = Broker.start(BrokerConfig.parse(Map.of("log.dirs", dir.resolve("data").toString(),
                "listeners", "PLAINTEXT://localhost:0,CONTROLLER://localhost:0",
                "group.initial.rebalance.delay.ms", "0")));
        bootstrap = "localhost:" + broker.boundPort("PLAINTEXT");
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Command(name = "brook")
    static final class Root implements Runnable {
        @Override
        public void run() {
        }
    }

    private int brookWithInput(String stdin, String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cli = new CommandLine(new Root());
        CliCommands.addTo(cli, new CliContext(Map.of(ConnectionOptions.BROOK_BROKERS, bootstrap),
                KafkaClients.real(), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), false));
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    private int brook(String... args) {
        return brookWithInput("", args);
    }

    private JsonNode json() throws IOException {
        return new ObjectMapper().readTree(out.toString());
    }

    @Test
    void shouldCreateListDescribeAlterAndDeleteATopic() throws IOException {
        assertThat(brook("topic", "create", "cli-orders", "--partitions", "3", "--config", "retention.ms=60000"))
                .as(err.toString()).isZero();
        assertThat(out.toString()).containsPattern("cli-orders +created");

        assertThat(brook("topic", "list", "--format", "json")).as(err.toString()).isZero();
        assertThat(json()).anySatisfy(t -> {
            assertThat(t.get("name").asText()).isEqualTo("cli-orders");
            assertThat(t.get("partitions").asInt()).isEqualTo(3);
            assertThat(t.get("replicas").asInt()).isEqualTo(1);
        });
        assertThat(out.toString()).doesNotContain("__consumer_offsets");

        assertThat(brook("topic", "describe", "cli-orders")).as(err.toString()).isZero();
        assertThat(out.toString()).containsPattern("(?m)^retention\\.ms +60000 +topic$")
                .containsPattern("(?m)^PARTITION +LEADER +REPLICAS +ISR +START OFFSET +END OFFSET$")
                .containsPattern("(?m)^2 +1 +\\[1\\] +\\[1\\] +0 +0$");

        assertThat(brook("topic", "alter-config", "cli-orders", "--set", "cleanup.policy=compact", "--delete",
                "retention.ms", "--format", "json")).as(err.toString()).isZero();
        assertThat(json().toString())
                .isEqualTo("{\"topic\":\"cli-orders\",\"set\":{\"cleanup.policy\":\"compact\"},"
                        + "\"deleted\":[\"retention.ms\"]}");
        assertThat(brook("topic", "describe", "cli-orders", "--format", "json")).isZero();
        JsonNode described = json();
        assertThat(described.get("configs")).singleElement()
                .satisfies(c -> assertThat(c.get("name").asText()).isEqualTo("cleanup.policy"));
        assertThat(described.get("partitions")).hasSize(3);

        assertThat(brook("topic", "add-partitions", "cli-orders", "--num", "2")).as(err.toString()).isZero();
        assertThat(err.toString()).contains("now has 5 partitions");

        assertThat(brook("topic", "delete", "cli-orders")).as(err.toString()).isZero();
        assertThat(out.toString()).containsPattern("cli-orders +deleted");
    }

    @Test
    void shouldSayHowToListTopicsWhenTheTopicDoesNotExist() {
        int exit = brook("topic", "describe", "cli-nope");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString().strip())
                .isEqualTo("topic 'cli-nope' does not exist; list topics with: brook topic list");
        assertThat(brook("consume", "cli-nope", "--from-beginning")).isEqualTo(1);
        assertThat(err.toString()).contains("topic 'cli-nope' does not exist");
    }

    @Test
    void shouldProduceLinesAndConsumeThemBackAsTextAndJson() throws IOException {
        assertThat(brook("topic", "create", "cli-lines", "--partitions", "1")).as(err.toString()).isZero();

        int produced = brookWithInput("k1:hello\nk2:world\nno key\n", "produce", "cli-lines", "--key-separator", ":",
                "--header", "source=test");
        assertThat(produced).as(err.toString()).isZero();
        assertThat(err.toString()).contains("produced 3 records to 'cli-lines': partition 0 offsets 0-2");

        assertThat(brook("consume", "cli-lines", "--from-beginning", "--num", "3", "--print-key",
                "--print-headers")).as(err.toString()).isZero();
        assertThat(out.toString().lines().toList()).containsExactly("source:test\tk1\thello",
                "source:test\tk2\tworld", "source:test\tnull\tno key");

        assertThat(brook("consume", "cli-lines", "--offset", "1", "--num", "2", "--format", "json"))
                .as(err.toString()).isZero();
        List<JsonNode> records = out.toString().lines().map(BrookCliTest::parse).toList();
        assertThat(records).hasSize(2);
        assertThat(records.get(0).get("offset").asLong()).isEqualTo(1);
        assertThat(records.get(0).get("key").asText()).isEqualTo("k2");
        assertThat(records.get(0).get("value").asText()).isEqualTo("world");
        assertThat(records.get(0).get("headers").get(0).get("key").asText()).isEqualTo("source");
        assertThat(records.get(1).get("key").isNull()).isTrue();

        assertThat(brook("consume", "cli-lines", "--timeout-ms", "500")).as(err.toString()).isZero();
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).contains("consumed 0 records");
    }

    @Test
    void shouldShowLagAndResetOffsetsOfAGroup() throws IOException {
        assertThat(brook("topic", "create", "cli-lag", "--partitions", "1")).as(err.toString()).isZero();
        assertThat(brookWithInput("a\nb\nc\nd\n", "produce", "cli-lag")).as(err.toString()).isZero();
        assertThat(brook("consume", "cli-lag", "--group", "cli-g", "--from-beginning", "--num", "3"))
                .as(err.toString()).isZero();

        assertThat(brook("group", "describe", "cli-g", "--format", "json")).as(err.toString()).isZero();
        JsonNode offsets = json().get("offsets");
        assertThat(offsets).singleElement().satisfies(o -> {
            assertThat(o.get("committedOffset").asLong()).isEqualTo(3);
            assertThat(o.get("endOffset").asLong()).isEqualTo(4);
            assertThat(o.get("lag").asLong()).isEqualTo(1);
        });
        assertThat(brook("group", "list")).as(err.toString()).isZero();
        assertThat(out.toString()).containsPattern("(?m)^cli-g +\\S+ +\\S+ +0$");

        assertThat(brook("group", "reset-offsets", "cli-g", "--topic", "cli-lag", "--shift-by", "-2"))
                .as(err.toString()).isZero();
        assertThat(out.toString()).containsPattern("(?m)^cli-lag +0 +3 +1$");
        assertThat(err.toString()).contains("dry run");
        assertThat(brook("group", "describe", "cli-g")).isZero();
        assertThat(out.toString()).containsPattern("(?m)^cli-lag +0 +3 +4 +1 +-$");

        assertThat(brook("group", "reset-offsets", "cli-g", "--topic", "cli-lag", "--to-earliest", "--execute"))
                .as(err.toString()).isZero();
        assertThat(brook("group", "describe", "cli-g")).isZero();
        assertThat(out.toString()).containsPattern("(?m)^cli-lag +0 +0 +4 +4 +-$");

        assertThat(brook("group", "delete", "cli-g")).as(err.toString()).isZero();
        assertThat(brook("group", "describe", "cli-g")).isEqualTo(1);
        assertThat(err.toString()).contains("group 'cli-g' does not exist");
    }

    @Test
    void shouldCreateListAndDeleteScramUsers() throws IOException {
        assertThat(brookWithInput("s3cret\n", "user", "create", "cli-alice", "--password-stdin", "--mechanism",
                "SCRAM-SHA-256")).as(err.toString()).isZero();

        assertThat(brook("user", "list", "--format", "json")).as(err.toString()).isZero();
        assertThat(json()).anySatisfy(u -> {
            assertThat(u.get("user").asText()).isEqualTo("cli-alice");
            assertThat(u.get("mechanisms").asText()).isEqualTo("SCRAM-SHA-256 (4096 iterations)");
        });

        assertThat(brook("user", "delete", "cli-alice", "--format", "json")).as(err.toString()).isZero();
        assertThat(json().get("deletedMechanisms").get(0).asText()).isEqualTo("SCRAM-SHA-256");
        assertThat(brook("user", "delete", "cli-alice")).isEqualTo(1);
        assertThat(err.toString()).contains("user 'cli-alice' does not exist");
    }

    @Test
    void shouldFailInTimeWithOneLineWhenNothingAnswers() {
        int exit = brook("topic", "list", "--bootstrap-server", "localhost:1", "--timeout-ms", "1000");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).startsWith("no answer from the cluster at localhost:1 within 1000 ms")
                .hasLineCount(1);
    }

    @Test
    void shouldRefuseAnUnknownFormatAsAUsageError() {
        assertThat(brook("topic", "list", "--format", "yaml")).isEqualTo(2);
        assertThat(err.toString()).contains("'yaml' is not a format");
    }

    @Test
    void shouldPrintABashCompletionScript() {
        out = new StringWriter();
        CommandLine cli = new CommandLine(new Root());
        CliCommands.addTo(cli, CliContext.system());
        cli.setOut(new PrintWriter(out));

        assertThat(cli.execute("completion", "bash")).isZero();
        assertThat(out.toString()).contains("complete -F").contains("reset-offsets").contains("alter-config");
    }

    private static JsonNode parse(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (IOException e) {
            throw new AssertionError(line, e);
        }
    }
}
