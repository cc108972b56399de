package io.brook.metadata.quorum;

import static io.brook.metadata.quorum.CountingStateMachine.command;
import static io.brook.metadata.quorum.CountingStateMachine.value;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class QuorumSingleVoterTest {

    @TempDir
    Path dir;

    private final List<MetadataQuorum> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws IOException {
        for (MetadataQuorum q : open) {
            q.close();
        }
    }

    private MetadataQuorum start(QuorumConfig config, ReplicatedStateMachine machine) throws IOException {
        MetadataQuorum quorum = new MetadataQuorum(config, machine);
        open.add(quorum);
        quorum.start();
        return quorum;
    }

    private QuorumConfig config(int port, long snapshotThreshold) {
        return QuorumConfig.voter(1, QuorumVoters.parse("1@127.0.0.1:" + port), dir.resolve("__cluster_metadata"))
                .withSnapshotThreshold(snapshotThreshold);
    }

    @Test
    void shouldApplyCommandsAndSeeOwnWriteWhenSingleVoter() throws Exception {
        CountingStateMachine machine = new CountingStateMachine();
        MetadataQuorum quorum = start(config(TestPorts.free(), 1000), machine);
        quorum.ready().get(10, TimeUnit.SECONDS);

        byte[] reply = quorum.submit(command("a")).get(10, TimeUnit.SECONDS);
        // read-your-writes: the local state has it as soon as the future completes
        assertThat(machine.count("a")).isEqualTo(1);
        assertThat(value(reply)).isEqualTo(1);
        assertThat(value(quorum.submit(command("a")).get(10, TimeUnit.SECONDS))).isEqualTo(2);
        assertThat(quorum.isLeader()).isTrue();
        assertThat(quorum.leaderId()).hasValue(1);
        assertThat(quorum.currentTerm()).isPositive();
    }

    @Test
    void shouldRestoreStateFromLogWhenRestartedBeforeAnySnapshot() throws Exception {
        int port = TestPorts.free();
        CountingStateMachine first = new CountingStateMachine();
        MetadataQuorum quorum = start(config(port, 1000), first);
        submitAll(quorum, "x", 20);
        quorum.close();

        CountingStateMachine second = new CountingStateMachine();
        MetadataQuorum restarted = start(config(port, 1000), second);
        restarted.ready().get(10, TimeUnit.SECONDS);

        assertThat(second.restores()).isZero();
        assertThat(second.history()).isEqualTo(first.history());
        assertThat(value(restarted.submit(command("x")).get(10, TimeUnit.SECONDS))).isEqualTo(21);
    }

    @Test
    void shouldRestoreStateFromSnapshotWhenRestartedAfterSnapshots() throws Exception {
        int port = TestPorts.free();
        CountingStateMachine first = new CountingStateMachine();
        MetadataQuorum quorum = start(config(port, 10), first);
        submitAll(quorum, "y", 35);
        quorum.close();
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().matches("snapshot\\.\\d+_\\d+"))).isNotEmpty();
        }

        CountingStateMachine second = new CountingStateMachine();
        MetadataQuorum restarted = start(config(port, 10), second);
        restarted.ready().get(10, TimeUnit.SECONDS);

        assertThat(second.restores()).isEqualTo(1);
        assertThat(second.history()).isEqualTo(first.history());
        assertThat(value(restarted.submit(command("y")).get(10, TimeUnit.SECONDS))).isEqualTo(36);
    }

    static void submitAll(MetadataQuorum quorum, String key, int n) throws Exception {
        List<CompletableFuture<byte[]>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(quorum.submit(command(key)));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
    }
}
