package io.brook.storage;

import static io.brook.storage.TestRecords.batch;
import static io.brook.storage.TestRecords.payload;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.brook.storage.LeaderEpochCheckpoint.EpochEntry;

/**
 * Two replicas diverge and reconcile the way Kafka's followers do, with the storage calls only: the returning replica
 * asks the leader where its latest epoch ends, truncates there, and fetches the rest.
 */
class ReplicationScenarioTest {

    private static final TopicPartition TP = new TopicPartition("payments", 0);

    @TempDir
    Path brokerA;
    @TempDir
    Path brokerB;

    private LogFixture a;
    private LogFixture b;

    @AfterEach
    void tearDown() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    /** One replica fetch: what the leader has from the follower's end, appended as the leader wrote it. */
    private static void fetchOnce(PartitionLog leader, PartitionLog follower) {
        MemoryRecords fetched = LogFixture.fetchAll(leader, follower.logEndOffset());
        follower.appendAsFollower(fetched);
        follower.updateHighWatermark(leader.highWatermark());
    }

    /** Kafka's truncation rule for a follower whose latest epoch the leader answered with {@code leaderAnswer}. */
    private static long divergenceOffset(PartitionLog follower, EpochEndOffset leaderAnswer) {
        EpochEndOffset own = follower.endOffsetForEpoch(leaderAnswer.epoch());
        return Math.min(leaderAnswer.endOffset(), own.endOffset());
    }

    @Test
    void shouldReconcileDivergedReplicasToIdenticalLogs() throws IOException {
        LogConfig config = LogFixture.smallSegments(4096);
        a = new LogFixture(brokerA, config);
        b = new LogFixture(brokerB, config);
        DefaultPartitionLog logA = a.log(TP);
        DefaultPartitionLog logB = b.log(TP);
        logA.setHighWatermarkMode(HighWatermarkMode.REPLICATED);
        logB.setHighWatermarkMode(HighWatermarkMode.REPLICATED);

        // epoch 1: A leads, B replicates 0..19
        for (int i = 0; i < 20; i++) {
            logA.appendAsLeader(batch(1000L + i, "e1-" + i + payload(40)), 1);
        }
        fetchOnce(logA, logB);
        logA.updateHighWatermark(logB.logEndOffset());
        // epoch 2: A still thinks it leads and appends 20..27, which B never gets (A is cut off)
        for (int i = 0; i < 8; i++) {
            logA.appendAsLeader(batch(2000L + i, "e2-" + i), 2);
        }
        // epoch 3: B is elected and appends 20..59 (rolling segments), then A comes back
        for (int i = 0; i < 40; i++) {
            logB.appendAsLeader(batch(3000L + i, "e3-" + i + payload(40)), 3);
        }
        logB.updateHighWatermark(logB.logEndOffset());
        // A restarts without a clean shutdown before it learns it is a follower
        a.crashAndReopen();
        logA = a.log(TP);
        logA.setHighWatermarkMode(HighWatermarkMode.REPLICATED);
        assertThat(logA.latestEpoch()).hasValue(2);
        assertThat(logA.highWatermark()).isLessThanOrEqualTo(20);

        // A, now a follower, asks B where A's latest epoch ends on B
        EpochEndOffset answer = logB.endOffsetForEpoch(logA.latestEpoch().getAsInt());
        assertThat(answer).isEqualTo(new EpochEndOffset(1, 20));
        long truncateAt = divergenceOffset(logA, answer);
        assertThat(truncateAt).isEqualTo(20);
        logA.truncateTo(truncateAt);
        while (logA.logEndOffset() < logB.logEndOffset()) {
            fetchOnce(logB, logA);
        }

        assertThat(LogFixture.logBytes(logA)).isEqualTo(LogFixture.logBytes(logB));
        assertThat(logA.epochEntries()).isEqualTo(logB.epochEntries())
                .containsExactly(new EpochEntry(1, 0), new EpochEntry(3, 20));
        assertThat(logA.highWatermark()).isEqualTo(logB.highWatermark()).isEqualTo(60);
        assertThat(logA.endOffsetForEpoch(2)).isEqualTo(logB.endOffsetForEpoch(2))
                .isEqualTo(new EpochEndOffset(1, 20));

        // on disk too: the segment files, concatenated in offset order, hold the same bytes (where each replica
        // rolled may differ, as in Kafka)
        a.reopen();
        b.reopen();
        assertThat(concatenatedSegments(a.partitionDir(TP))).isEqualTo(concatenatedSegments(b.partitionDir(TP)));
    }

    private static byte[] concatenatedSegments(Path partitionDir) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        List<Path> segments;
        try (var files = Files.list(partitionDir)) {
            segments = files.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList();
        }
        for (Path segment : segments) {
            all.write(Files.readAllBytes(segment));
        }
        return all.toByteArray();
    }
}
