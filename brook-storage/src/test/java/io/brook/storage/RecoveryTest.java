package io.brook.storage;

import static io.brook.storage.TestRecords.batch;
import static io.brook.storage.TestRecords.offsets;
import static io.brook.storage.TestRecords.payload;
import static io.brook.storage.TestRecords.values;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryTest {

    private static final TopicPartition TP = new TopicPartition("orders", 3);

    @TempDir
    Path dir;

    private DefaultLogManager manager;

    @AfterEach
    void tearDown() {
        if (manager != null) {
            manager.close();
        }
    }

    private Path partitionDir() {
        return dir.resolve("orders-3");
    }

    private PartitionLog open(LogConfig config) {
        manager = DefaultLogManager.open(List.of(dir), config, new ManualTime(), false);
        return manager.getOrCreate(TP, config);
    }

    /** Writes {@code count} one-record batches, closes cleanly, then removes the marker to fake a crash. */
    private void writeAndCrash(LogConfig config, int count, boolean keepRecoveryPoint) throws IOException {
        PartitionLog log = open(config);
        for (int i = 0; i < count; i++) {
            log.appendAsLeader(batch(1000L + i, "v" + i + payload(50)), 0);
        }
        manager.close();
        manager = null;
        Files.delete(dir.resolve(DefaultLogManager.CLEAN_SHUTDOWN_FILE));
        if (!keepRecoveryPoint) {
            Files.delete(dir.resolve(OffsetCheckpointFile.RECOVERY_POINT));
        }
    }

    private static List<Integer> batchPositions(Path logFile) throws IOException {
        List<Integer> positions = new ArrayList<>();
        try (FileRecords records = FileRecords.open(logFile.toFile())) {
            for (FileChannelRecordBatch b : records.batches()) {
                positions.add(b.position());
            }
        }
        return positions;
    }

    private static void flipByte(Path file, long position) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(position);
            int b = raf.read();
            raf.seek(position);
            raf.write(b ^ 0xFF);
        }
    }

    @Test
    void shouldTruncateTornWriteAtEndOfLog() throws IOException {
        writeAndCrash(LogConfig.defaults(), 10, true);
        Path logFile = partitionDir().resolve("00000000000000000000.log");
        try (RandomAccessFile raf = new RandomAccessFile(logFile.toFile(), "rw")) {
            raf.setLength(raf.length() - 7);
        }

        PartitionLog log = open(LogConfig.defaults());

        assertThat(log.logEndOffset()).isEqualTo(9);
        assertThat(offsets(log.read(0, Integer.MAX_VALUE, false).records())).hasSize(9);
        assertThat(log.appendAsLeader(batch(1L, "after"), 0).firstOffset()).isEqualTo(9);
        assertThat(values(log.read(9, 1000, true).records())).containsExactly("after");
    }

    @Test
    void shouldTruncateAtCorruptBatchAndDropLaterSegments() throws IOException {
        LogConfig small = PartitionLogTest.smallSegments(1024);
        writeAndCrash(small, 40, false);
        Path firstLog = partitionDir().resolve("00000000000000000000.log");
        List<Integer> positions = batchPositions(firstLog);
        assertThat(positions.size()).isGreaterThan(3);
        flipByte(firstLog, positions.get(2) + 40L);

        PartitionLog log = open(small);

        assertThat(log.logEndOffset()).isEqualTo(2);
        assertThat(log.numberOfSegments()).isEqualTo(1);
        assertThat(values(log.read(0, Integer.MAX_VALUE, false).records())).hasSize(2);
    }

    @Test
    void shouldNotScanSegmentsWhenShutdownWasClean() throws IOException {
        PartitionLog log = open(LogConfig.defaults());
        for (int i = 0; i < 5; i++) {
            log.appendAsLeader(batch(1L, "v" + i), 0);
        }
        manager.close();
        Path logFile = partitionDir().resolve("00000000000000000000.log");
        flipByte(logFile, batchPositions(logFile).get(1) + 40L);

        log = open(LogConfig.defaults());

        // the marker says the files are whole, so the (undetected) corruption is not truncated away
        assertThat(log.logEndOffset()).isEqualTo(5);
        assertThat(Files.exists(dir.resolve(DefaultLogManager.CLEAN_SHUTDOWN_FILE))).isFalse();
    }

    @Test
    void shouldRebuildMissingIndexes() throws IOException {
        LogConfig config = PartitionLogTest.smallSegments(1 << 20);
        PartitionLog log = open(config);
        for (int i = 0; i < 60; i++) {
            log.appendAsLeader(batch(1000L + i, payload(100)), 0);
        }
        manager.close();
        Files.delete(partitionDir().resolve("00000000000000000000.index"));
        Files.delete(partitionDir().resolve("00000000000000000000.timeindex"));

        log = open(config);

        assertThat(partitionDir().resolve("00000000000000000000.index")).exists();
        DefaultPartitionLog impl = (DefaultPartitionLog) log;
        assertThat(impl.segmentsForTest().first().offsetIndex().entries()).isGreaterThan(5);
        assertThat(impl.segmentsForTest().first().timeIndex().entries()).isGreaterThan(5);
        assertThat(offsets(log.read(33, 1, true).records())).containsExactly(33L);
        assertThat(log.offsetForTimestamp(1040).map(TimestampAndOffset::offset)).contains(40L);
    }

    @Test
    void shouldRebuildCorruptIndex() throws IOException {
        LogConfig config = PartitionLogTest.smallSegments(1 << 20);
        PartitionLog log = open(config);
        for (int i = 0; i < 60; i++) {
            log.appendAsLeader(batch(1000L + i, payload(100)), 0);
        }
        manager.close();
        Path index = partitionDir().resolve("00000000000000000000.index");
        try (RandomAccessFile raf = new RandomAccessFile(index.toFile(), "rw")) {
            raf.seek(8);
            raf.writeInt(0); // second entry's relative offset no longer above the first's
        }

        log = open(config);

        for (long offset = 0; offset < 60; offset += 5) {
            assertThat(offsets(log.read(offset, 1, true).records())).containsExactly(offset);
        }
    }

    @Test
    void shouldRebuildIndexWithPartialEntry() throws IOException {
        PartitionLog log = open(PartitionLogTest.smallSegments(1 << 20));
        for (int i = 0; i < 30; i++) {
            log.appendAsLeader(batch(1000L + i, payload(100)), 0);
        }
        manager.close();
        Path index = partitionDir().resolve("00000000000000000000.index");
        try (RandomAccessFile raf = new RandomAccessFile(index.toFile(), "rw")) {
            raf.setLength(raf.length() + 3);
        }

        log = open(PartitionLogTest.smallSegments(1 << 20));

        assertThat(offsets(log.read(17, 1, true).records())).containsExactly(17L);
        assertThat(log.logEndOffset()).isEqualTo(30);
    }

    @Test
    void shouldKeepFsyncedDataAndWriteCheckpointAndMarkerOnCleanClose() throws IOException {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(batch(1L, "a", "b"), 0);
        log.awaitDurable(2);
        manager.flusher().doWork();
        assertThat(((DefaultPartitionLog) log).recoveryPoint()).isEqualTo(2);

        manager.close();

        assertThat(dir.resolve(DefaultLogManager.CLEAN_SHUTDOWN_FILE)).exists();
        assertThat(Files.readAllLines(dir.resolve(OffsetCheckpointFile.RECOVERY_POINT)))
                .containsExactly("0", "1", "orders 3 2");
        manager = null;
        log = open(LogConfig.defaults());
        assertThat(values(log.read(0, 1000, true).records())).containsExactly("a", "b");
    }

    @Test
    void shouldCreateAndCloseAnUnusedLogWithoutEpochCheckpointOrProducerSnapshotAndReopenItEmpty() throws IOException {
        open(LogConfig.defaults());

        manager.close();

        assertThat(partitionDir().resolve(LeaderEpochCheckpoint.FILE_NAME)).doesNotExist();
        try (var files = Files.list(partitionDir())) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .noneMatch(name -> name.endsWith(ProducerStateManager.SNAPSHOT_SUFFIX));
        }
        manager = null;
        PartitionLog log = open(LogConfig.defaults());
        assertThat(log.logEndOffset()).isZero();
        assertThat(log.latestEpoch()).isEmpty();
        log.appendAsLeader(batch(1L, "a"), 4);
        assertThat(log.latestEpoch()).hasValue(4);
    }

    @Test
    void shouldCreateANewLogsIndexFilesOnlyWhenRecordsArriveAndEmptyAtCloseOtherwise() throws IOException {
        open(LogConfig.defaults());
        Path index = partitionDir().resolve("00000000000000000000.index");
        Path timeIndex = partitionDir().resolve("00000000000000000000.timeindex");
        assertThat(index).as("a new log maps no index").doesNotExist();
        assertThat(timeIndex).doesNotExist();

        manager.close();
        manager = null;

        assertThat(index).exists().isEmptyFile();
        assertThat(timeIndex).exists().isEmptyFile();
        PartitionLog log = open(PartitionLogTest.smallSegments(1 << 20));
        for (int i = 0; i < 60; i++) {
            log.appendAsLeader(batch(1000L + i, payload(100)), 0);
        }
        assertThat(Files.size(index)).as("active and indexed: preallocated").isPositive();
        assertThat(offsets(log.read(33, 1, true).records())).containsExactly(33L);
    }

    @Test
    void shouldRecoverALogWhoseIndexFilesWereNeverCreatedBeforeACrash() throws IOException {
        writeAndCrash(LogConfig.defaults(), 2, false);
        // two small batches stay below index.interval.bytes: the index was never mapped, so a crash leaves no file
        Files.delete(partitionDir().resolve("00000000000000000000.index"));
        Files.delete(partitionDir().resolve("00000000000000000000.timeindex"));

        PartitionLog log = open(LogConfig.defaults());

        assertThat(log.logEndOffset()).isEqualTo(2);
        log.appendAsLeader(batch(3000L, "c"), 0);
        assertThat(log.logEndOffset()).isEqualTo(3);
        assertThat(offsets(log.read(0, 1 << 20, true, FetchIsolation.LOG_END).records())).startsWith(0L, 1L);
        assertThat(offsets(log.read(2, 1 << 20, true, FetchIsolation.LOG_END).records())).containsExactly(2L);
    }

    @Test
    void shouldIgnoreFilesThatAreNotPartitionDirectories() throws IOException {
        Files.writeString(dir.resolve("meta.properties"), "node.id=1\n");
        Files.createDirectories(dir.resolve("__brook_metadata"));
        Files.createDirectories(dir.resolve("orders-3.abc-delete"));

        manager = DefaultLogManager.open(List.of(dir), LogConfig.defaults(), new ManualTime(), false);

        assertThat(manager.all()).isEmpty();
    }
}
