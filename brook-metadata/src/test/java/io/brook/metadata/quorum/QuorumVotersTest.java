package io.brook.metadata.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuorumVotersTest {

    @Test
    void shouldParseKafkaVotersSyntaxInOrder() {
        QuorumVoters voters = QuorumVoters.parse("1@localhost:9093, 2@10.0.0.2:9094,3@[::1]:9095");

        assertThat(voters.all()).containsExactly(new QuorumEndpoint(1, "localhost", 9093),
                new QuorumEndpoint(2, "10.0.0.2", 9094), new QuorumEndpoint(3, "::1", 9095));
        assertThat(voters.get(3).orElseThrow().address()).isEqualTo("[::1]:9095");
        assertThat(voters.toString()).isEqualTo("1@localhost:9093,2@10.0.0.2:9094,3@[::1]:9095");
        assertThat(QuorumVoters.parse(voters.toString())).isEqualTo(voters);
    }

    @Test
    void shouldParseASingleVoter() {
        assertThat(QuorumVoters.parse("0@broker-0.local:9093").size()).isEqualTo(1);
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @CsvSource(delimiter = '|', value = {
            "''                         | is empty",
            "localhost:9093             | does not start with {id}@",
            "@localhost:9093            | does not start with {id}@",
            "x@localhost:9093           | the node id 'x' is not an integer",
            "1@localhost                | has no :port",
            "1@localhost:                | the port '' is not an integer",
            "1@localhost:http           | the port 'http' is not an integer",
            "1@localhost:0              | port of node 1 must be in 1..65535",
            "1@localhost:65536          | port of node 1 must be in 1..65535",
            "-1@localhost:9093          | node id must be 0 or more",
            "1@:9093                    | the host is empty",
            "1@::1:9093                 | IPv6 host must be written in brackets",
            "1@[::1:9093                | IPv6 host must be written [address]:port",
            "1@a:1,1@b:2                | node id 1 appears more than once",
            "1@a:1,                     | entry '' is invalid"})
    void shouldRejectMalformedVotersWithAClearMessage(String value, String reason) {
        assertThatThrownBy(() -> QuorumVoters.parse(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("controller.quorum.voters")
                .hasMessageContaining(reason);
    }

    @Test
    void shouldRefuseAVoterConfigForANodeThatIsNotAVoter() {
        QuorumVoters voters = QuorumVoters.parse("1@localhost:9093");

        assertThatThrownBy(() -> QuorumConfig.voter(2, voters, Path.of("x")))
                .hasMessageContaining("node 2 is not in controller.quorum.voters=1@localhost:9093");
    }

    @Test
    void shouldRefuseAListenerThatIsAlsoAVoter() {
        QuorumVoters voters = QuorumVoters.parse("1@localhost:9093");

        assertThatThrownBy(() -> QuorumConfig.listener(new QuorumEndpoint(1, "localhost", 9094), voters,
                Path.of("x"))).hasMessageContaining("node 1 is a listener but controller.quorum.voters lists it");
    }

    @Test
    void shouldKeepDefaultsFromKafkaWhenBuildingAVoterConfig() {
        QuorumConfig config = QuorumConfig.voter(1, QuorumVoters.parse("1@localhost:9093"), Path.of("x"));

        assertThat(config.role()).isEqualTo(QuorumRole.VOTER);
        assertThat(config.bindHost()).isEqualTo("localhost");
        assertThat(config.requestTimeout()).isEqualTo(QuorumConfig.DEFAULT_REQUEST_TIMEOUT);
        assertThat(config.electionTimeout()).isEqualTo(QuorumConfig.DEFAULT_ELECTION_TIMEOUT);
        assertThatThrownBy(() -> config.withSnapshotThreshold(0)).hasMessageContaining("snapshot threshold");
    }
}
