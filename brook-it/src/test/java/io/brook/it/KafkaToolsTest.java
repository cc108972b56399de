package io.brook.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.it.harness.BrookBroker;
import io.brook.it.harness.BrookTest;
import io.brook.it.harness.ExternalCommand;
import io.brook.it.harness.JavaClients;
import io.brook.it.harness.KafkaTool;
import io.brook.it.harness.RawKafkaConnection;

/** Kafka 4.4's own command-line tools, each in a child JVM with a time bound. */
@BrookTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KafkaToolsTest {

    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(90);

    @Test
    void shouldCreateListAndDescribeTopicWhenUsingTopicCommand(BrookBroker broker) {
        // given
        String topic = JavaClients.uniqueTopic("tool-topics");

        // when
        ExternalCommand.Result create = tool(KafkaTool.TOPIC_COMMAND, "--bootstrap-server", broker.bootstrapServers(),
                "--create", "--topic", topic, "--partitions", "3", "--replication-factor", "1");
        ExternalCommand.Result list = tool(KafkaTool.TOPIC_COMMAND, "--bootstrap-server", broker.bootstrapServers(),
                "--list");
        ExternalCommand.Result describe = tool(KafkaTool.TOPIC_COMMAND, "--bootstrap-server",
                broker.bootstrapServers(), "--describe", "--topic", topic);

        // then
        assertThat(create.stdout()).as(create.describe()).contains("Created topic " + topic);
        assertThat(list.stdoutLines()).as(list.describe()).contains(topic);
        assertThat(describe.stdout()).as(describe.describe()).contains("PartitionCount: 3")
                .contains("ReplicationFactor: 1");
        for (int p = 0; p < 3; p++) {
            assertThat(describe.stdout()).contains("Partition: " + p + "\t");
        }
    }

    @Test
    void shouldReadBackLinesWhenUsingConsoleProducerAndConsoleConsumer(BrookBroker broker) {
        // given
        String topic = JavaClients.uniqueTopic("tool-console");
        JavaClients.createTopic(broker, topic, 1);
        List<String> lines = IntStream.range(0, 200).mapToObj(i -> "line-" + i).toList();

        // when
        ExternalCommand.Result produce = KafkaTool.command(KafkaTool.CONSOLE_PRODUCER, "--bootstrap-server",
                broker.bootstrapServers(), "--topic", topic, "--command-property", "acks=all")
                .stdin(String.join("\n", lines) + "\n").timeout(TOOL_TIMEOUT).run();
        ExternalCommand.Result consume = tool(KafkaTool.CONSOLE_CONSUMER, "--bootstrap-server",
                broker.bootstrapServers(), "--topic", topic, "--partition", "0", "--offset", "earliest",
                "--max-messages", Integer.toString(lines.size()), "--timeout-ms", "30000");

        // then
        assertThat(produce.succeeded()).as(produce.describe()).isTrue();
        assertThat(consume.stdoutLines()).as(consume.describe()).containsExactlyElementsOf(lines);
    }

    @Test
    void shouldPassClientCompatibilityTestWhenRunWithSupportedFeatures(BrookBroker broker) throws Exception {
        // given a fresh topic and no leftover "newtopic" (the tool always creates that one)
        String topic = JavaClients.uniqueTopic("tool-compat");
        JavaClients.createTopic(broker, topic, 1);
        deleteIfPresent(broker, "newtopic");
        boolean describeAcls;
        try (RawKafkaConnection connection = RawKafkaConnection.open("localhost", broker.port())) {
            ApiVersionsResponse versions = connection.apiVersions();
            describeAcls = versions.apiVersion(ApiKeys.DESCRIBE_ACLS.id) != null;
        }

        // when
        ExternalCommand.Result result = tool(KafkaTool.CLIENT_COMPATIBILITY_TEST, "--bootstrap-server",
                broker.bootstrapServers(), "--topic", topic, "--offsets-for-times-supported", "true",
                "--cluster-id-supported", "true", "--expect-record-too-large-exception", "false",
                "--num-cluster-nodes", "1", "--create-topics-supported", "true",
                "--describe-acls-supported", Boolean.toString(describeAcls), "--describe-configs-supported", "true",
                "--idempotent-producer-supported", "true");

        // then
        assertThat(result.succeeded()).as(result.describe()).isTrue();
        assertThat(result.stdout()).as(result.describe()).contains("SUCCESS.");
    }

    @Test
    void shouldAcknowledgeEveryMessageWhenUsingVerifiableProducer(BrookBroker broker) {
        // given
        String topic = JavaClients.uniqueTopic("tool-verifiable");
        JavaClients.createTopic(broker, topic, 2);
        int count = 5_000;

        // when
        ExternalCommand.Result result = tool(KafkaTool.VERIFIABLE_PRODUCER, "--bootstrap-server",
                broker.bootstrapServers(), "--topic", topic, "--max-messages", Integer.toString(count), "--acks",
                "-1");

        // then
        assertThat(result.succeeded()).as(result.describe()).isTrue();
        assertThat(result.stdout()).as(result.describe()).doesNotContain("producer_send_error");
        long successes = result.stdoutLines().stream().filter(l -> l.contains("\"producer_send_success\""))
                .count();
        assertThat(successes).as(result.describe()).isEqualTo(count);
        Matcher acked = Pattern.compile("\"acked\":(\\d+)").matcher(result.stdout());
        assertThat(acked.find()).as(result.describe()).isTrue();
        assertThat(Integer.parseInt(acked.group(1))).isEqualTo(count);
        List<ConsumerRecord<String, String>> records = JavaClients.readAll(broker, JavaClients.partitions(topic, 2),
                Duration.ofSeconds(30));
        assertThat(records.stream().map(ConsumerRecord::value).collect(Collectors.toSet()))
                .hasSize(count)
                .containsAll(IntStream.range(0, count).mapToObj(Integer::toString).toList());
    }

    @Test
    void shouldDescribeTheSingleVoterQuorumWhenUsingMetadataQuorumCommand(BrookBroker broker) {
        // when
        ExternalCommand.Result status = tool(KafkaTool.METADATA_QUORUM, "--bootstrap-server",
                broker.bootstrapServers(), "describe", "--status");
        ExternalCommand.Result replication = tool(KafkaTool.METADATA_QUORUM, "--bootstrap-server",
                broker.bootstrapServers(), "describe", "--replication");

        // then the one node leads a quorum of one, with nothing left to replicate
        assertThat(status.stdout()).as(status.describe())
                .containsPattern("(?m)^LeaderId: +1$")
                .containsPattern("(?m)^LeaderEpoch: +[1-9]\\d*$")
                .containsPattern("(?m)^HighWatermark: +[1-9]\\d*$")
                .containsPattern("(?m)^MaxFollowerLag: +0$")
                .containsPattern("(?m)^CurrentVoters: +\\[\\{\"id\": 1, \"endpoints\": \\[\"CONTROLLER://")
                .containsPattern("(?m)^CurrentObservers: +\\[\\]$");
        assertThat(replication.stdoutLines()).as(replication.describe()).hasSize(2);
        assertThat(replication.stdoutLines().get(1).strip()).as(replication.describe())
                .matches("1\\s+\\S+\\s+[1-9]\\d*\\s+0\\s+\\d+\\s+\\d+\\s+Leader");
    }

    private static ExternalCommand.Result tool(String mainClass, String... args) {
        ExternalCommand.Result result = KafkaTool.command(mainClass, args).timeout(TOOL_TIMEOUT).run();
        assertThat(result.succeeded()).as(result.describe()).isTrue();
        return result;
    }

    private static void deleteIfPresent(BrookBroker broker, String topic) throws Exception {
        try (Admin admin = JavaClients.admin(broker)) {
            if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
                return;
            }
            admin.deleteTopics(Set.of(topic)).all().get(30, TimeUnit.SECONDS);
            Awaitility.await("deletion of " + topic).atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> {
                        try {
                            admin.describeTopics(Set.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS);
                            return false;
                        } catch (java.util.concurrent.ExecutionException e) {
                            return e.getCause() instanceof UnknownTopicOrPartitionException;
                        }
                    });
        }
    }
}
