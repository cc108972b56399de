package io.brook.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.Records;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogCleanerTest {

    private static final TopicPartition TP = new TopicPartition("compacted", 0);
    private static final long DELETE_RETENTION_MS = 60_000;

    @TempDir
    Path dir;
    private final ManualTime time = new ManualTime();
    private DefaultLogManager manager;

    private static LogConfig config(int segmentBytes) {
        return LogFixture.smallSegments(segmentBytes)
                .withCompaction(new CompactionConfig(true, 0.0, 0, Long.MAX_VALUE, DELETE_RETENTION_MS));
    }

    private static CleanerConfig cleanerConfig(long dedupeBytes) {
        return new CleanerConfig(true, 1, dedupeBytes, 128 * 1024, 15_000, 60_000);
    }

    private DefaultPartitionLog open(LogConfig config, long dedupeBytes) {
        manager = DefaultLogManager.open(List.of(dir), config, time, false, cleanerConfig(dedupeBytes));
        return (DefaultPartitionLog) manager.getOrCreate(TP, config);
    }

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    private static MemoryRecords keyed(long timestamp, String key, String value) {
        return MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(timestamp,
                key.getBytes(StandardCharsets.UTF_8), value == null ? null : value.getBytes(StandardCharsets.UTF_8)));
    }

    /** Every record of the log as key → value (null for a tombstone), in offset order, with offsets. */
    private static List<String> contents(PartitionLog log) {
        List<String> out = new ArrayList<>();
        for (Record record : LogFixture.fetchAll(log, log.logStartOffset()).records()) {
            String key = StandardCharsets.UTF_8.decode(record.key()).toString();
            String value = record.hasValue() ? StandardCharsets.UTF_8.decode(record.value()).toString() : "null";
            out.add(record.offset() + ":" + key + "=" + value);
        }
        return out;
    }

    /** One batch per segment: each append rolls. */
    private static void appendAll(PartitionLog log, long timestamp, String... keyValues) {
        for (int i = 0; i < keyValues.length; i += 2) {
            log.appendAsLeader(keyed(timestamp, keyValues[i], keyValues[i + 1]), 0);
        }
    }

    @Test
    void shouldKeepLatestValuePerKeyAndOffsetsWhenCleaned() {
        DefaultPartitionLog log = open(config(100), 1024 * 1024);
        appendAll(log, 1000, "a", "1", "b", "1", "a", "2", "c", "1", "b", "2", "a", "3", "d", "1");
        long sizeBefore = log.sizeInBytes();
        manager.updateConfig(TP, config(10_000)); // segments that can now be merged

        assertThat(manager.cleaner().cleanOnce()).isTrue();

        // the active segment (offset 6) is never cleaned
        assertThat(contents(log)).containsExactly("3:c=1", "4:b=2", "5:a=3", "6:d=1");
        assertThat(log.logEndOffset()).isEqualTo(7);
        assertThat(log.sizeInBytes()).isLessThan(sizeBefore);
        assertThat(log.numberOfSegments()).as("small segments merged up to segment.bytes").isEqualTo(2);
        assertThat(manager.cleaner().checkpoints()).containsEntry(TP, 6L);
        assertThat(LogFixture.fetchAll(log, 0).records()).isNotEmpty();
        assertThat(log.read(0, Integer.MAX_VALUE, true).records().batches().iterator().next().baseOffset())
                .isEqualTo(3);
    }

    @Test
    void shouldDropAbortedRecordsWithoutLettingThemShadowCommittedValuesAndKeepMarkers() {
        DefaultPartitionLog log = open(config(100), 1024 * 1024);
        log.appendAsLeader(TransactionalLogTest.txn(7L, (short) 0, 0, "committed"), 0);
        log.appendAsLeader(TransactionalLogTest.marker(7L, (short) 0, 0, true), 0);
        log.appendAsLeader(TransactionalLogTest.txn(7L, (short) 0, 1, "aborted"), 0);
        log.appendAsLeader(TransactionalLogTest.marker(7L, (short) 0, 0, false), 0);
        appendAll(log, 1000, "other", "1", "last", "1");
        manager.updateConfig(TP, config(10_000));

        assertThat(manager.cleaner().cleanOnce()).isTrue();

        List<String> values = new ArrayList<>();
        List<Long> controlOffsets = new ArrayList<>();
        for (org.apache.kafka.common.record.internal.RecordBatch batch : LogFixture.fetchAll(log, 0).batches()) {
            for (Record record : batch) {
                if (batch.isControlBatch()) {
                    controlOffsets.add(record.offset());
                } else {
                    values.add(record.offset() + ":" + StandardCharsets.UTF_8.decode(record.value()));
                }
            }
        }
        assertThat(values).containsExactly("0:committed", "4:1", "5:1");
        assertThat(controlOffsets).containsExactly(1L, 3L);
        assertThat(log.abortedTransactions(0, log.logEndOffset())).containsExactly(new AbortedTxn(7L, 2, 3, 4));
    }

    @Test
    void shouldNotCleanWhenDirtyRatioBelowMinimum() {
        LogConfig config = LogFixture.smallSegments(100)
                .withCompaction(new CompactionConfig(true, 0.99, 0, Long.MAX_VALUE, DELETE_RETENTION_MS));
        DefaultPartitionLog log = open(config, 1024 * 1024);
        appendAll(log, 1000, "a", "1", "a", "2", "a", "3");
        assertThat(manager.cleaner().cleanOnce()).isTrue(); // the first pass: everything is dirty
        appendAll(log, 1000, "b", "1");

        assertThat(manager.cleaner().cleanOnce()).as("1 dirty segment of many clean bytes").isFalse();
    }

    @Test
    void shouldLeaveRecordsYoungerThanMinCompactionLag() {
        LogConfig config = LogFixture.smallSegments(100)
                .withCompaction(new CompactionConfig(true, 0.0, 10_000, Long.MAX_VALUE, DELETE_RETENTION_MS));
        DefaultPartitionLog log = open(config, 1024 * 1024);
        long now = time.milliseconds();
        appendAll(log, now, "a", "1", "a", "2", "a", "3");

        assertThat(manager.cleaner().cleanOnce()).isFalse();
        time.sleep(10_001);
        assertThat(manager.cleaner().cleanOnce()).isTrue();

        assertThat(contents(log)).containsExactly("1:a=2", "2:a=3");
    }

    @Test
    void shouldRemoveTombstoneOnlyAfterDeleteRetentionSinceFirstCleaning() {
        DefaultPartitionLog log = open(config(100), 1024 * 1024);
        appendAll(log, 1000, "a", "1", "b", "1", "a", null, "c", "1");

        assertThat(manager.cleaner().cleanOnce()).isTrue();
        assertThat(contents(log)).containsExactly("1:b=1", "2:a=null", "3:c=1");

        time.sleep(DELETE_RETENTION_MS - 1);
        manager.cleaner().cleanOnce();
        assertThat(contents(log)).contains("2:a=null");

        time.sleep(1);
        assertThat(manager.cleaner().cleanOnce()).as("the due delete horizon makes the log eligible").isTrue();
        assertThat(contents(log)).containsExactly("1:b=1", "3:c=1");
    }

    @Test
    void shouldCleanWhatFitsWhenKeyMapIsTooSmallForDirtyLog() {
        // 5 slots: 4 keys per pass
        DefaultPartitionLog log = open(config(100), KeyOffsetMap.SLOT_BYTES * 5);
        appendAll(log, 1000, "a", "1", "b", "1", "c", "1", "d", "1", "e", "1", "f", "1", "a", "2", "b", "2", "z",
                "0");

        assertThat(manager.cleaner().cleanOnce()).isTrue();
        assertThat(manager.cleaner().checkpoints()).containsEntry(TP, 4L);
        while (manager.cleaner().cleanOnce()) {
            // later passes take the rest
        }

        assertThat(contents(log)).containsExactly("2:c=1", "3:d=1", "4:e=1", "5:f=1", "6:a=2", "7:b=2", "8:z=0");
    }

    @Test
    void shouldKeepLastBatchOfEachProducerEvenWhenItsRecordsAreSuperseded() {
        DefaultPartitionLog log = open(config(100), 1024 * 1024);
        log.appendAsLeader(MemoryRecords.withIdempotentRecords(Compression.NONE, 7L, (short) 0, 0,
                new SimpleRecord(1000, "a".getBytes(StandardCharsets.UTF_8), "p".getBytes(StandardCharsets.UTF_8))),
                0);
        appendAll(log, 1000, "a", "1", "b", "1");

        manager.cleaner().cleanOnce();

        List<RecordBatch> batches = new ArrayList<>();
        LogFixture.fetchAll(log, 0).batches().forEach(batches::add);
        assertThat(batches.get(0).producerId()).isEqualTo(7L);
        assertThat(batches.get(0).baseSequence()).isZero();
        assertThat(batches.get(0).lastOffset()).isZero();
        assertThat(contents(log)).containsExactly("1:a=1", "2:b=1");
    }

    @Test
    void shouldRejectRecordWithoutKeyWhenTopicIsCompacted() {
        DefaultPartitionLog log = open(config(100), 1024 * 1024);

        assertThat(log.appendAsLeader(TestRecords.batch(1000, "keyed"), 0).firstOffset()).isZero();
        byte[] value = "v".getBytes(StandardCharsets.UTF_8);
        MemoryRecords partlyKeyless = MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord(1000, "k".getBytes(StandardCharsets.UTF_8), value),
                new SimpleRecord(1000, null, value),
                new SimpleRecord(1000, "k".getBytes(StandardCharsets.UTF_8), value),
                new SimpleRecord(1000, null, value));

        assertThatThrownBy(() -> log.appendAsLeader(partlyKeyless, 0)).isInstanceOf(InvalidRecordException.class)
                .isInstanceOfSatisfying(RecordsRejectedException.class, e -> assertThat(e.rejectedRecords())
                        .containsExactly(
                                new RejectedRecord(1, "Compacted topic cannot accept message without key in topic "
                                        + "partition compacted-0."),
                                new RejectedRecord(3, "Compacted topic cannot accept message without key in topic "
                                        + "partition compacted-0.")));
        assertThat(log.logEndOffset()).isEqualTo(1);
    }

    @Test
    void shouldKeepOldSegmentReadableForReaderThatFoundItBeforeSwap() throws IOException {
        DefaultPartitionLog log = open(config(100), 1024 * 1024);
        appendAll(log, 1000, "a", "1", "a", "2", "a", "3");
        Records inFlight = log.read(0, Integer.MAX_VALUE, true).records();

        assertThat(manager.cleaner().cleanOnce()).isTrue();

        ByteBuffer copy = ByteBuffer.allocate(inFlight.sizeInBytes());
        ((FileRecords) inFlight).readInto(copy, 0);
        assertThat(MemoryRecords.readableRecords(copy).records().iterator().next().offset()).isZero();
        assertThat(deletedFiles()).isNotEmpty();
        time.sleep(60_000);
        manager.cleaner().cleanOnce();
        assertThat(deletedFiles()).as("removed after log.segment.delete.delay.ms").isEmpty();
    }

    @Test
    void shouldFinishInterruptedSwapAtLoad() throws IOException {
        DefaultPartitionLog log = open(config(100), 1024 * 1024);
        appendAll(log, 1000, "a", "1", "a", "2", "b", "1");
        manager.close();
        manager = null;
        Path partition = dir.resolve("compacted-0");
        // crash after the commit point: the cleaned group [0, 1] is a .swap holding only offset 1; segment 0 was
        // already renamed to .deleted, segment 1 not yet
        Files.copy(partition.resolve(LogSegment.fileName(1, ".log")),
                partition.resolve(LogSegment.fileName(0, ".log") + CleanedSegmentFiles.SWAP_SUFFIX));
        Files.move(partition.resolve(LogSegment.fileName(0, ".log")),
                partition.resolve(LogSegment.fileName(0, ".log") + RetiredSegments.DELETED_SUFFIX));
        Files.writeString(partition.resolve(LogSegment.fileName(2, ".log") + CleanedSegmentFiles.CLEANED_SUFFIX),
                "an unfinished cleaning");

        log = open(config(100), 1024 * 1024);

        assertThat(contents(log)).containsExactly("1:a=2", "2:b=1");
        assertThat(log.logEndOffset()).isEqualTo(3);
        try (Stream<Path> files = Files.list(partition)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .noneMatch(name -> name.endsWith(".swap") || name.endsWith(".deleted")
                            || name.endsWith(".cleaned"))
                    .doesNotContain(LogSegment.fileName(1, ".log"));
        }
    }

    @Test
    void shouldCleanFromCheckpointAfterRestart() {
        DefaultPartitionLog log = open(config(100), 1024 * 1024);
        appendAll(log, 1000, "a", "1", "a", "2", "b", "1");
        manager.cleaner().cleanOnce();
        manager.close();

        manager = DefaultLogManager.open(List.of(dir), config(100), time, false, cleanerConfig(1024 * 1024));
        log = (DefaultPartitionLog) manager.getOrCreate(TP, config(100));

        assertThat(manager.cleaner().checkpoints()).containsEntry(TP, 2L);
        Map<String, String> latest = new LinkedHashMap<>();
        for (String entry : contents(log)) {
            String[] kv = entry.substring(entry.indexOf(':') + 1).split("=");
            latest.put(kv[0], kv[1]);
        }
        assertThat(latest).containsEntry("a", "2").containsEntry("b", "1");
    }

    @Test
    void shouldReplicateCompactedLogWithItsOffsetGapsToFollower() {
        DefaultPartitionLog leader = open(config(100), 1024 * 1024);
        appendAll(leader, 1000, "a", "1", "b", "1", "a", "2", "b", "2", "c", "1");
        manager.cleaner().cleanOnce();
        TopicPartition followerTp = new TopicPartition("follower", 0);
        DefaultPartitionLog follower = (DefaultPartitionLog) manager.getOrCreate(followerTp, config(100));

        follower.appendAsFollower(LogFixture.fetchAll(leader, 0));

        assertThat(contents(follower)).isEqualTo(contents(leader)).containsExactly("2:a=2", "3:b=2", "4:c=1");
        assertThat(follower.logEndOffset()).isEqualTo(leader.logEndOffset());
    }

    private List<String> deletedFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("compacted-0"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".deleted")).toList();
        }
    }
}
