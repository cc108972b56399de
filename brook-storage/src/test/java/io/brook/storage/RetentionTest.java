package io.brook.storage;

import static io.brook.storage.TestRecords.batch;
import static io.brook.storage.TestRecords.idempotent;
import static io.brook.storage.TestRecords.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Time and size retention, the log start offset it moves, and how that survives restarts (manual clock). */
class RetentionTest {

    private static final TopicPartition TP = new TopicPartition("events", 0);
    private static final long HOUR = 3_600_000L;
    /** Segments of about four 150-byte batches. */
    private static final LogConfig SMALL = LogFixture.smallSegments(700);

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

    /** Appends {@code count} one-record batches stamped with the current (manual) time. */
    private void append(PartitionLog log, int count) {
        for (int i = 0; i < count; i++) {
            log.appendAsLeader(batch(fixture.time.milliseconds(), payload(80)), 0);
        }
    }

    private int runRetention() {
        return fixture.manager().retention().runOnce();
    }

    @Test
    void shouldDeleteSegmentsWhoseNewestRecordIsOlderThanRetentionMs() {
        DefaultPartitionLog log = open(SMALL.withRetention(HOUR, -1, true));
        append(log, 20);
        int oldSegments = log.numberOfSegments();
        fixture.time.sleep(2 * HOUR);
        append(log, 20);
        assertThat(log.numberOfSegments()).isGreaterThan(oldSegments + 1);
        long firstNewSegment = log.segmentsForTest().all().stream()
                .filter(segment -> segment.largestTimestamp() == fixture.time.milliseconds())
                .findFirst().orElseThrow().baseOffset();

        int deleted = runRetention();

        // the segment holding the last old batch also holds new ones, so it stays
        assertThat(deleted).isPositive();
        assertThat(log.logStartOffset()).isEqualTo(log.firstSegmentBaseOffset()).isLessThanOrEqualTo(20);
        assertThat(log.firstSegmentBaseOffset()).isLessThanOrEqualTo(firstNewSegment);
        assertThat(log.offsetForTimestamp(-2L)).get().extracting(TimestampAndOffset::offset)
                .isEqualTo(log.logStartOffset());
        assertThatThrownBy(() -> log.read(0, 1000, true)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(log.read(log.logStartOffset(), Integer.MAX_VALUE, true).records().sizeInBytes()).isPositive();
        assertThat(log.logEndOffset()).isEqualTo(40);
    }

    @Test
    void shouldKeepEverythingWhenRetentionMsIsMinusOne() {
        DefaultPartitionLog log = open(SMALL.withRetention(-1, -1, true));
        append(log, 20);
        fixture.time.sleep(1000 * HOUR);
        append(log, 1);

        assertThat(runRetention()).isZero();
        assertThat(log.logStartOffset()).isZero();
    }

    @Test
    void shouldApplyNoTimeOrSizeRetentionWhenCleanupPolicyLacksDelete() {
        DefaultPartitionLog log = open(SMALL.withRetention(HOUR, 100, false));
        append(log, 20);
        fixture.time.sleep(2 * HOUR);
        append(log, 1);

        assertThat(runRetention()).isZero();
        assertThat(log.logStartOffset()).isZero();
    }

    @Test
    void shouldDeleteOldestSegmentsWhileTheLogStaysAtLeastRetentionBytes() {
        DefaultPartitionLog log = open(SMALL.withRetention(-1, 2000, true));
        append(log, 40);
        long sizeBefore = log.sizeInBytes();
        assertThat(sizeBefore).isGreaterThan(4000);

        assertThat(runRetention()).isPositive();

        // as Kafka: whole segments, so the log keeps at least retention.bytes but less than one more segment
        long firstSegmentSize = log.segmentsForTest().first().size();
        assertThat(log.sizeInBytes()).isGreaterThanOrEqualTo(2000);
        assertThat(log.sizeInBytes() - firstSegmentSize).isLessThan(2000);
        assertThat(log.logStartOffset()).isEqualTo(log.firstSegmentBaseOffset()).isPositive();
    }

    @Test
    void shouldRollThenDeleteTheActiveSegmentWhenEverythingExpired() {
        DefaultPartitionLog log = open(SMALL.withRetention(HOUR, -1, true));
        append(log, 10);
        fixture.time.sleep(2 * HOUR);

        runRetention();

        assertThat(log.numberOfSegments()).isEqualTo(1);
        assertThat(log.logStartOffset()).isEqualTo(10);
        assertThat(log.logEndOffset()).isEqualTo(10);
        assertThat(log.sizeInBytes()).isZero();
        append(log, 1);
        assertThat(log.read(10, 1000, true).records().sizeInBytes()).isPositive();
        // an empty active segment is never deleted
        fixture.time.sleep(2 * HOUR);
        log.truncateTo(10);
        assertThat(runRetention()).isZero();
    }

    @Test
    void shouldNeverDeleteRecordsAtOrAboveTheHighWatermark() {
        DefaultPartitionLog log = open(SMALL.withRetention(HOUR, -1, true));
        log.setHighWatermarkMode(HighWatermarkMode.REPLICATED);
        append(log, 20);
        log.updateHighWatermark(9);
        fixture.time.sleep(2 * HOUR);

        runRetention();

        assertThat(log.logStartOffset()).isLessThanOrEqualTo(9).isPositive();
        for (LogSegment segment : log.segmentsForTest().all()) {
            assertThat(segment.readNextOffset()).isGreaterThan(9);
        }
    }

    @Test
    void shouldDeleteSegmentsBelowALogStartOffsetMovedByDeleteRecords() {
        DefaultPartitionLog log = open(SMALL);
        append(log, 20);
        int before = log.numberOfSegments();

        assertThat(log.maybeIncrementLogStartOffset(13)).isTrue();
        runRetention();

        assertThat(log.numberOfSegments()).isLessThan(before);
        assertThat(log.firstSegmentBaseOffset()).isLessThanOrEqualTo(13);
        assertThat(log.logStartOffset()).isEqualTo(13);
        assertThat(TestRecords.offsets(log.read(13, 1000, true).records())).startsWith(13L);
        assertThatThrownBy(() -> log.read(12, 1000, true)).isInstanceOf(OffsetOutOfRangeException.class);
    }

    @Test
    void shouldRefuseALogStartOffsetAboveTheHighWatermark() {
        DefaultPartitionLog log = open(SMALL);
        log.setHighWatermarkMode(HighWatermarkMode.REPLICATED);
        append(log, 5);
        log.updateHighWatermark(3);

        assertThatThrownBy(() -> log.maybeIncrementLogStartOffset(4)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(log.maybeIncrementLogStartOffset(3)).isTrue();
        assertThat(log.maybeIncrementLogStartOffset(2)).isFalse();
    }

    @Test
    void shouldKeepTheLogStartOffsetAcrossACrashOnceARetentionPassCheckpointedIt() {
        DefaultPartitionLog log = open(SMALL);
        append(log, 20);
        log.maybeIncrementLogStartOffset(13);
        fixture.flushAll();
        runRetention();

        fixture.crashAndReopen();

        PartitionLog reopened = fixture.log(TP);
        assertThat(reopened.logStartOffset()).isEqualTo(13);
        assertThat(reopened.offsetForTimestamp(-2L)).get().extracting(TimestampAndOffset::offset).isEqualTo(13L);
    }

    @Test
    void shouldKeepTheLogStartOffsetAcrossACleanRestart() {
        DefaultPartitionLog log = open(SMALL);
        append(log, 20);
        log.maybeIncrementLogStartOffset(6);

        fixture.reopen();

        assertThat(fixture.log(TP).logStartOffset()).isEqualTo(6);
    }

    @Test
    void shouldRenameDeletedSegmentsAtOnceAndKeepTheirFilesForTheDeleteDelay() throws Exception {
        DefaultPartitionLog log = open(SMALL.withRetention(HOUR, -1, true));
        append(log, 20);
        fixture.time.sleep(2 * HOUR);
        append(log, 1);

        runRetention();

        // renamed under the lock: only kept segments still look like segments; the rest waits for the 60 s default
        long start = log.logStartOffset();
        assertThat(segmentFiles(".log")).allSatisfy(base -> assertThat(base).isGreaterThanOrEqualTo(start));
        assertThat(segmentFiles(".log.deleted")).isNotEmpty().allSatisfy(base -> assertThat(base).isLessThan(start));
        assertThat(segmentFiles(".index.deleted")).hasSameSizeAs(segmentFiles(".log.deleted"));
    }

    @Test
    void shouldUnlinkDeletedSegmentsAtOnceWithoutADeleteDelay() throws Exception {
        DefaultPartitionLog log = open(SMALL.withRetention(HOUR, -1, true).withFileDeleteDelayMs(0));
        append(log, 20);
        fixture.time.sleep(2 * HOUR);
        append(log, 1);
        runRetention();

        fixture.close(); // waits for the background deleter
        fixture = null;

        assertThat(segmentFiles(".deleted")).isEmpty();
        assertThat(segmentFiles(".log")).hasSize(1);
    }

    @Test
    void shouldNotBringDeletedSegmentsBackAfterACrashBeforeTheirUnlink() throws Exception {
        DefaultPartitionLog log = open(SMALL.withRetention(HOUR, -1, true));
        append(log, 20);
        fixture.time.sleep(2 * HOUR);
        append(log, 1);
        fixture.flushAll();
        runRetention();
        long start = log.logStartOffset();
        assertThat(segmentFiles(".log.deleted")).isNotEmpty(); // waiting for the 60 s default delay

        fixture.crashAndReopen();

        PartitionLog reopened = fixture.log(TP);
        assertThat(reopened.logStartOffset()).isEqualTo(start);
        assertThat(reopened.logEndOffset()).isEqualTo(21);
        assertThat(segmentFiles(".deleted")).isEmpty();
        assertThatThrownBy(() -> reopened.read(0, 1000, true)).isInstanceOf(OffsetOutOfRangeException.class);
    }

    /** Base offsets of the partition's files with this suffix. */
    private List<Long> segmentFiles(String suffix) throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("events-0"))) {
            return files.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(suffix))
                    .map(name -> Long.parseLong(name.substring(0, 20))).toList();
        }
    }

    @Test
    void shouldForgetProducersWhoseLastBatchIsBelowTheNewLogStartOffset() {
        DefaultPartitionLog log = open(SMALL);
        log.appendAsLeader(idempotent(7L, (short) 0, 0, "a"), 0);
        append(log, 10);

        log.maybeIncrementLogStartOffset(5);

        // unknown again: a sequence that would be out of order for the remembered producer is accepted
        assertThat(log.appendAsLeader(idempotent(7L, (short) 0, 42, "b"), 0).firstOffset()).isEqualTo(11);
        DefaultPartitionLog other = fixture.log(new TopicPartition("events", 1));
        other.appendAsLeader(idempotent(7L, (short) 0, 0, "a"), 0);
        assertThatThrownBy(() -> other.appendAsLeader(idempotent(7L, (short) 0, 42, "b"), 0))
                .isInstanceOf(OutOfOrderSequenceException.class);
    }
}
