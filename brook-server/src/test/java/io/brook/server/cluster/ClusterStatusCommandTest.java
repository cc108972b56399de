package io.brook.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
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

/** {@code brook cluster status} against a real single node started in this JVM. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterStatusCommandTest {

    @TempDir
    static Path dir;

    private static Broker broker;
    private static String bootstrap;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void startBroker() throws IOException {
        broker = Broker.start(BrokerConfig.parse(Map.of("log.dirs", dir.resolve("data").toString(),
                "listeners", "PLAINTEXT://localhost:0,CONTROLLER://localhost:0")));
        bootstrap = "localhost:" + broker.boundPort("PLAINTEXT");
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private int run(Map<String, String> env, String... args) {
        CommandLine cli = new CommandLine(new ClusterStatusCommand(env, Admin::create));
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void shouldReportTheSingleNodeAsBrokerAndOnlyVoterWhenFormatIsJson() throws Exception {
        int exit = run(Map.of(), "--bootstrap-server", bootstrap, "--format", "json");

        assertThat(exit).as(err.toString()).isZero();
        JsonNode status = new ObjectMapper().readTree(out.toString());
        assertThat(status.get("clusterId").asText()).isNotBlank();
        assertThat(status.get("controllerId").asInt()).isEqualTo(1);
        assertThat(status.get("brokers")).singleElement().satisfies(b -> {
            assertThat(b.get("id").asInt()).isEqualTo(1);
            assertThat(b.get("port").asInt()).isEqualTo(broker.boundPort("PLAINTEXT"));
            assertThat(b.get("quorumRole").asText()).isEqualTo("leader");
        });
        JsonNode quorum = status.get("quorum");
        assertThat(quorum.get("leaderId").asInt()).isEqualTo(1);
        assertThat(quorum.get("leaderEpoch").asInt()).isPositive();
        assertThat(quorum.get("highWatermark").asLong()).isPositive();
        assertThat(quorum.get("voters")).singleElement().satisfies(v -> {
            assertThat(v.get("id").asInt()).isEqualTo(1);
            assertThat(v.get("role").asText()).isEqualTo("leader");
            assertThat(v.get("lag").asLong()).isZero();
            assertThat(v.get("logEndOffset").asLong()).isGreaterThanOrEqualTo(quorum.get("highWatermark").asLong());
        });
        assertThat(quorum.get("observers")).isEmpty();
    }

    @Test
    void shouldPrintBrokerAndQuorumTablesByDefault() {
        int exit = run(Map.of(), "--bootstrap-server", bootstrap);

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("Quorum leader:   1")
                .containsPattern("(?m)^ID +HOST:PORT +RACK +CONTROLLER$")
                .containsPattern("(?m)^1 +localhost:" + broker.boundPort("PLAINTEXT") + " +- +leader$")
                .containsPattern("(?m)^ID +ROLE +LOG END OFFSET +LAG +LAST FETCH +LAST CAUGHT UP$")
                .containsPattern("(?m)^1 +leader +\\d+ +0 +\\d+ ms ago +\\d+ ms ago$");
    }

    @Test
    void shouldUseBrookBrokersWhenNoBootstrapServerIsGiven() {
        int exit = run(Map.of(ClusterStatusCommand.BROOK_BROKERS, bootstrap), "--format", "json");

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("\"leaderId\" : 1");
    }

    @Test
    void shouldFailWithOneLineAndExitOneWhenNothingAnswers() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        int exit = run(Map.of(), "--bootstrap-server", "localhost:" + closedPort, "--timeout-ms", "1500");

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).startsWith("Cannot get the status of the cluster at localhost:" + closedPort
                + " within 1500 ms: ").hasLineCount(1);
    }

    @Test
    void shouldRefuseAnUnknownFormat() {
        int exit = run(Map.of(), "--bootstrap-server", bootstrap, "--format", "yaml");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("'yaml' is not a format");
    }
}
