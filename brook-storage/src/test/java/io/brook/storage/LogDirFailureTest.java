package io.brook.storage;

import static io.brook.storage.TestRecords.batch;
import static io.brook.storage.TestRecords.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log dir failing with an I/O error (injected by closing a segment's file channel under the log, as a failed device
 * would make every write fail): the whole dir goes offline, the other dir keeps working, nothing acknowledged is lost.
 * No background threads: the failure handler runs on the failing thread.
 */
class LogDirFailureTest {

    private static final TopicPartition A = new TopicPartition("a", 0);
    private static final TopicPartition B = new TopicPartition("b", 0);
    private static final TopicPartition C = new TopicPartition("c", 0);

    @TempDir
    Path root;

    private Path dir0;
    private Path dir1;
    private final ManualTime time = new ManualTime();
    private final LogConfig config = LogConfig.defaults();
    private DefaultLogManager manager;
    private final List<String> reported = new ArrayList<>();

    @BeforeEach
    void setUp() {
        dir0 = root.resolve("d0");
        dir1 = root.resolve("d1");
        open();
    }

    @AfterEach
    void tearDown() {
        if (manager != null) {
            manager.close();
        }
    }

    private void open() {
        manager = DefaultLogManager.open(List.of(dir0, dir1), config, time, false, CleanerConfig.defaults());
        manager.addLogDirFailureListener((dir, partitions, all) -> reported.add(dir + " " + partitions + " " + all));
    }

    /** Creates A (dir0), B (dir1), C (dir0): new logs go to the dir holding the fewest. */
    private void createLogs() {
        for (TopicPartition tp : List.of(A, B, C)) {
            manager.getOrCreate(tp, config).appendAsLeader(batch(1000L, tp.topic() + "-first"), 0);
        }
        assertThat(manager.logDirOf(A)).contains(dir0.toAbsolutePath().toString());
        assertThat(manager.logDirOf(B)).contains(dir1.toAbsolutePath().toString());
        assertThat(manager.logDirOf(C)).contains(dir0.toAbsolutePath().toString());
    }

    private DefaultPartitionLog log(TopicPartition tp) {
        return (DefaultPartitionLog) manager.get(tp).orElseThrow();
    }

    private void flushAll() {
        for (PartitionLog log : manager.all()) {
            log.awaitDurable(log.logEndOffset());
        }
        manager.flusher().doWork();
    }

    /** Makes every later write to the log's active segment fail with an IOException (ClosedChannelException). */
    private void breakActiveSegment(TopicPartition tp) throws IOException {
        log(tp).segmentsForTest().last().records().channel().close();
    }

    @Test
    void shouldTakeTheWholeDirOfflineWhenOneLogFailsToAppend() throws IOException {
        createLogs();
        CompletableFuture<Void> pendingInC = log(C).awaitDurable(log(C).logEndOffset());
        breakActiveSegment(A);

        assertThatThrownBy(() -> log(A).appendAsLeader(batch(2000L, "lost"), 0))
                .isInstanceOf(KafkaStorageException.class);

        assertThat(manager.offlineLogDirs()).containsExactly(dir0.toAbsolutePath().toString());
        assertThat(reported).containsExactly(dir0.toAbsolutePath() + " [a-0, c-0] false");
        for (TopicPartition offline : List.of(A, C)) {
            PartitionLog log = log(offline);
            assertThat(log.isOffline()).isTrue();
            assertThatThrownBy(() -> log.appendAsLeader(batch(2000L, "x"), 0))
                    .isInstanceOf(KafkaStorageException.class);
            assertThatThrownBy(() -> log.read(0, 1000, true)).isInstanceOf(KafkaStorageException.class);
            assertThatThrownBy(() -> log.offsetForTimestamp(-1L)).isInstanceOf(KafkaStorageException.class);
        }
        assertThat(pendingInC).isCompletedExceptionally();
        assertThat(log(B).isOffline()).isFalse();
        log(B).appendAsLeader(batch(2000L, "b-second"), 0);
        assertThat(values(log(B).read(0, 10_000, true).records())).containsExactly("b-first", "b-second");
    }

    @Test
    void shouldPlaceNewLogsOnlyInOnlineDirs() throws IOException {
        createLogs();
        breakActiveSegment(A);
        assertThatThrownBy(() -> log(A).appendAsLeader(batch(2000L, "lost"), 0))
                .isInstanceOf(KafkaStorageException.class);

        TopicPartition d = new TopicPartition("d", 0);
        manager.getOrCreate(d, config).appendAsLeader(batch(1000L, "d"), 0);
        assertThat(manager.logDirOf(d)).contains(dir1.toAbsolutePath().toString());
        // an existing log of an offline dir is never re-created elsewhere
        assertThat(manager.getOrCreate(A, config).isOffline()).isTrue();
    }

    @Test
    void shouldTakeTheDirOfflineWhenAnFsyncFails() throws IOException {
        createLogs();
        CompletableFuture<Void> durable = log(A).awaitDurable(log(A).logEndOffset());
        breakActiveSegment(A);

        manager.flusher().doWork();

        assertThat(durable).isCompletedExceptionally();
        assertThat(manager.offlineLogDirs()).containsExactly(dir0.toAbsolutePath().toString());
        assertThat(log(C).isOffline()).isTrue();
        assertThat(log(B).isOffline()).isFalse();
    }

    @Test
    void shouldKeepCheckpointingHealthyDirsAndTakeOfflineADirWhoseCheckpointFails() throws IOException {
        createLogs();
        // a directory where the checkpoint's temporary file goes makes its write fail
        Files.createDirectories(dir0.resolve(OffsetCheckpointFile.RECOVERY_POINT + ".tmp").resolve("blocker"));

        flushAll();
        manager.close();
        manager = null;

        assertThat(reported).containsExactly(dir0.toAbsolutePath() + " [a-0, c-0] false");
        assertThat(Files.readAllLines(dir1.resolve(OffsetCheckpointFile.RECOVERY_POINT))).contains("b 0 1");
        assertThat(dir1.resolve(DefaultLogManager.CLEAN_SHUTDOWN_FILE)).exists();
        assertThat(dir0.resolve(DefaultLogManager.CLEAN_SHUTDOWN_FILE)).doesNotExist();
    }

    @Test
    void shouldRecoverTheAcknowledgedPrefixAfterATornWriteWhenTheDirIsBackAfterRestart() throws IOException {
        createLogs();
        for (int i = 0; i < 5; i++) {
            log(A).appendAsLeader(batch(2000L + i, "a-" + i), 0);
        }
        flushAll();
        long acknowledgedEnd = log(A).logEndOffset();
        breakActiveSegment(A);
        assertThatThrownBy(() -> log(A).appendAsLeader(batch(3000L, "lost"), 0))
                .isInstanceOf(KafkaStorageException.class);
        manager.close();
        // what a write cut short by ENOSPC leaves: the first half of a batch after the acknowledged ones
        Path segment = dir0.resolve("a-0").resolve("00000000000000000000.log");
        ByteBuffer torn = batch(3000L, "torn-" + "y".repeat(200)).buffer();
        torn.limit(torn.limit() / 2);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.APPEND)) {
            channel.write(torn);
        }

        reported.clear();
        open();

        assertThat(manager.offlineLogDirs()).isEmpty();
        PartitionLog a = log(A);
        assertThat(a.logEndOffset()).isEqualTo(acknowledgedEnd);
        assertThat(values(a.read(0, 100_000, true).records())).containsExactly("a-first", "a-0", "a-1", "a-2",
                "a-3", "a-4");
        a.appendAsLeader(batch(4000L, "after-restart"), 0);
        assertThat(values(a.read(acknowledgedEnd, 100_000, true).records())).containsExactly("after-restart");
        assertThat(values(log(C).read(0, 100_000, true).records())).containsExactly("c-first");
    }

    @Test
    void shouldReportAllDirsOfflineWhenTheLastOneFails() throws IOException {
        createLogs();
        breakActiveSegment(A);
        breakActiveSegment(B);
        assertThatThrownBy(() -> log(A).appendAsLeader(batch(2000L, "x"), 0))
                .isInstanceOf(KafkaStorageException.class);
        assertThatThrownBy(() -> log(B).appendAsLeader(batch(2000L, "x"), 0))
                .isInstanceOf(KafkaStorageException.class);

        assertThat(reported).containsExactly(dir0.toAbsolutePath() + " [a-0, c-0] false",
                dir1.toAbsolutePath() + " [b-0] true");
        assertThat(manager.offlineLogDirs()).hasSize(2);
        assertThatThrownBy(() -> manager.getOrCreate(new TopicPartition("d", 0), config))
                .isInstanceOf(KafkaStorageException.class);
    }

    @Test
    void shouldStartWithTheOtherDirsWhenOneCannotBeLoaded() throws IOException {
        createLogs();
        manager.close();
        // a log dir that cannot be listed (a file where the directory was) fails its load
        Path moved = root.resolve("d0-moved");
        Files.move(dir0, moved);
        Files.writeString(dir0, "not a directory");

        reported.clear();
        open();

        assertThat(manager.offlineLogDirs()).containsExactly(dir0.toAbsolutePath().toString());
        assertThat(manager.get(A)).isEmpty();
        assertThat(values(log(B).read(0, 100_000, true).records())).containsExactly("b-first");
        assertThat(Set.copyOf(manager.logDirs())).hasSize(2);
        // A's log may be in the unreadable dir: it is not created again, empty, elsewhere
        assertThatThrownBy(() -> manager.getOrCreate(A, config)).isInstanceOf(KafkaStorageException.class);
    }

    @Test
    void shouldNotWriteAnythingToTheOfflineDirAtCloseWhenAppendsFailed() throws IOException {
        createLogs();
        MemoryRecords records = batch(2000L, "x");
        breakActiveSegment(C);
        assertThatThrownBy(() -> log(C).appendAsLeader(records, 0)).isInstanceOf(KafkaStorageException.class);
        List<String> before = listing(dir0);

        manager.close();
        manager = null;

        assertThat(listing(dir0)).isEqualTo(before);
    }

    @Test
    void shouldLeaveTheOfflineDirAloneInBackgroundTasksWithoutFailingThem() throws IOException {
        createLogs();
        breakActiveSegment(A);
        assertThatThrownBy(() -> log(A).appendAsLeader(batch(2000L, "x"), 0))
                .isInstanceOf(KafkaStorageException.class);
        List<String> before = listing(dir0);
        log(B).appendAsLeader(batch(2000L, "b-second"), 0);
        log(B).awaitDurable(log(B).logEndOffset());

        // flusher (with its periodic checkpoints), retention and cleaner passes
        time.sleep(DefaultLogManager.HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS + 60_000);
        manager.flusher().doWork();
        manager.retention().runOnce();
        manager.cleaner().cleanOnce();

        assertThat(listing(dir0)).isEqualTo(before);
        assertThat(log(B).recoveryPoint()).isEqualTo(log(B).logEndOffset());
        assertThat(Files.readAllLines(dir1.resolve(OffsetCheckpointFile.RECOVERY_POINT))).contains("b 0 2");
    }

    private static List<String> listing(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            return files.map(p -> dir.relativize(p) + ":" + p.toFile().length()).sorted().toList();
        }
    }
}
