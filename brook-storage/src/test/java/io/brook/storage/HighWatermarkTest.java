package io.brook.storage;

import static io.brook.storage.TestRecords.batch;
import static io.brook.storage.TestRecords.offsets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HighWatermarkTest {

    private static final TopicPartition TP = new TopicPartition("orders", 2);

    @TempDir
    Path dir;

    private LogFixture fixture;

    @AfterEach
    void tearDown() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private DefaultPartitionLog open() {
        fixture = new LogFixture(dir, LogConfig.defaults());
        return fixture.log(TP);
    }

    private static void appendOneRecordBatches(PartitionLog log, int count) {
        for (int i = 0; i < count; i++) {
            log.appendAsLeader(batch(1L, "v" + i), 0);
        }
    }

    @Test
    void shouldFollowLogEndOffsetByDefault() {
        DefaultPartitionLog log = open();
        appendOneRecordBatches(log, 3);

        assertThat(log.highWatermarkMode()).isEqualTo(HighWatermarkMode.FOLLOWS_LOG_END);
        assertThat(log.highWatermark()).isEqualTo(3);
        assertThat(log.updateHighWatermark(1)).isEqualTo(3);
        assertThat(log.read(0, 1000, false).highWatermark()).isEqualTo(3);
    }

    @Test
    void shouldBoundConsumerReadsByTheReplicatedHighWatermark() {
        DefaultPartitionLog log = open();
        appendOneRecordBatches(log, 2);
        log.setHighWatermarkMode(HighWatermarkMode.REPLICATED);
        appendOneRecordBatches(log, 3);

        assertThat(log.highWatermark()).isEqualTo(2);
        assertThat(offsets(log.read(0, 10_000, false).records())).containsExactly(0L, 1L);
        assertThat(offsets(log.read(0, 10_000, false, FetchIsolation.LOG_END).records()))
                .containsExactly(0L, 1L, 2L, 3L, 4L);
        // between the high watermark and the log end: nothing for a consumer, no error
        LogReadResult aboveHw = log.read(3, 10_000, false);
        assertThat(aboveHw.records().sizeInBytes()).isZero();
        assertThat(aboveHw.highWatermark()).isEqualTo(2);
        assertThat(aboveHw.logEndOffset()).isEqualTo(5);
        assertThatThrownBy(() -> log.read(6, 10_000, false)).isInstanceOf(OffsetOutOfRangeException.class);

        assertThat(log.updateHighWatermark(4)).isEqualTo(4);
        assertThat(offsets(log.read(0, 10_000, false).records())).containsExactly(0L, 1L, 2L, 3L);
    }

    @Test
    void shouldOnlyRaiseTheHighWatermarkAndClampItToTheLogEnd() {
        DefaultPartitionLog log = open();
        log.setHighWatermarkMode(HighWatermarkMode.REPLICATED);
        appendOneRecordBatches(log, 5);

        assertThat(log.updateHighWatermark(3)).isEqualTo(3);
        assertThat(log.updateHighWatermark(1)).isEqualTo(3);
        assertThat(log.updateHighWatermark(99)).isEqualTo(5);
        assertThat(log.highWatermark()).isEqualTo(5);
    }

    @Test
    void shouldLowerTheHighWatermarkOnlyByTruncation() {
        DefaultPartitionLog log = open();
        log.setHighWatermarkMode(HighWatermarkMode.REPLICATED);
        appendOneRecordBatches(log, 5);
        log.updateHighWatermark(4);

        log.truncateTo(2);

        assertThat(log.highWatermark()).isEqualTo(2);
        appendOneRecordBatches(log, 2);
        assertThat(log.highWatermark()).isEqualTo(2);
    }

    @Test
    void shouldJumpToTheLogEndWhenHandedBackToSingleNodeMode() {
        DefaultPartitionLog log = open();
        log.setHighWatermarkMode(HighWatermarkMode.REPLICATED);
        appendOneRecordBatches(log, 4);

        log.setHighWatermarkMode(HighWatermarkMode.FOLLOWS_LOG_END);

        assertThat(log.highWatermark()).isEqualTo(4);
    }

    @Test
    void shouldRoundTripTheHighWatermarkThroughTheReplicationOffsetCheckpoint() {
        DefaultPartitionLog log = open();
        log.setHighWatermarkMode(HighWatermarkMode.REPLICATED);
        appendOneRecordBatches(log, 5);
        log.updateHighWatermark(3);

        fixture.reopen();
        DefaultPartitionLog reopened = fixture.log(TP);

        assertThat(fixture.checkpointLines(OffsetCheckpointFile.REPLICATION_OFFSET))
                .containsExactly("0", "1", "orders 2 3");
        // single-node mode until the replication layer takes over, then the checkpointed value
        assertThat(reopened.highWatermark()).isEqualTo(5);
        reopened.setHighWatermarkMode(HighWatermarkMode.REPLICATED);
        assertThat(reopened.highWatermark()).isEqualTo(3);
        assertThat(offsets(reopened.read(0, 10_000, false).records())).containsExactly(0L, 1L, 2L);
    }

    @Test
    void shouldClampACheckpointedHighWatermarkBeyondTheLogEnd() throws IOException {
        DefaultPartitionLog log = open();
        appendOneRecordBatches(log, 4);
        fixture.reopen();
        Files.writeString(dir.resolve(OffsetCheckpointFile.REPLICATION_OFFSET), "0\n1\norders 2 1000\n");

        fixture.crashAndReopen();
        DefaultPartitionLog reopened = fixture.log(TP);
        reopened.setHighWatermarkMode(HighWatermarkMode.REPLICATED);

        assertThat(reopened.highWatermark()).isEqualTo(4);
    }

    @Test
    void shouldWriteTheHighWatermarkCheckpointEveryFiveSeconds() {
        DefaultPartitionLog log = open();
        log.setHighWatermarkMode(HighWatermarkMode.REPLICATED);
        appendOneRecordBatches(log, 3);
        log.updateHighWatermark(2);
        Path file = dir.resolve(OffsetCheckpointFile.REPLICATION_OFFSET);
        fixture.manager().flusher().doWork();
        assertThat(file).doesNotExist();

        fixture.time.sleep(DefaultLogManager.HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS);
        fixture.manager().flusher().doWork();

        assertThat(fixture.checkpointLines(OffsetCheckpointFile.REPLICATION_OFFSET))
                .containsExactly("0", "1", "orders 2 2");
    }

    @Test
    void shouldPersistAnIncrementedLogStartOffset() {
        DefaultPartitionLog log = open();
        appendOneRecordBatches(log, 6);
        assertThatThrownBy(() -> log.maybeIncrementLogStartOffset(7)).isInstanceOf(OffsetOutOfRangeException.class);

        assertThat(log.maybeIncrementLogStartOffset(4)).isTrue();
        assertThat(log.maybeIncrementLogStartOffset(2)).isFalse();
        fixture.reopen();
        DefaultPartitionLog reopened = fixture.log(TP);

        assertThat(fixture.checkpointLines(OffsetCheckpointFile.LOG_START_OFFSET))
                .containsExactly("0", "1", "orders 2 4");
        assertThat(reopened.logStartOffset()).isEqualTo(4);
        assertThatThrownBy(() -> reopened.read(3, 1000, true)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(offsets(reopened.read(4, 1000, false).records())).containsExactly(4L, 5L);
        assertThat(reopened.epochEntries()).containsExactly(new LeaderEpochCheckpoint.EpochEntry(0, 4));
    }
}
