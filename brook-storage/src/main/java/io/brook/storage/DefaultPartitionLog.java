package io.brook.storage;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.Records;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.storage.ProducerStateEntry.BatchMetadata;

/**
 * A partition log: segments, offsets, producer state and durability.
 *
 * <pre>
 * &lt;log.dir&gt;/&lt;topic&gt;-&lt;partition&gt;/
 *     00000000000000000000.log        00000000000000000000.index   00000000000000000000.timeindex
 *     00000000000000052311.log        00000000000000052311.index   00000000000000052311.timeindex   (active)
 *     00000000000000052311.snapshot   producer state as of offset 52311 (written at roll and clean close)
 * </pre>
 *
 * <p>Thread-safety (as Kafka's {@code UnifiedLog}): appends, rolls, close and delete hold {@link #lock}. Readers take
 * no lock: they read the volatile {@link #end} once and never look past it, and find segments in the concurrent
 * {@link LogSegments}. The flusher fsyncs under {@link #flushLock} only, so an fsync never stalls appends.
 */
final class DefaultPartitionLog implements PartitionLog {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultPartitionLog.class);
    static final String DELETE_DIR_SUFFIX = "-delete";

    /** The published end of the log: next offset, and where that is in which segment. Replaced, never mutated. */
    private record EndOffset(long offset, long segmentBaseOffset, int position) {
    }

    private final TopicPartition topicPartition;
    private final LogEnvironment env;
    private final Time time;
    private final ReentrantLock lock = new ReentrantLock();
    private final Object flushLock = new Object();
    private final LogSegments segments;
    private final ProducerStateManager producerState;
    private final DurabilityWaiters waiters = new DurabilityWaiters();
    private volatile File dir;
    private volatile LogConfig config;
    private volatile EndOffset end;
    private volatile long logStartOffset;
    /** Every offset below this is fsynced. */
    private volatile long recoveryPoint;
    /**
     * Segments rolled since the last flush. Their records may already be below the recovery point, but their trimmed
     * indexes are not yet durable, and recovery only rebuilds indexes from the recovery point on.
     */
    private final Queue<LogSegment> rolledAwaitingFlush = new ConcurrentLinkedQueue<>();
    /** Set when a segment file was created since the last directory fsync. */
    private volatile boolean directoryDirty = true;
    private volatile long lastFlushMs;
    private volatile int latestEpoch = RecordBatch.NO_PARTITION_LEADER_EPOCH;
    /** Set once an fsync failed: the log takes no more appends (Kafka takes the whole log dir offline). */
    private volatile KafkaStorageException failure;
    private volatile boolean closed;

    private DefaultPartitionLog(File dir, TopicPartition topicPartition, LogConfig config, LogEnvironment env,
            LogLoader.Loaded loaded) {
        this.dir = dir;
        this.topicPartition = topicPartition;
        this.config = config;
        this.env = env;
        this.time = env.time();
        this.segments = loaded.segments();
        this.producerState = loaded.producerState();
        LogSegment active = segments.last();
        this.end = new EndOffset(loaded.logEndOffset(), active.baseOffset(), active.size());
        this.logStartOffset = segments.first().baseOffset();
        this.recoveryPoint = loaded.recoveryPoint();
        this.lastFlushMs = time.milliseconds();
        active.records().lastBatch().ifPresent(batch -> latestEpoch = batch.partitionLeaderEpoch());
    }

    /** Opens (recovering if needed) or creates the log in {@code dir}. */
    static DefaultPartitionLog open(File dir, TopicPartition topicPartition, LogConfig config, LogEnvironment env,
            long recoveryPoint, boolean hadCleanShutdown) throws IOException {
        boolean created = !dir.exists();
        LogLoader.Loaded loaded = LogLoader.load(dir, topicPartition, config, recoveryPoint, hadCleanShutdown);
        if (created) {
            Utils.flushDir(dir.toPath().getParent());
        }
        return new DefaultPartitionLog(dir, topicPartition, config, env, loaded);
    }

    @Override
    public TopicPartition topicPartition() {
        return topicPartition;
    }

    File dir() {
        return dir;
    }

    LogConfig config() {
        return config;
    }

    void updateConfig(LogConfig newConfig) {
        this.config = newConfig;
    }

    long recoveryPoint() {
        return recoveryPoint;
    }

    // ---------------------------------------------------------------- append

    @Override
    public LogAppendInfo appendAsLeader(MemoryRecords records, int leaderEpoch) {
        LogConfig cfg = config;
        int recordCount = BatchValidator.validate(records, cfg, topicPartition);
        lock.lock();
        try {
            ensureWritable();
            long now = time.milliseconds();
            long firstOffset = end.offset();
            ProducerStateManager.Update producerUpdate = producerState.begin();
            long nextOffset = firstOffset;
            for (MutableRecordBatch batch : records.batches()) {
                long batchFirst = nextOffset;
                long batchLast = batchFirst + (batch.lastOffset() - batch.baseOffset());
                if (batch.hasProducerId()) {
                    Optional<BatchMetadata> duplicate = producerState.findDuplicate(batch);
                    if (duplicate.isPresent()) {
                        return new LogAppendInfo(duplicate.get().firstOffset(), duplicate.get().lastOffset(),
                                cfg.logAppendTime() ? duplicate.get().timestamp() : RecordBatch.NO_TIMESTAMP,
                                logStartOffset, true);
                    }
                    producerUpdate.append(batch, batchFirst, batchLast);
                }
                nextOffset = batchLast + 1;
            }
            long lastOffset = nextOffset - 1;
            long batchBase = firstOffset;
            for (MutableRecordBatch batch : records.batches()) {
                // Offsets and leader epoch sit outside the CRC, so rewriting them in place keeps the batch valid.
                long delta = batch.lastOffset() - batch.baseOffset();
                batch.setLastOffset(batchBase + delta);
                batchBase += delta + 1;
                batch.setPartitionLeaderEpoch(leaderEpoch);
                if (cfg.logAppendTime()) {
                    batch.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, now);
                }
            }
            LogSegment segment = maybeRoll(records.sizeInBytes(), lastOffset, now, cfg);
            segment.append(lastOffset, records, now);
            producerUpdate.commit();
            latestEpoch = leaderEpoch;
            end = new EndOffset(lastOffset + 1, segment.baseOffset(), segment.size());
            if (lastOffset + 1 - recoveryPoint >= cfg.flushIntervalMessages()) {
                env.flusher().requestFlush(this);
            }
            if (LOG.isTraceEnabled()) {
                LOG.trace("Appended {} records to {} at offsets {}..{}", recordCount, topicPartition, firstOffset,
                        lastOffset);
            }
            return new LogAppendInfo(firstOffset, lastOffset, cfg.logAppendTime() ? now : RecordBatch.NO_TIMESTAMP,
                    logStartOffset, false);
        } catch (IOException e) {
            throw storageFailure("append to", e);
        } finally {
            lock.unlock();
        }
    }

    private void ensureWritable() {
        if (failure != null) {
            throw failure;
        }
        if (closed) {
            throw new KafkaStorageException("Log for " + topicPartition + " is closed");
        }
    }

    private KafkaStorageException storageFailure(String action, IOException e) {
        KafkaStorageException failed = new KafkaStorageException("Failed to " + action + " log of " + topicPartition
                + " in " + dir, e);
        failure = failed;
        LOG.error("Storage failure on {}: log is now offline", topicPartition, e);
        return failed;
    }

    /** Returns the segment to append to, rolling first when size, age or index space require it. */
    private LogSegment maybeRoll(int bytes, long lastOffset, long now, LogConfig cfg) throws IOException {
        LogSegment active = segments.last();
        if (active.size() == 0) {
            return active;
        }
        boolean full = active.size() > cfg.segmentBytes() - bytes;
        boolean old = now - active.rollingBaseTimeMs() > cfg.segmentMs();
        boolean offsetsOverflow = lastOffset - active.baseOffset() > Integer.MAX_VALUE;
        if (full || old || active.indexesFull() || offsetsOverflow) {
            return roll(cfg);
        }
        return active;
    }

    private LogSegment roll(LogConfig cfg) throws IOException {
        long newBase = end.offset();
        LogSegment previous = segments.last();
        previous.makeInactive();
        producerState.writeSnapshot(dir, newBase);
        LogSegment segment = LogSegment.create(dir, newBase, cfg);
        segments.add(segment);
        directoryDirty = true;
        rolledAwaitingFlush.add(previous);
        LOG.debug("Rolled {} to a new segment at {}", topicPartition, newBase);
        // the previous segment is complete: have it fsynced soon, as Kafka flushes a rolled segment asynchronously
        env.flusher().requestFlush(this);
        return segment;
    }

    // ---------------------------------------------------------------- read

    @Override
    public LogReadResult read(long fetchOffset, int maxBytes, boolean minOneMessage) {
        EndOffset endNow = end;
        long startOffset = logStartOffset;
        if (fetchOffset < startOffset || fetchOffset > endNow.offset()) {
            throw new OffsetOutOfRangeException("Received request for offset " + fetchOffset + " for partition "
                    + topicPartition + ", but we only have log segments in the range " + startOffset + " to "
                    + endNow.offset() + ".");
        }
        Records records = MemoryRecords.EMPTY;
        if (fetchOffset < endNow.offset()) {
            LogSegment segment = segments.floor(fetchOffset);
            while (segment != null && segment.baseOffset() <= endNow.segmentBaseOffset()) {
                int maxPosition = segment.baseOffset() == endNow.segmentBaseOffset()
                        ? endNow.position()
                        : segment.size();
                Records found = segment.read(fetchOffset, maxBytes, maxPosition, minOneMessage);
                if (found != null) {
                    records = found;
                    break;
                }
                segment = segments.higher(segment.baseOffset());
            }
        }
        return new LogReadResult(records, endNow.offset(), endNow.offset(), startOffset, endNow.offset());
    }

    @Override
    public long logStartOffset() {
        return logStartOffset;
    }

    @Override
    public long logEndOffset() {
        return end.offset();
    }

    @Override
    public long highWatermark() {
        return end.offset();
    }

    // ---------------------------------------------------------------- list offsets

    @Override
    public Optional<TimestampAndOffset> offsetForTimestamp(long timestamp) {
        if (timestamp == -2L) {
            long start = logStartOffset;
            return Optional.of(new TimestampAndOffset(RecordBatch.NO_TIMESTAMP, start, epochOfFirstBatch()));
        }
        if (timestamp == -1L) {
            return Optional.of(new TimestampAndOffset(RecordBatch.NO_TIMESTAMP, end.offset(), latestEpoch));
        }
        if (timestamp == -3L) {
            return maxTimestampOffset();
        }
        long startOffset = logStartOffset;
        for (LogSegment segment : segments.all()) {
            if (segment.maxTimestampSoFar() >= timestamp) {
                return segment.findOffsetByTimestamp(timestamp, startOffset).map(DefaultPartitionLog::toResult);
            }
        }
        return Optional.empty();
    }

    private int epochOfFirstBatch() {
        LogSegment first = segments.first();
        for (FileChannelRecordBatch batch : first.records().batches()) {
            return batch.partitionLeaderEpoch();
        }
        return latestEpoch;
    }

    /**
     * ListOffsets MAX_TIMESTAMP as Kafka answers it: the segment with the largest timestamp, the first batch there
     * reaching it, and within that batch the offset of the record carrying it.
     */
    private Optional<TimestampAndOffset> maxTimestampOffset() {
        LogSegment best = null;
        for (LogSegment segment : segments.all()) {
            if (best == null || segment.maxTimestampSoFar() > best.maxTimestampSoFar()) {
                best = segment;
            }
        }
        if (best == null || best.maxTimestampSoFar() == RecordBatch.NO_TIMESTAMP) {
            return Optional.empty();
        }
        long maxTimestamp = best.maxTimestampSoFar();
        int position = best.offsetIndex().lookup(best.offsetOfMaxTimestampSoFar());
        for (FileChannelRecordBatch batch : best.records().batchesFrom(position)) {
            if (batch.maxTimestamp() == maxTimestamp) {
                int epoch = batch.partitionLeaderEpoch();
                return batch.offsetOfMaxTimestamp(Integer.MAX_VALUE)
                        .map(offset -> new TimestampAndOffset(maxTimestamp, offset, epoch));
            }
        }
        return Optional.empty();
    }

    private static TimestampAndOffset toResult(FileRecords.TimestampAndOffset found) {
        return new TimestampAndOffset(found.timestamp, found.offset,
                found.leaderEpoch.orElse(RecordBatch.NO_PARTITION_LEADER_EPOCH));
    }

    // ---------------------------------------------------------------- durability

    /**
     * {@inheritDoc}
     *
     * <p>Never blocks. The future is usually completed on the flusher thread, so dependent actions that do real work
     * should move to their own executor ({@code thenRunAsync}).
     */
    @Override
    public CompletableFuture<Void> awaitDurable(long offset) {
        if (offset <= recoveryPoint) {
            return CompletableFuture.completedFuture(null);
        }
        KafkaStorageException failed = failure;
        if (failed != null || closed) {
            return CompletableFuture.failedFuture(
                    failed != null ? failed : new KafkaStorageException("Log for " + topicPartition + " is closed"));
        }
        CompletableFuture<Void> future = waiters.add(offset);
        // the flusher may have advanced the recovery point between the check above and the registration
        waiters.completeUpTo(recoveryPoint);
        env.flusher().requestFlush(this);
        return future;
    }

    /** True when unflushed data is older than {@code flush.ms}. */
    boolean flushDue(long now) {
        long interval = config.flushIntervalMs();
        return interval != Long.MAX_VALUE && end.offset() > recoveryPoint && now - lastFlushMs >= interval
                && failure == null && !closed;
    }

    /**
     * fsyncs every segment holding unflushed data, then advances the recovery point and completes the waiters it
     * covers. Called by the flusher and by close. Returns true when an fsync happened.
     */
    boolean flush() {
        boolean flushed = false;
        KafkaStorageException failed = null;
        synchronized (flushLock) {
            long target = end.offset();
            if (target > recoveryPoint && failure == null && !closed) {
                try {
                    for (LogSegment rolled = rolledAwaitingFlush.poll(); rolled != null; rolled = rolledAwaitingFlush
                            .poll()) {
                        rolled.flush();
                    }
                    LogSegment active = segments.last();
                    for (LogSegment segment : segments.from(recoveryPoint)) {
                        if (segment == active) {
                            // Only the records must be durable: recovery after a crash rebuilds the indexes of
                            // every segment from the recovery point on, so an index msync here would only add a
                            // second and third disk flush to every group commit.
                            segment.flushRecords();
                        } else {
                            segment.flush();
                        }
                    }
                    if (directoryDirty) {
                        // new segment files must survive a crash too: make their directory entries durable
                        directoryDirty = false;
                        Utils.flushDir(dir.toPath());
                    }
                    recoveryPoint = target;
                    lastFlushMs = time.milliseconds();
                    flushed = true;
                } catch (IOException | RuntimeException e) {
                    failed = closed
                            ? new KafkaStorageException("Log for " + topicPartition + " was closed during fsync", e)
                            : storageFailure("fsync", e instanceof IOException io ? io : new IOException(e));
                }
            }
        }
        // completed outside the flush lock: waiters' callbacks may append, which takes the log lock
        if (failed != null) {
            waiters.failAll(failed);
        } else {
            waiters.completeUpTo(recoveryPoint);
        }
        return flushed;
    }

    // ---------------------------------------------------------------- size

    @Override
    public long sizeInBytes() {
        long size = 0;
        for (LogSegment segment : segments.all()) {
            size += segment.size();
        }
        return size;
    }

    @Override
    public int numberOfSegments() {
        return segments.size();
    }

    // ---------------------------------------------------------------- close and delete

    /** Flushes, snapshots producer state, trims indexes and closes the files. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            flush();
            closed = true;
            try {
                if (failure == null) {
                    producerState.writeSnapshot(dir, end.offset());
                }
                for (LogSegment segment : segments.all()) {
                    segment.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Failed to close log of " + topicPartition, e);
            } finally {
                waiters.failAll(new KafkaStorageException("Log for " + topicPartition + " is closed"));
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the files, renames the directory to {@code <topic>-<partition>.<uuid>-delete} (so a partition recreated
     * under the same name starts empty at once) and deletes it in the background.
     */
    @Override
    public void delete() {
        lock.lock();
        try {
            if (closed && !dir.exists()) {
                return;
            }
            closed = true;
            synchronized (flushLock) {
                for (LogSegment segment : segments.all()) {
                    segment.closeHandlers();
                }
            }
            File renamed = new File(dir.getParentFile(), dir.getName() + "." + UUID.randomUUID().toString()
                    .replace("-", "") + DELETE_DIR_SUFFIX);
            Utils.atomicMoveWithFallback(dir.toPath(), renamed.toPath());
            dir = renamed;
            env.deleter().execute(() -> deleteQuietly(renamed));
        } catch (IOException e) {
            throw new KafkaStorageException("Failed to delete log of " + topicPartition + " in " + dir, e);
        } finally {
            waiters.failAll(new KafkaStorageException("Log for " + topicPartition + " was deleted"));
            lock.unlock();
            env.onDeleted().accept(this);
        }
    }

    static void deleteQuietly(File dir) {
        try {
            Utils.delete(dir);
        } catch (IOException e) {
            LOG.warn("Failed to delete {}", dir, e);
        }
    }

    LogSegments segmentsForTest() {
        return segments;
    }

    boolean isClosed() {
        return closed;
    }

    /** Whether a file of this log's directory exists (tests). */
    boolean hasFile(String name) {
        return Files.exists(dir.toPath().resolve(name));
    }

    @Override
    public String toString() {
        return "DefaultPartitionLog(" + topicPartition + ", end=" + end.offset() + ")";
    }
}
