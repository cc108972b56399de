package io.brook.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeQuorumRequest;
import org.apache.kafka.common.requests.DescribeQuorumResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.brook.it.harness.BrookCluster;
import io.brook.it.harness.BrookClusterTest;
import io.brook.it.harness.ClusterNode;
import io.brook.it.harness.ExternalCommand;
import io.brook.it.harness.KafkaTool;
import io.brook.it.harness.RawKafkaConnection;

/**
 * The metadata quorum's status as operators read it: Kafka's {@code kafka-metadata-quorum describe --status} and
 * {@code --replication}, and {@code brook cluster status} in both formats, against real clusters.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class QuorumStatusTest {

    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(90);
    private static final String BROOK_CLI = "io.brook.server.BrookCommand";

    @Test
    @BrookClusterTest(nodes = 3)
    void shouldReportLeaderVotersAndHighWatermarkWhenThreeControllersRun(BrookCluster cluster) throws Exception {
        // given three combined nodes, all voters

        // when (Kafka's tool first: brook's high watermark is compared with the one it read before)
        List<ExternalCommand.Result> kafka = tools(
                List.of(KafkaTool.METADATA_QUORUM, "--bootstrap-server", cluster.bootstrapServers(), "describe",
                        "--status"),
                List.of(KafkaTool.METADATA_QUORUM, "--bootstrap-server", cluster.bootstrapServers(), "describe",
                        "--replication", "--human-readable"));
        List<ExternalCommand.Result> brookCli = tools(
                List.of(BROOK_CLI, "cluster", "status", "--bootstrap-server", cluster.bootstrapServers(), "--format",
                        "json"),
                List.of(BROOK_CLI, "cluster", "status", "--bootstrap-server", cluster.bootstrapServers()));
        ExternalCommand.Result status = kafka.get(0);
        ExternalCommand.Result replication = kafka.get(1);
        ExternalCommand.Result json = brookCli.get(0);
        ExternalCommand.Result table = brookCli.get(1);

        // then kafka-metadata-quorum describe --status names a voter as leader, a positive epoch and watermark
        int leader = Integer.parseInt(field(status, "LeaderId"));
        assertThat(leader).isIn(1, 2, 3);
        long epoch = Long.parseLong(field(status, "LeaderEpoch"));
        assertThat(epoch).isPositive();
        long highWatermark = Long.parseLong(field(status, "HighWatermark"));
        assertThat(highWatermark).isPositive();
        String voters = field(status, "CurrentVoters");
        for (ClusterNode node : cluster.nodes()) {
            assertThat(voters).as(status.describe())
                    .contains("{\"id\": " + node.id() + ", \"endpoints\": [\"CONTROLLER://")
                    .contains(":" + node.controllerPort() + "\"]}");
        }
        assertThat(field(status, "CurrentObservers")).isEqualTo("[]");

        // and --replication lists the leader and two followers with their offsets
        List<String> rows = replication.stdoutLines().stream().skip(1).map(String::strip).filter(l -> !l.isEmpty())
                .toList();
        assertThat(rows).as(replication.describe()).hasSize(3);
        assertThat(rows.get(0)).as(replication.describe())
                .matches(leader + "\\s+\\S+\\s+[1-9]\\d*\\s+0\\s+\\d+ ms ago\\s+\\d+ ms ago\\s+Leader");
        assertThat(rows.subList(1, 3)).as(replication.describe()).allSatisfy(row -> assertThat(row)
                .matches("\\d\\s+\\S+\\s+[1-9]\\d*\\s+\\d+\\s+\\d+ ms ago\\s+(\\d+ ms ago|-1)\\s+Follower"));

        // and brook cluster status --format json agrees
        JsonNode brook = new ObjectMapper().readTree(json.stdout());
        JsonNode quorum = brook.get("quorum");
        assertThat(quorum.get("leaderId").asInt()).isEqualTo(leader);
        assertThat(quorum.get("leaderEpoch").asLong()).isEqualTo(epoch);
        assertThat(quorum.get("highWatermark").asLong()).isGreaterThanOrEqualTo(highWatermark);
        assertThat(ids(quorum.get("voters"))).containsExactlyInAnyOrder(1, 2, 3);
        assertThat(quorum.get("voters").get(0).get("role").asText()).isEqualTo("leader");
        assertThat(quorum.get("observers")).isEmpty();
        assertThat(ids(brook.get("brokers"))).containsExactly(1, 2, 3);
        for (JsonNode broker : brook.get("brokers")) {
            assertThat(broker.get("quorumRole").asText()).isEqualTo(broker.get("id").asInt() == leader
                    ? "leader"
                    : "voter");
        }

        // and the table shows the same to people
        assertThat(table.stdout()).as(table.describe()).contains("Quorum leader:   " + leader)
                .containsPattern("(?m)^" + leader + " +localhost:\\d+ +- +leader$")
                .containsPattern("(?m)^" + leader + " +leader +\\d+ +0 ");

        // and a follower answers DescribeQuorum itself with the leader's view (no forwarding by the client)
        ClusterNode follower = cluster.nodes().stream().filter(n -> n.id() != leader).findFirst().orElseThrow();
        DescribeQuorumResponseData direct = describeQuorum(follower);
        DescribeQuorumResponseData.PartitionData partition = direct.topics().get(0).partitions().get(0);
        assertThat(partition.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(partition.leaderId()).isEqualTo(leader);
        assertThat(partition.currentVoters()).allSatisfy(v -> assertThat(v.logEndOffset()).isPositive());
        assertThat(direct.nodes()).hasSize(3);
    }

    @Test
    @BrookClusterTest(nodes = 3, controllers = 2, bootstrapOnly = 3)
    void shouldListABrokerOnlyNodeAsObserverWhenItFoundTheVotersThroughBootstrapServers(BrookCluster cluster)
            throws Exception {
        // given nodes 1 and 2 voters, node 3 broker-only (a Raft listener) knowing only node 1's controller address

        // when
        List<ExternalCommand.Result> results = tools(
                List.of(KafkaTool.METADATA_QUORUM, "--bootstrap-server", cluster.bootstrapServers(), "describe",
                        "--status"),
                List.of(BROOK_CLI, "cluster", "status", "--bootstrap-server", cluster.bootstrapServers(), "--format",
                        "json"));
        ExternalCommand.Result status = results.get(0);
        ExternalCommand.Result json = results.get(1);

        // then
        assertThat(field(status, "LeaderId")).isIn("1", "2");
        assertThat(field(status, "CurrentObservers")).isEqualTo("[{\"id\": 3}]");
        JsonNode quorum = new ObjectMapper().readTree(json.stdout()).get("quorum");
        assertThat(ids(quorum.get("voters"))).containsExactlyInAnyOrder(1, 2);
        assertThat(ids(quorum.get("observers"))).containsExactly(3);
        assertThat(quorum.get("observers")).as("node 3 joined the quorum it discovered").allSatisfy(o -> {
            assertThat(o.get("role").asText()).isEqualTo("observer");
            assertThat(o.get("logEndOffset").asLong()).isPositive();
        });
    }

    private static DescribeQuorumResponseData describeQuorum(ClusterNode node) throws Exception {
        try (RawKafkaConnection connection = RawKafkaConnection.open("localhost", node.port())) {
            DescribeQuorumRequest request = new DescribeQuorumRequest.Builder(DescribeQuorumRequest
                    .singletonRequest(new TopicPartition("__cluster_metadata", 0)))
                    .build(ApiKeys.DESCRIBE_QUORUM.latestVersion());
            return ((DescribeQuorumResponse) connection.send(request)).data();
        }
    }

    private static List<Integer> ids(JsonNode array) {
        List<Integer> ids = new ArrayList<>();
        array.forEach(n -> ids.add(n.get("id").asInt()));
        return ids;
    }

    /** The value of a {@code Name: value} line of {@code kafka-metadata-quorum describe --status}. */
    private static String field(ExternalCommand.Result result, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + ":\\s+(.*)$").matcher(result.stdout());
        assertThat(m.find()).as("%s in %s", name, result.describe()).isTrue();
        return m.group(1).trim();
    }

    /**
     * Runs the tools (main class, then arguments) side by side, each in its own JVM, so their start-ups overlap; only
     * reads, so their order does not matter. Checks that each succeeded.
     */
    @SafeVarargs
    private static List<ExternalCommand.Result> tools(List<String>... commands) {
        List<ExternalCommand.Running> running = new ArrayList<>();
        try {
            for (List<String> command : commands) {
                running.add(KafkaTool.command(command.get(0), command.subList(1, command.size())
                        .toArray(String[]::new)).start());
            }
        } catch (RuntimeException e) {
            running.forEach(ExternalCommand.Running::destroy);
            throw e;
        }
        List<ExternalCommand.Result> results = running.stream().map(r -> r.await(TOOL_TIMEOUT)).toList();
        results.forEach(result -> assertThat(result.succeeded()).as(result.describe()).isTrue());
        return results;
    }
}
