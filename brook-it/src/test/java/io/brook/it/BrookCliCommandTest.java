package io.brook.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.brook.it.harness.ExternalCommand;
import io.brook.it.harness.JavaClients;
import io.brook.it.harness.KafkaTool;
import io.brook.it.harness.SaslBroker;

/**
 * The real {@code brook} command, each run in a child JVM, against one SASL broker with ACLs: its PLAINTEXT listener
 * (ANONYMOUS) is the operator's, a super user; the SASL listener is reached with {@code --command-config}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BrookCliCommandTest {

    private static final String BROOK_CLI = "io.brook.server.BrookCommand";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static SaslBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = SaslBroker.start(BrookCliCommandTest.class,
                List.of("authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                        "super.users=User:ANONYMOUS", "group.initial.rebalance.delay.ms=0"));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldManageATopicAndMoveLinesThroughItWhenRunAsACommand() throws IOException {
        String topic = JavaClients.uniqueTopic("cli-it");

        ExternalCommand.Result create = brook(null, "topic", "create", topic, "--partitions", "2", "--config",
                "retention.ms=3600000");
        assertThat(create.stdout()).containsPattern(topic + " +created");
        assertThat(brook(null, "topic", "list").stdout()).containsPattern("(?m)^" + topic + " +2 +1$");

        ExternalCommand.Result produce = brook("a:one\nb:two\nc:three\n", "produce", topic, "--key-separator", ":",
                "--partition", "1");
        assertThat(produce.stderr()).contains("produced 3 records to '" + topic + "': partition 1 offsets 0-2");

        ExternalCommand.Result text = brook(null, "consume", topic, "--from-beginning", "--num", "3", "--print-key");
        assertThat(text.stdoutLines()).containsExactly("a\tone", "b\ttwo", "c\tthree");
        ExternalCommand.Result json = brook(null, "consume", topic, "--partition", "1", "--offset", "2", "--num", "1",
                "--format", "json");
        JsonNode record = new ObjectMapper().readTree(json.stdout());
        assertThat(record.get("topic").asText()).isEqualTo(topic);
        assertThat(record.get("offset").asLong()).isEqualTo(2);
        assertThat(record.get("value").asText()).isEqualTo("three");

        ExternalCommand.Result describe = brook(null, "topic", "describe", topic);
        assertThat(describe.stdout()).containsPattern("(?m)^retention\\.ms +3600000 +topic$")
                .containsPattern("(?m)^1 +1 +\\[1\\] +\\[1\\] +0 +3$");

        assertThat(brook(null, "topic", "delete", topic).stdout()).containsPattern(topic + " +deleted");
        ExternalCommand.Result gone = run(null, "topic", "describe", topic);
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.stderr().strip())
                .isEqualTo("topic '" + topic + "' does not exist; list topics with: brook topic list");
    }

    @Test
    void shouldShowLagAndResetOffsetsWhenAGroupCommitted() {
        String topic = JavaClients.uniqueTopic("cli-lag");
        String group = "cli-it-group";
        brook(null, "topic", "create", topic, "--partitions", "1");
        brook("1\n2\n3\n4\n5\n", "produce", topic);
        brook(null, "consume", topic, "--group", group, "--from-beginning", "--num", "2");

        assertThat(brook(null, "group", "describe", group).stdout())
                .containsPattern("(?m)^" + topic + " +0 +2 +5 +3 +-$");

        ExternalCommand.Result dryRun = brook(null, "group", "reset-offsets", group, "--topic", topic, "--to-latest");
        assertThat(dryRun.stdout()).containsPattern("(?m)^" + topic + " +0 +2 +5$");
        assertThat(dryRun.stderr()).contains("dry run");
        brook(null, "group", "reset-offsets", group, "--topic", topic, "--to-offset", "4", "--execute");
        assertThat(brook(null, "group", "describe", group).stdout())
                .containsPattern("(?m)^" + topic + " +0 +4 +5 +1 +-$");
    }

    @Test
    void shouldCommitWhatWasPrintedWhenConsumeIsStoppedBySignal() {
        String topic = JavaClients.uniqueTopic("cli-stop");
        String group = "cli-stop-group";
        brook(null, "topic", "create", topic, "--partitions", "1");
        brook("x\ny\nz\n", "produce", topic);

        ExternalCommand.Running consume = KafkaTool.command(BROOK_CLI, "consume", topic, "--group", group,
                "--from-beginning").env("BROOK_BROKERS", broker.plaintext().bootstrapServers()).start();
        Awaitility.await().atMost(TIMEOUT).until(() -> consume.stdoutSoFar().lines().count() == 3);
        ExternalCommand.Result stopped = consume.stop(TIMEOUT);

        assertThat(stopped.timedOut()).isFalse();
        assertThat(stopped.stdoutLines()).containsExactly("x", "y", "z");
        assertThat(stopped.stderr()).as(stopped.describe()).contains("consumed 3 records");
        assertThat(brook(null, "group", "describe", group).stdout())
                .containsPattern("(?m)^" + topic + " +0 +3 +3 +0 +-$");
    }

    @Test
    void shouldManageUsersAndAclsAndConnectWithCommandConfig(@TempDir Path dir) throws IOException {
        brook("carol-secret\n", "user", "create", "carol", "--password-stdin", "--mechanism", "SCRAM-SHA-512");
        assertThat(brook(null, "user", "list").stdout()).containsPattern("(?m)^carol +SCRAM-SHA-512");
        String topic = JavaClients.uniqueTopic("cli-acl");
        brook(null, "topic", "create", topic, "--partitions", "1");
        brook(null, "acl", "create", "--principal", "User:carol", "--resource-type", "topic", "--resource-name",
                topic, "--operation", "describe");
        assertThat(brook(null, "acl", "list", "--principal", "User:carol").stdout()).containsPattern(
                "(?m)^User:carol +\\* +TOPIC +" + topic + " +LITERAL +DESCRIBE +ALLOW$");

        // carol over SASL sees exactly the topic she may describe
        Path config = dir.resolve("carol.properties");
        Files.writeString(config, "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\n"
                + "sasl.jaas.config=" + SaslBroker.jaas("SCRAM-SHA-512", "carol", "carol-secret") + "\n");
        ExternalCommand.Result asCarol = brook(null, "topic", "list", "--bootstrap-server",
                broker.saslPlaintextBootstrapServers(), "--command-config", config.toString(), "--format", "json");
        JsonNode topics = new ObjectMapper().readTree(asCarol.stdout());
        assertThat(topics).singleElement().satisfies(t -> assertThat(t.get("name").asText()).isEqualTo(topic));

        assertThat(brook(null, "acl", "delete", "--principal", "User:carol").stderr()).contains("deleted 1 ACL(s)");
        brook(null, "user", "delete", "carol");
        ExternalCommand.Result refused = run(null, "topic", "list", "--bootstrap-server",
                broker.saslPlaintextBootstrapServers(), "--command-config", config.toString(), "--timeout-ms",
                "5000");
        assertThat(refused.exitCode()).as(refused.describe()).isEqualTo(1);
        assertThat(refused.stderr()).contains("authentication failed");
    }

    /** Runs brook and expects success. */
    private static ExternalCommand.Result brook(String stdin, String... args) {
        ExternalCommand.Result result = run(stdin, args);
        assertThat(result.succeeded()).as(result.describe()).isTrue();
        return result;
    }

    private static ExternalCommand.Result run(String stdin, String... args) {
        ExternalCommand command = KafkaTool.command(BROOK_CLI, args).timeout(TIMEOUT)
                .env("BROOK_BROKERS", broker.plaintext().bootstrapServers());
        if (stdin != null) {
            command.stdin(stdin);
        }
        return command.run();
    }
}
