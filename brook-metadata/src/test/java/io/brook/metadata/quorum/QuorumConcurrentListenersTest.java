package io.brook.metadata.quorum;

import static io.brook.metadata.quorum.CountingStateMachine.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One voter and three listeners that all start at once, as broker-only nodes of a cluster starting together do. */
@Timeout(120)
class QuorumConcurrentListenersTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<Integer> LISTENERS = List.of(2, 3, 4);

    @TempDir
    Path dir;

    private TestCluster cluster;

    @BeforeEach
    void startVoterAndListenersTogether() throws Exception {
        cluster = new TestCluster(dir, 1, 1000);
        LISTENERS.forEach(cluster::addListener);
        // start() returns before the listener joins: the three joins run concurrently
        cluster.startAll();
        awaitListenersReady();
    }

    @AfterEach
    void closeCluster() {
        cluster.close();
    }

    @Test
    void shouldKeepEveryListenerInTheConfigurationWhenListenersJoinConcurrently() throws Exception {
        int leader = cluster.awaitLeader();
        assertThat(cluster.quorum(leader).status().listeners()).extracting(QuorumStatus.Member::id)
                .containsExactlyElementsOf(LISTENERS);

        byte[] reply = cluster.quorum(4).submit(command("after-join")).get(10, TimeUnit.SECONDS);
        assertThat(CountingStateMachine.value(reply)).isEqualTo(1);
        await().atMost(WAIT).untilAsserted(() -> {
            for (int id : LISTENERS) {
                assertThat(cluster.machine(id).count("after-join")).as("node %d", id).isEqualTo(1);
            }
        });
    }

    @Test
    void shouldRejoinWithoutAConfigurationChangeWhenAListenerRestarts() throws Exception {
        int leader = cluster.awaitLeader();
        long committedBefore = cluster.quorum(leader).status().commitIndex();

        cluster.stop(3);
        cluster.start(3);
        cluster.quorum(3).ready().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        QuorumStatus status = cluster.quorum(leader).status();
        assertThat(status.listeners()).extracting(QuorumStatus.Member::id).containsExactlyElementsOf(LISTENERS);
        // nothing was written to the log: the restarted listener found itself in the configuration
        assertThat(status.commitIndex()).isEqualTo(committedBefore);
        cluster.quorum(3).submit(command("after-restart")).get(10, TimeUnit.SECONDS);
        assertThat(cluster.machine(3).count("after-restart")).isEqualTo(1);
    }

    private void awaitListenersReady() throws Exception {
        CompletableFuture<?>[] ready = LISTENERS.stream().map(id -> cluster.quorum(id).ready())
                .toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(ready).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
}
