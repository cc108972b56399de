package io.brook.metadata.quorum;

import static io.brook.metadata.quorum.CountingStateMachine.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class QuorumListenerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int LISTENER = 4;

    @TempDir
    Path dir;

    private TestCluster cluster;

    @BeforeEach
    void startClusterWithAListener() throws Exception {
        cluster = new TestCluster(dir, 3, 1000);
        cluster.addListener(LISTENER);
        cluster.startAll();
        cluster.quorum(LISTENER).ready().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @AfterEach
    void closeCluster() {
        cluster.close();
    }

    @Test
    void shouldApplyEveryCommandOnTheListenerAndRouteItsRequestsToTheLeader() throws Exception {
        int leader = cluster.awaitLeader();
        QuorumSingleVoterTest.submitAll(cluster.quorum(leader), "from-voter", 5);

        byte[] reply = cluster.quorum(LISTENER).submit(command("from-listener")).get(10, TimeUnit.SECONDS);
        // read-your-writes on the listener as well
        assertThat(cluster.machine(LISTENER).count("from-listener")).isEqualTo(CountingStateMachine.value(reply));
        byte[] query = cluster.quorum(LISTENER).queryLeader(new byte[0]).get(10, TimeUnit.SECONDS);
        assertThat(new String(query, StandardCharsets.UTF_8)).startsWith("node-" + leader + ":");

        awaitSameHistory(1, 2, 3, LISTENER);
        assertThat(cluster.machine(LISTENER).count("from-voter")).isEqualTo(5);
        assertThat(cluster.quorum(LISTENER).isLeader()).isFalse();
        assertThat(cluster.quorum(LISTENER).leaderId()).hasValue(leader);
        QuorumStatus status = cluster.quorum(leader).status();
        assertThat(status.voters()).extracting(QuorumStatus.Member::id).containsExactly(1, 2, 3);
        assertThat(status.listeners()).extracting(QuorumStatus.Member::id).containsExactly(LISTENER);
    }

    @Test
    void shouldNotCountTheListenerTowardsTheMajority() throws Exception {
        int leader = cluster.awaitLeader();
        int first = cluster.follower(leader);
        cluster.stop(first);
        // two of three voters: still a majority
        QuorumSingleVoterTest.submitAll(cluster.quorum(LISTENER), "two-voters", 3);

        int second = cluster.follower(leader);
        cluster.stop(second);
        // one voter and the listener: the listener does not make a majority
        CompletableFuture<byte[]> lost = cluster.quorum(LISTENER).submit(command("one-voter"));
        assertThatThrownBy(() -> lost.get(TestCluster.REQUEST_TIMEOUT.toMillis() + 5000, TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(QuorumUnavailableException.class);

        cluster.start(first);
        await().atMost(WAIT).ignoreExceptions()
                .until(() -> cluster.quorum(LISTENER).submit(command("again")).get(10, TimeUnit.SECONDS), r -> true);
        awaitSameHistory(leader, first, LISTENER);
        assertThat(cluster.machine(LISTENER).count("two-voters")).isEqualTo(3);
    }

    private void awaitSameHistory(int... ids) {
        await().atMost(WAIT).untilAsserted(() -> {
            List<String> first = cluster.machine(ids[0]).history();
            for (int id : ids) {
                assertThat(cluster.machine(id).history()).as("node %d", id).isEqualTo(first);
            }
        });
    }
}
