package io.brook.storage;

import static io.brook.storage.TestRecords.batch;
import static io.brook.storage.TestRecords.batchBaseOffsets;
import static io.brook.storage.TestRecords.offsets;
import static io.brook.storage.TestRecords.payload;
import static io.brook.storage.TestRecords.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.Records;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class PartitionLogTest {

    private static final TopicPartition TP = new TopicPartition("orders", 0);

    @TempDir
    Path dir;

    private final ManualTime time = new ManualTime();
    private DefaultLogManager manager;

    @AfterEach
    void tearDown() {
        if (manager != null) {
            manager.close();
        }
    }

    private PartitionLog openLog(LogConfig config) {
        manager = DefaultLogManager.open(List.of(dir), config, time, false);
        return manager.getOrCreate(TP, config);
    }

    static LogConfig smallSegments(int segmentBytes) {
        LogConfig d = LogConfig.defaults();
        return new LogConfig(segmentBytes, d.segmentMs(), 256, 4096, d.maxMessageBytes(), d.flushIntervalMessages(),
                d.flushIntervalMs(), false);
    }

    @Test
    void shouldAssignConsecutiveOffsetsWhenAppending() {
        PartitionLog log = openLog(LogConfig.defaults());

        LogAppendInfo first = log.appendAsLeader(batch(10L, "a", "b", "c"), 3);
        LogAppendInfo second = log.appendAsLeader(batch(11L, "d"), 3);

        assertThat(first.firstOffset()).isZero();
        assertThat(first.lastOffset()).isEqualTo(2);
        assertThat(second.firstOffset()).isEqualTo(3);
        assertThat(second.lastOffset()).isEqualTo(3);
        assertThat(first.duplicate()).isFalse();
        assertThat(log.logEndOffset()).isEqualTo(4);
        assertThat(log.highWatermark()).isEqualTo(4);
        LogReadResult read = log.read(0, Integer.MAX_VALUE, false);
        assertThat(offsets(read.records())).containsExactly(0L, 1L, 2L, 3L);
        assertThat(values(read.records())).containsExactly("a", "b", "c", "d");
        assertThat(read.records()).isInstanceOf(FileRecords.class);
        for (RecordBatch b : read.records().batches()) {
            assertThat(b.partitionLeaderEpoch()).isEqualTo(3);
            b.ensureValid();
        }
    }

    @Test
    void shouldRoundTripAcrossManySegmentsWhenSegmentsAreSmall() {
        PartitionLog log = openLog(smallSegments(2048));
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String value = i + "-" + payload(40);
            written.add(value);
            log.appendAsLeader(batch(1000L + i, value), 0);
        }

        assertThat(log.numberOfSegments()).isGreaterThan(5);
        List<String> readBack = new ArrayList<>();
        long offset = 0;
        while (offset < log.logEndOffset()) {
            Records records = log.read(offset, 1000, true).records();
            assertThat(records.sizeInBytes()).isPositive();
            List<Long> got = offsets(records);
            assertThat(got.get(0)).isEqualTo(offset);
            readBack.addAll(values(records));
            offset = got.get(got.size() - 1) + 1;
        }
        assertThat(readBack).isEqualTo(written);
    }

    @Test
    void shouldAnswerNotLeaderOrFollowerWhenTheLogIsDeletedUnderARead() {
        // A replica moved away deletes its log while a consumer's fetch may be reading it (no lock on reads): the
        // reader must get a retriable error, not an unexpected one.
        PartitionLog log = openLog(LogConfig.defaults());
        log.appendAsLeader(batch(10L, "a", "b"), 3);

        log.delete();

        assertThatThrownBy(() -> log.read(0, Integer.MAX_VALUE, false))
                .isInstanceOf(org.apache.kafka.common.errors.NotLeaderOrFollowerException.class);
    }

    @Test
    void shouldReturnWholeBatchWhenFetchOffsetIsInsideIt() {
        PartitionLog log = openLog(LogConfig.defaults());
        log.appendAsLeader(batch(1L, "a", "b"), 0);
        log.appendAsLeader(batch(1L, "c", "d", "e"), 0);

        Records records = log.read(3, Integer.MAX_VALUE, false).records();

        assertThat(batchBaseOffsets(records)).containsExactly(2L);
        assertThat(offsets(records)).containsExactly(2L, 3L, 4L);
    }

    @Test
    void shouldLimitReadToWholeBatchesWithinMaxBytes() {
        PartitionLog log = openLog(LogConfig.defaults());
        for (int i = 0; i < 5; i++) {
            log.appendAsLeader(batch(1L, payload(100)), 0);
        }
        int batchSize = log.read(0, Integer.MAX_VALUE, false).records().batches().iterator().next().sizeInBytes();

        assertThat(batchBaseOffsets(log.read(0, batchSize * 2 + 10, false).records())).containsExactly(0L, 1L);
        assertThat(log.read(0, 10, false).records().sizeInBytes()).isZero();
        assertThat(batchBaseOffsets(log.read(0, 10, true).records())).containsExactly(0L);
    }

    @Test
    void shouldReturnEmptyAtLogEndAndThrowBeyondIt() {
        PartitionLog log = openLog(LogConfig.defaults());
        log.appendAsLeader(batch(1L, "a"), 0);

        LogReadResult atEnd = log.read(1, 1000, true);

        assertThat(atEnd.records().sizeInBytes()).isZero();
        assertThat(atEnd.logEndOffset()).isEqualTo(1);
        assertThat(atEnd.highWatermark()).isEqualTo(1);
        assertThatThrownBy(() -> log.read(2, 1000, true)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThatThrownBy(() -> log.read(-1, 1000, true)).isInstanceOf(OffsetOutOfRangeException.class);
    }

    @Test
    void shouldRollWhenSegmentIsFull() {
        PartitionLog log = openLog(smallSegments(1024));
        for (int i = 0; i < 20; i++) {
            log.appendAsLeader(batch(1L, payload(200)), 0);
        }

        assertThat(log.numberOfSegments()).isGreaterThanOrEqualTo(5);
        assertThat(dir.resolve("orders-0").resolve("00000000000000000000.log")).exists();
        assertThat(dir.resolve("orders-0").resolve("00000000000000000000.index")).exists();
        assertThat(dir.resolve("orders-0").resolve("00000000000000000000.timeindex")).exists();
    }

    @Test
    void shouldRollWhenSegmentIsOlderThanSegmentMs() {
        LogConfig d = LogConfig.defaults();
        LogConfig config = new LogConfig(d.segmentBytes(), 60_000, d.indexIntervalBytes(), d.maxIndexBytes(),
                d.maxMessageBytes(), d.flushIntervalMessages(), d.flushIntervalMs(), false);
        PartitionLog log = openLog(config);
        log.appendAsLeader(batch(1L, "a"), 0);
        time.sleep(59_000);
        log.appendAsLeader(batch(1L, "b"), 0);
        assertThat(log.numberOfSegments()).isEqualTo(1);

        time.sleep(2_000);
        log.appendAsLeader(batch(1L, "c"), 0);

        assertThat(log.numberOfSegments()).isEqualTo(2);
        assertThat(dir.resolve("orders-0").resolve("00000000000000000002.log")).exists();
        assertThat(values(log.read(0, Integer.MAX_VALUE, false).records())).containsExactly("a", "b");
        assertThat(values(log.read(2, Integer.MAX_VALUE, false).records())).containsExactly("c");
    }

    @Test
    void shouldApplyUpdatedConfigToLaterAppends() {
        PartitionLog log = openLog(LogConfig.defaults());
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(batch(1L, payload(200)), 0);
        }
        assertThat(log.numberOfSegments()).isEqualTo(1);

        manager.updateConfig(TP, smallSegments(1024));
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(batch(1L, payload(200)), 0);
        }

        assertThat(log.numberOfSegments()).isGreaterThan(1);
    }

    @Test
    void shouldStampLogAppendTimeWhenConfigured() {
        LogConfig d = LogConfig.defaults();
        PartitionLog log = openLog(new LogConfig(d.segmentBytes(), d.segmentMs(), d.indexIntervalBytes(),
                d.maxIndexBytes(), d.maxMessageBytes(), d.flushIntervalMessages(), d.flushIntervalMs(), true));

        LogAppendInfo info = log.appendAsLeader(batch(5L, "a"), 0);

        assertThat(info.logAppendTime()).isEqualTo(time.milliseconds());
        RecordBatch stored = log.read(0, 1000, true).records().batches().iterator().next();
        assertThat(stored.maxTimestamp()).isEqualTo(time.milliseconds());
        stored.ensureValid();
    }

    @Test
    void shouldUseOffsetIndexToFindPositions() {
        PartitionLog log = openLog(smallSegments(1 << 20));
        for (int i = 0; i < 100; i++) {
            log.appendAsLeader(batch(1L, payload(100)), 0);
        }
        DefaultPartitionLog impl = (DefaultPartitionLog) log;
        OffsetIndex index = segmentIndex(impl);

        assertThat(index.entries()).isGreaterThan(10);
        for (long offset = 0; offset < 100; offset += 7) {
            int position = index.lookup(offset);
            FileRecords.LogOffsetPosition found = segmentOf(impl).records().searchForOffsetFromPosition(offset,
                    position);
            assertThat(found.offset).isEqualTo(offset);
            assertThat(position).isLessThanOrEqualTo(found.position);
        }
        for (long offset = 0; offset < 100; offset += 9) {
            assertThat(offsets(log.read(offset, 1, true).records())).containsExactly(offset);
        }
    }

    private static LogSegment segmentOf(DefaultPartitionLog log) {
        return log.segmentsForTest().first();
    }

    private static OffsetIndex segmentIndex(DefaultPartitionLog log) {
        return segmentOf(log).offsetIndex();
    }

    @Test
    void shouldRemoveDirectoryAndStartEmptyWhenDeletedAndRecreated() {
        PartitionLog log = openLog(LogConfig.defaults());
        log.appendAsLeader(batch(1L, "a", "b"), 0);

        manager.delete(TP);
        PartitionLog recreated = manager.getOrCreate(TP, LogConfig.defaults());

        assertThat(manager.get(TP)).containsSame(recreated);
        assertThat(recreated.logEndOffset()).isZero();
        assertThat(dir.resolve("orders-0")).isDirectory();
        assertThat(dir.toFile().list((d, name) -> name.startsWith("orders-0.") && name.endsWith("-delete")))
                .hasSizeLessThanOrEqualTo(1);
    }

    @Test
    @Timeout(60)
    void shouldNeverExposePartialOrUnpublishedBatchesToConcurrentReaders() throws Exception {
        PartitionLog log = openLog(smallSegments(4096));
        int total = 1000;
        Thread writer = new Thread(() -> {
            for (int i = 0; i < total; i++) {
                log.appendAsLeader(batch(1L, "v" + i), 0);
            }
        });
        writer.start();
        long next = 0;
        while (next < total) {
            LogReadResult result = log.read(next, 512, true);
            for (RecordBatch b : result.records().batches()) {
                b.ensureValid();
                assertThat(b.baseOffset()).isEqualTo(next);
                assertThat(b.lastOffset()).isLessThan(result.highWatermark());
                next = b.nextOffset();
            }
        }
        writer.join(30_000);
        assertThat(next).isEqualTo(total);
    }
}
