package io.brook.metadata.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class QuorumDiscoveryTest {

    private static final Duration ATTEMPT = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private TestCluster cluster;

    @AfterEach
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldFindEveryVoterButNoListenerWhenOneFollowerIsTheOnlyBootstrapServer() throws Exception {
        cluster = new TestCluster(dir, 3, 1000);
        TestCluster.Node listener = cluster.addListener(4);
        cluster.startAll();
        cluster.quorum(4).ready().get(60, TimeUnit.SECONDS);
        int leader = cluster.awaitLeader();
        QuorumEndpoint follower = cluster.voters().get(cluster.follower(leader)).orElseThrow();

        QuorumVoters found = QuorumDiscovery.discover(List.of(follower.address()), ATTEMPT, Duration.ofSeconds(30));
        QuorumVoters fromListener = QuorumDiscovery.discover(List.of(listener.config.address().address()), ATTEMPT,
                Duration.ofSeconds(30));

        assertThat(found).isEqualTo(cluster.voters());
        assertThat(fromListener).isEqualTo(cluster.voters());
    }

    @Test
    void shouldSkipADeadBootstrapServerWhenAnotherAnswers() {
        cluster = new TestCluster(dir, 1, 1000);
        cluster.startAll();
        cluster.awaitLeader();
        String dead = "127.0.0.1:" + TestPorts.free();
        String live = cluster.voters().all().iterator().next().address();

        QuorumVoters found = QuorumDiscovery.discover(List.of(dead, live), ATTEMPT, Duration.ofSeconds(30));

        assertThat(found).isEqualTo(cluster.voters());
    }

    @Test
    void shouldFailNamingTheBootstrapServersWhenNoneAnswersBeforeTheDeadline() {
        String dead = "127.0.0.1:" + TestPorts.free();

        assertThatThrownBy(() -> QuorumDiscovery.discover(List.of(dead), Duration.ofMillis(500), Duration.ofSeconds(1)))
                .isInstanceOf(QuorumUnavailableException.class)
                .hasMessageContaining("controller.quorum.bootstrap.servers=" + dead);
    }
}
