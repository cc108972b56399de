package io.brook.storage;

import static io.brook.storage.TestRecords.batch;
import static io.brook.storage.TestRecords.idempotent;
import static io.brook.storage.TestRecords.offsets;
import static io.brook.storage.TestRecords.payload;
import static io.brook.storage.TestRecords.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.brook.storage.LeaderEpochCheckpoint.EpochEntry;

class TruncationTest {

    private static final TopicPartition TP = new TopicPartition("orders", 0);
    private static final LogConfig SMALL = LogFixture.smallSegments(1024);

    @TempDir
    Path dir;

    private LogFixture fixture;

    @AfterEach
    void tearDown() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private DefaultPartitionLog open(LogConfig config) {
        fixture = new LogFixture(dir, config);
        return fixture.log(TP);
    }

    /** Appends one-record batches "v{i}" for i in [from, to), epoch 1 below 25 and 2 from there. */
    private static void appendValues(PartitionLog log, int from, int to) {
        for (int i = from; i < to; i++) {
            log.appendAsLeader(batch(1000L + i, "v" + i + "-" + payload(60)), i < 25 ? 1 : 2);
        }
    }

    private static List<String> allValues(PartitionLog log) {
        List<String> values = new ArrayList<>();
        values(LogFixture.fetchAll(log, log.logStartOffset())).forEach(v -> values.add(v.substring(0, v.indexOf('-'))));
        return values;
    }

    private static List<String> expected(int from, int to) {
        List<String> values = new ArrayList<>();
        for (int i = from; i < to; i++) {
            values.add("v" + i);
        }
        return values;
    }

    @Test
    void shouldRemoveSegmentsIndexEntriesAndEpochsAcrossSegmentBoundaries() {
        DefaultPartitionLog log = open(SMALL);
        appendValues(log, 0, 50);
        int segmentsBefore = log.numberOfSegments();
        assertThat(segmentsBefore).isGreaterThan(5);

        assertThat(log.truncateTo(17)).isTrue();

        assertThat(log.logEndOffset()).isEqualTo(17);
        assertThat(log.highWatermark()).isEqualTo(17);
        assertThat(log.numberOfSegments()).isLessThan(segmentsBefore);
        assertThat(allValues(log)).isEqualTo(expected(0, 17));
        for (LogSegment segment : log.segmentsForTest().all()) {
            assertThat(segment.baseOffset()).isLessThanOrEqualTo(17);
        }
        try (var files = Files.list(fixture.partitionDir(TP))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".log"))
                    .map(n -> Long.parseLong(n.substring(0, 20)))).allMatch(base -> base <= 17);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // every remaining offset is found through the (trimmed) offset index
        for (long offset = 0; offset < 17; offset++) {
            assertThat(offsets(log.read(offset, 1, true).records())).containsExactly(offset);
        }
        assertThat(log.epochEntries()).containsExactly(new EpochEntry(1, 0));
        assertThat(log.appendAsLeader(batch(1L, "after"), 3).firstOffset()).isEqualTo(17);
        assertThat(log.epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(3, 17));
    }

    @Test
    void shouldDropEpochsStartingAtOrAfterTheTruncationPoint() {
        DefaultPartitionLog log = open(SMALL);
        appendValues(log, 0, 40);
        assertThat(log.epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(2, 25));

        log.truncateTo(30);
        assertThat(log.epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(2, 25));
        assertThat(log.endOffsetForEpoch(2)).isEqualTo(new EpochEndOffset(2, 30));

        log.truncateTo(25);
        assertThat(log.epochEntries()).containsExactly(new EpochEntry(1, 0));
        assertThat(log.endOffsetForEpoch(2)).isEqualTo(EpochEndOffset.UNDEFINED);
    }

    @Test
    void shouldRemoveTheWholeBatchHoldingTheTruncationOffset() {
        DefaultPartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(batch(1L, "a", "b"), 0);
        log.appendAsLeader(batch(1L, "c", "d", "e"), 0);

        log.truncateTo(3);

        assertThat(log.logEndOffset()).isEqualTo(2);
        assertThat(values(log.read(0, Integer.MAX_VALUE, false).records())).containsExactly("a", "b");
    }

    @Test
    void shouldDoNothingWhenTruncatingAtOrBeyondTheEnd() {
        DefaultPartitionLog log = open(LogConfig.defaults());
        appendValues(log, 0, 5);

        assertThat(log.truncateTo(5)).isFalse();
        assertThat(log.truncateTo(99)).isFalse();
        assertThat(log.logEndOffset()).isEqualTo(5);
        assertThatThrownBy(() -> log.truncateTo(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldTrimProducerStateWithTheLog() {
        DefaultPartitionLog log = open(SMALL);
        for (int seq = 0; seq < 30; seq++) {
            log.appendAsLeader(idempotent(9L, (short) 0, seq, "s" + seq + payload(60)), 0);
        }

        assertThat(ProducerStateManager.listSnapshots(fixture.partitionDir(TP).toFile()).lastKey()).isGreaterThan(20);

        log.truncateTo(20);

        // snapshots describing removed batches are gone, so a restart cannot load them
        assertThat(ProducerStateManager.listSnapshots(fixture.partitionDir(TP).toFile()).keySet())
                .allMatch(offset -> offset <= 20);
        // sequence 20 was removed: it is accepted again, 21 would now be out of order
        assertThatThrownBy(() -> log.appendAsLeader(idempotent(9L, (short) 0, 21, "x"), 1))
                .isInstanceOf(OutOfOrderSequenceException.class);
        LogAppendInfo again = log.appendAsLeader(idempotent(9L, (short) 0, 20, "s20"), 1);
        assertThat(again.duplicate()).isFalse();
        assertThat(again.firstOffset()).isEqualTo(20);
    }

    @Test
    void shouldStartEmptyAtTheGivenOffsetWhenTruncatingFully() {
        DefaultPartitionLog log = open(SMALL);
        appendValues(log, 0, 30);
        CompletableFuture<Void> waiter = log.awaitDurable(30);

        log.truncateFullyAndStartAt(100);

        assertThat(log.logStartOffset()).isEqualTo(100);
        assertThat(log.logEndOffset()).isEqualTo(100);
        assertThat(log.highWatermark()).isEqualTo(100);
        assertThat(log.numberOfSegments()).isEqualTo(1);
        assertThat(log.epochEntries()).isEmpty();
        assertThat(log.read(100, 1000, true).records().sizeInBytes()).isZero();
        assertThatThrownBy(() -> log.read(5, 1000, true)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(waiter).isCompletedExceptionally();
        assertThat(log.appendAsLeader(batch(1L, "new"), 4).firstOffset()).isEqualTo(100);
        assertThat(fixture.partitionDir(TP).resolve("00000000000000000000.log")).doesNotExist();
        assertThat(fixture.partitionDir(TP).resolve("00000000000000000100.log")).exists();
    }

    @Test
    void shouldTruncateFullyWhenTruncatingBelowTheLogStartOffset() {
        DefaultPartitionLog log = open(LogConfig.defaults());
        appendValues(log, 0, 10);
        log.maybeIncrementLogStartOffset(5);

        log.truncateTo(3);

        assertThat(log.logStartOffset()).isEqualTo(3);
        assertThat(log.logEndOffset()).isEqualTo(3);
    }

    @Test
    void shouldFailDurabilityWaitersForTruncatedRecordsAndKeepTheOthers() throws Exception {
        DefaultPartitionLog log = open(LogConfig.defaults());
        appendValues(log, 0, 10);
        CompletableFuture<Void> kept = log.awaitDurable(4);
        CompletableFuture<Void> truncated = log.awaitDurable(8);

        log.truncateTo(5);

        assertThat(truncated).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(NotLeaderOrFollowerException.class);
        assertThat(kept).isNotDone();
        fixture.manager().flusher().doWork();
        assertThat(kept).isCompleted();
        assertThat(log.recoveryPoint()).isEqualTo(5);
    }

    @Test
    void shouldNeverResurrectTruncatedRecordsAfterACrash() {
        DefaultPartitionLog log = open(SMALL);
        appendValues(log, 0, 50);
        fixture.reopen(); // everything fsynced and checkpointed: recovery point 50 on disk
        log = fixture.log(TP);
        assertThat(fixture.checkpointLines(OffsetCheckpointFile.RECOVERY_POINT)).contains("orders 0 50");

        log.truncateTo(20);
        // the lowered recovery point is on disk before truncateTo returns
        assertThat(fixture.checkpointLines(OffsetCheckpointFile.RECOVERY_POINT)).contains("orders 0 20");
        for (int i = 0; i < 5; i++) {
            log.appendAsLeader(batch(1L, "w" + i + "-x"), 3);
        }
        fixture.crashAndReopen();
        DefaultPartitionLog reopened = fixture.log(TP);

        assertThat(reopened.logEndOffset()).isEqualTo(25);
        List<String> expected = expected(0, 20);
        for (int i = 0; i < 5; i++) {
            expected.add("w" + i);
        }
        assertThat(allValues(reopened)).isEqualTo(expected);
        assertThat(reopened.epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(3, 20));
    }

    @Test
    void shouldNotBringBackRecordsTruncatedJustBeforeACrash() {
        DefaultPartitionLog log = open(SMALL);
        appendValues(log, 0, 40);
        fixture.flushAll();

        log.truncateTo(12);
        fixture.crashAndReopen();
        DefaultPartitionLog reopened = fixture.log(TP);

        assertThat(reopened.logEndOffset()).isEqualTo(12);
        assertThat(allValues(reopened)).isEqualTo(expected(0, 12));
        assertThat(reopened.epochEntries()).containsExactly(new EpochEntry(1, 0));
        assertThat(reopened.appendAsLeader(batch(1L, "z"), 5).firstOffset()).isEqualTo(12);
    }
}
