package io.brook.metadata.quorum;

import static io.brook.metadata.quorum.CountingStateMachine.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Commands whose apply outlasts the request timeout, as creating the logs of many partitions may. */
@Timeout(120)
class QuorumSlowApplyTest {

    @TempDir
    Path dir;

    private TestCluster cluster;

    @BeforeEach
    void startThreeVoters() {
        cluster = new TestCluster(dir, 3, 1000);
        cluster.startAll();
    }

    @AfterEach
    void closeCluster() {
        cluster.close();
    }

    @Test
    void shouldSucceedWhenTheApplyOutlastsTheRequestTimeoutButNotTheCallersTimeout() throws Exception {
        int leader = cluster.awaitLeader();
        int follower = cluster.follower(leader);
        long applyMillis = TestCluster.REQUEST_TIMEOUT.toMillis() + 1500;
        Duration callTimeout = Duration.ofMillis(applyMillis * 3);

        // from a follower, so the command goes through the Ratis client to the leader
        byte[] reply = cluster.quorum(follower).submit(CountingStateMachine.slowCommand(applyMillis), callTimeout)
                .get(callTimeout.toMillis() + 5000, TimeUnit.MILLISECONDS);

        assertThat(CountingStateMachine.value(reply)).isEqualTo(1);
        // applied exactly once: the slow attempt was not resent as a second command
        assertThat(cluster.machine(follower).history()).containsExactly("slow:" + applyMillis);
        assertThat(cluster.quorum(follower).submit(command("next")).get(10, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void shouldRefuseACallTimeoutLongerThanTheQuorumsLongest() {
        Duration tooLong = QuorumConfig.MAX_CALL_TIMEOUT.plusMillis(1);

        assertThatThrownBy(() -> cluster.quorum(1).submit(command("x"), tooLong))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most");
    }
}
