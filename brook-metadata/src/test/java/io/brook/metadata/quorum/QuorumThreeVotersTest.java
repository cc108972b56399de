package io.brook.metadata.quorum;

import static io.brook.metadata.quorum.CountingStateMachine.command;
import static io.brook.metadata.quorum.CountingStateMachine.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class QuorumThreeVotersTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private TestCluster cluster;

    @AfterEach
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void startCluster(long snapshotThreshold) {
        cluster = new TestCluster(dir, 3, snapshotThreshold);
        cluster.startAll();
    }

    @Test
    void shouldApplyCommandsInTheSameOrderOnEveryNodeWhenSubmittedFromAnyNode() throws Exception {
        startCluster(1000);
        cluster.awaitLeader();

        List<CompletableFuture<Void>> checks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            for (int id = 1; id <= 3; id++) {
                String key = "k" + id;
                CountingStateMachine local = cluster.machine(id);
                // read-your-writes on the submitting node, whether or not it leads
                checks.add(cluster.quorum(id).submit(command(key))
                        .thenAccept(reply -> assertThat(local.count(key)).isGreaterThanOrEqualTo(value(reply))));
            }
        }
        CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        awaitSameHistory(1, 2, 3);
        assertThat(cluster.machine(1).history()).hasSize(60);
        assertThat(cluster.machine(1).count("k1")).isEqualTo(20);
    }

    @Test
    void shouldElectAnotherLeaderAndKeepAcceptingCommandsWhenTheLeaderCloses() throws Exception {
        startCluster(1000);
        int leader = cluster.awaitLeader();
        submit(cluster.follower(leader), "before", 5);

        cluster.stop(leader);
        int newLeader = cluster.awaitLeader();
        assertThat(newLeader).isNotEqualTo(leader);
        submit(cluster.follower(newLeader), "after", 5);
        submit(newLeader, "after", 5);

        cluster.start(leader);
        awaitSameHistory(1, 2, 3);
        assertThat(cluster.machine(leader).count("after")).isEqualTo(10);
        assertThat(cluster.quorum(newLeader).currentTerm()).isGreaterThan(1);
    }

    @Test
    void shouldFailWithQuorumUnavailableWithinTheTimeoutWhenTwoOfThreeVotersAreDown() throws Exception {
        startCluster(1000);
        int leader = cluster.awaitLeader();
        submit(leader, "a", 3);
        int survivor = cluster.follower(leader);
        int other = otherThan(leader, survivor);
        cluster.stop(leader);
        cluster.stop(other);

        // bounded: fails with the typed exception, not a hang (get's own timeout would fail the test instead)
        CompletableFuture<byte[]> lost = cluster.quorum(survivor).submit(command("lost"));
        CompletableFuture<byte[]> query = cluster.quorum(survivor).queryLeader(new byte[0]);
        assertThatThrownBy(() -> lost.get(TestCluster.REQUEST_TIMEOUT.toMillis() + 5000, TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(QuorumUnavailableException.class);
        assertThatThrownBy(() -> query.get(5000, TimeUnit.MILLISECONDS))
                .hasCauseInstanceOf(QuorumUnavailableException.class);
        assertThat(cluster.machine(survivor).count("a")).isEqualTo(3);

        cluster.start(other);
        // may take a retry while the two elect a leader; a timed-out attempt may still have applied, hence >=
        byte[] reply = await().atMost(WAIT).ignoreExceptions()
                .until(() -> cluster.quorum(survivor).submit(command("a")).get(10, TimeUnit.SECONDS), r -> true);
        assertThat(value(reply)).isGreaterThanOrEqualTo(4);
        awaitSameHistory(survivor, other);
        // The timed-out command's outcome was unknown: it may or may not have committed, but at most once.
        assertThat(cluster.machine(survivor).count("lost")).isLessThanOrEqualTo(1);

        cluster.start(leader);
        awaitSameHistory(1, 2, 3);
    }

    @Test
    void shouldCatchUpFromAnInstalledSnapshotWhenANodeWasDownDuringManySnapshots() throws Exception {
        startCluster(10);
        int leader = cluster.awaitLeader();
        submit(leader, "early", 5);
        int lagging = cluster.follower(leader);
        awaitSameHistory(1, 2, 3);
        cluster.stop(lagging);

        for (int batch = 0; batch < 12; batch++) { // metadata arrives in small bursts, not 120 at once
            submit(leader, "while-down", 10);
        }

        cluster.start(lagging);
        awaitSameHistory(1, 2, 3);
        assertThat(cluster.machine(lagging).restores()).as("restored from an installed snapshot").isPositive();
        assertThat(cluster.machine(lagging).count("while-down")).isEqualTo(120);
        // and it keeps following the log after the snapshot
        submit(lagging, "later", 3);
        awaitSameHistory(1, 2, 3);
    }

    @Test
    void shouldRestoreTheSameStateWhenEveryVoterRestarts() throws Exception {
        startCluster(10); // snapshots plus a log tail after the last one
        int leader = cluster.awaitLeader();
        submit(leader, "k", 25);
        awaitSameHistory(1, 2, 3);
        List<String> before = cluster.machine(1).history();

        cluster.close();
        cluster.startAll();
        int newLeader = cluster.awaitLeader();

        awaitSameHistory(1, 2, 3);
        assertThat(cluster.machine(1).history()).isEqualTo(before);
        submit(newLeader, "k", 1);
        assertThat(cluster.machine(newLeader).count("k")).isEqualTo(26);
    }

    @Test
    void shouldReachTheLeaderWithQueryLeaderFromAFollower() throws Exception {
        startCluster(1000);
        int leader = cluster.awaitLeader();
        submit(leader, "q", 2);

        byte[] reply = cluster.quorum(cluster.follower(leader)).queryLeader("status".getBytes(StandardCharsets.UTF_8))
                .get(10, TimeUnit.SECONDS);

        assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo("node-" + leader + ":2");
    }

    @Test
    void shouldReportLeaderTermAndReplicationProgressInStatus() throws Exception {
        startCluster(1000);
        int leader = cluster.awaitLeader();
        submit(leader, "s", 4);
        awaitSameHistory(1, 2, 3);

        await().atMost(WAIT).untilAsserted(() -> {
            QuorumStatus status = cluster.quorum(leader).status();
            assertThat(status.leaderId()).hasValue(leader);
            assertThat(status.term()).isPositive();
            assertThat(status.voters()).extracting(QuorumStatus.Member::id).containsExactly(1, 2, 3);
            assertThat(status.voters()).allSatisfy(m -> assertThat(m.matchIndex()).isEqualTo(status.commitIndex()));
            assertThat(status.lastAppliedIndex()).isEqualTo(status.commitIndex());
        });
        QuorumStatus followerView = cluster.quorum(cluster.follower(leader)).status();
        assertThat(followerView.leaderId()).hasValue(leader);
        assertThat(followerView.listeners()).isEmpty();
    }

    @Test
    void shouldGiveTheLeadersViewWithFollowerProgressWhenLeaderStatusIsAskedOfAFollower() throws Exception {
        startCluster(1000);
        int leader = cluster.awaitLeader();
        submit(leader, "l", 3);
        awaitSameHistory(1, 2, 3);

        await().atMost(WAIT).untilAsserted(() -> {
            QuorumStatus status = cluster.quorum(cluster.follower(leader)).leaderStatus().get(10, TimeUnit.SECONDS);
            assertThat(status.nodeId()).as("answered by the leader").isEqualTo(leader);
            assertThat(status.leaderId()).hasValue(leader);
            assertThat(status.term()).isEqualTo(cluster.quorum(leader).currentTerm());
            assertThat(status.voters()).extracting(QuorumStatus.Member::id).containsExactly(1, 2, 3);
            assertThat(status.voters()).allSatisfy(m -> {
                assertThat(m.matchIndex()).isEqualTo(status.commitIndex());
                assertThat(m.lastContactMs()).isGreaterThanOrEqualTo(0);
            });
        });
    }

    private void submit(int node, String key, int n) throws Exception {
        QuorumSingleVoterTest.submitAll(cluster.quorum(node), key, n);
    }

    private void awaitSameHistory(int... ids) {
        await().atMost(WAIT).untilAsserted(() -> {
            List<String> first = cluster.machine(ids[0]).history();
            for (int id : ids) {
                assertThat(cluster.machine(id).history()).as("node %d", id).isEqualTo(first);
            }
        });
    }

    private static int otherThan(int a, int b) {
        for (int id = 1; id <= 3; id++) {
            if (id != a && id != b) {
                return id;
            }
        }
        throw new IllegalStateException();
    }
}
