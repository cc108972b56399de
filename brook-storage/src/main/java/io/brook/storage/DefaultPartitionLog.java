package io.brook.storage;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InconsistentTopicIdException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
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

import io.brook.storage.LeaderEpochCheckpoint.EpochEntry;
import io.brook.storage.ProducerStateEntry.BatchMetadata;

/**
 * A partition log: segments, offsets, producer state and durability.
 *
 * <pre>
 * &lt;log.dir&gt;/&lt;topic&gt;-&lt;partition&gt;/
 *     00000000000000000000.log        00000000000000000000.index   00000000000000000000.timeindex
 *     00000000000000052311.log        00000000000000052311.index   00000000000000052311.timeindex   (active)
 *     00000000000000052311.snapshot   producer state as of offset 52311 (written at roll and clean close)
 *     leader-epoch-checkpoint         which leader epoch starts where (see LeaderEpochCheckpoint)
 * </pre>
 *
 * <p>Offsets: {@code logStartOffset <= highWatermark <= logEndOffset}; everything below {@link #recoveryPoint} is
 * fsynced. The high watermark follows the log end offset until the replication layer takes it over
 * ({@link HighWatermarkMode}).
 *
 * <p>Thread-safety (as Kafka's {@code UnifiedLog}): appends, rolls, truncations, high-watermark updates, close and
 * delete hold {@link #lock}. Readers take no lock: they read the volatile {@link #end} (and {@link #highWatermark})
 * once and never look past it, and find segments in the concurrent {@link LogSegments}. The flusher fsyncs under
 * {@link #flushLock} only, so an fsync never stalls appends; truncation takes both locks (lock, then flushLock) so a
 * flush never raises the recovery point over removed data. A read racing a truncation may fail with a retriable
 * {@code KafkaStorageException} when its segment is deleted under it, and a read racing the log's deletion with
 * {@code NotLeaderOrFollowerException}.
 */
final class DefaultPartitionLog implements PartitionLog {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultPartitionLog.class);
    static final String DELETE_DIR_SUFFIX = "-delete";

    /** An offset and where it is in which segment (the log end, the high watermark). Replaced, never mutated. */
    private record OffsetPosition(long offset, long segmentBaseOffset, int position) {
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
    private volatile OffsetPosition end;
    /** Reads by consumers stop here. Meaningful in {@link HighWatermarkMode#REPLICATED} mode only. */
    private volatile OffsetPosition highWatermark;
    /**
     * Where the earliest unstable transaction starts (see {@link ProducerStateManager#firstUnstableOffset}), null
     * when there is none; read_committed reads stop here or at the high watermark, whichever is lower.
     */
    private volatile OffsetPosition firstUnstable;
    private volatile HighWatermarkMode highWatermarkMode = HighWatermarkMode.FOLLOWS_LOG_END;
    private final LeaderEpochCache epochCache;
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
    /**
     * Non-zero while this log's own directory, created by this process, may not be durable in its log dir yet: its
     * {@link DirectorySync} ticket.
     */
    private volatile long parentDirectoryTicket;
    private volatile long lastFlushMs;
    /**
     * Set once an I/O error hit this log or another log of its directory: the log serves nothing more until restart
     * (the whole log dir is offline, see {@link LogDirFailures}).
     */
    private volatile KafkaStorageException failure;
    private volatile boolean closed;
    /** The topic this log belongs to ({@code partition.metadata}); null until recorded. */
    private volatile Uuid topicId;

    private DefaultPartitionLog(File dir, TopicPartition topicPartition, LogConfig config, LogEnvironment env,
            LogLoader.Loaded loaded) {
        this.dir = dir;
        this.topicPartition = topicPartition;
        this.config = config;
        this.env = env;
        this.time = env.time();
        this.segments = loaded.segments();
        this.producerState = loaded.producerState();
        this.epochCache = loaded.epochCache();
        LogSegment active = segments.last();
        this.end = new OffsetPosition(loaded.logEndOffset(), active.baseOffset(), active.size());
        this.logStartOffset = loaded.logStartOffset();
        this.recoveryPoint = loaded.recoveryPoint();
        this.highWatermark = positionOf(loaded.highWatermark());
        this.lastFlushMs = time.milliseconds();
        refreshFirstUnstable();
    }

    /** Opens (recovering if needed) or creates the log in {@code dir}. */
    static DefaultPartitionLog open(File dir, TopicPartition topicPartition, LogConfig config, LogEnvironment env,
            LogLoader.Checkpoints checkpoints, boolean hadCleanShutdown) throws IOException {
        boolean created = !dir.exists();
        LogLoader.Loaded loaded = created
                ? LogLoader.create(dir, topicPartition, config)
                : LogLoader.load(dir, topicPartition, config, checkpoints, hadCleanShutdown);
        DefaultPartitionLog log = new DefaultPartitionLog(dir, topicPartition, config, env, loaded);
        // The new directory's entry in the log dir is made durable by the first flush, not here: creating a
        // thousand partitions would otherwise fsync the log dir a thousand times, and an empty log lost in a crash
        // is simply created again from the metadata.
        log.parentDirectoryTicket = created ? env.directorySync().created() : 0;
        log.topicId = created ? null : PartitionMetadataFile.read(dir).orElse(null); // a new dir has no file yet
        return log;
    }

    @Override
    public TopicPartition topicPartition() {
        return topicPartition;
    }

    File dir() {
        return dir;
    }

    @Override
    public Optional<Uuid> topicId() {
        return Optional.ofNullable(topicId);
    }

    @Override
    public void assignTopicId(Uuid id) {
        lock.lock();
        try {
            ensureWritable();
            if (topicId == null) {
                PartitionMetadataFile.write(dir, id);
                topicId = id;
            } else if (!topicId.equals(id)) {
                throw new InconsistentTopicIdException(
                        "Log of " + topicPartition + " in " + dir + " belongs to topic id "
                                + topicId + ", not " + id);
            }
        } catch (IOException e) {
            throw storageFailure("record the topic id of", e);
        } finally {
            lock.unlock();
        }
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

    long firstSegmentBaseOffset() {
        // a full truncation empties the map for a moment; a concurrent checkpoint then sees the new start
        LogSegment first = segments.first();
        return first == null ? logStartOffset : first.baseOffset();
    }

    // ---------------------------------------------------------------- append

    @Override
    public LogAppendInfo appendAsLeader(MemoryRecords produced, int leaderEpoch) {
        return appendAsLeader(produced, leaderEpoch, null);
    }

    @Override
    public LogAppendInfo appendAsLeader(MemoryRecords produced, int leaderEpoch, VerificationGuard guard) {
        LogConfig cfg = config;
        int recordCount = BatchValidator.validate(produced, cfg, topicPartition);
        // outside the lock: decompression and recompression are the expensive part of an append
        MemoryRecords records = RecordValidator.validate(produced, cfg, topicPartition, time.milliseconds());
        lock.lock();
        try {
            ensureWritable();
            long now = time.milliseconds();
            long firstOffset = end.offset();
            ProducerStateManager.Update producerUpdate = guard == null
                    ? producerState.begin()
                    : producerState.begin(guard);
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
            if (leaderEpoch >= 0) {
                // written before the batches: after a crash the loader trims entries the log does not reach
                epochCache.assign(leaderEpoch, firstOffset);
            }
            LogSegment segment = maybeRoll(records.sizeInBytes(), lastOffset, firstOffset, now, cfg);
            segment.append(lastOffset, records, now);
            producerUpdate.commit();
            indexAborted(segment, producerUpdate.completedTxns());
            publishEnd(new OffsetPosition(lastOffset + 1, segment.baseOffset(), segment.size()), cfg);
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

    /**
     * {@inheritDoc}
     *
     * <p>Batches are split into chunks that each fit a segment; each chunk is appended in one write. A trailing
     * partial batch (a fetch response cut at its size limit) is dropped, as Kafka does.
     */
    @Override
    public LogAppendInfo appendAsFollower(MemoryRecords records) {
        LogConfig cfg = config;
        List<MemoryRecords> chunks = BatchValidator.validateReplicated(records, cfg, topicPartition);
        lock.lock();
        try {
            ensureWritable();
            long logEnd = end.offset();
            if (chunks.isEmpty()) {
                return new LogAppendInfo(logEnd, logEnd - 1, RecordBatch.NO_TIMESTAMP, logStartOffset, false);
            }
            long firstOffset = chunks.get(0).batches().iterator().next().baseOffset();
            if (firstOffset < logEnd) {
                throw new UnexpectedAppendOffsetException("Follower append to " + topicPartition
                        + " starts at offset " + firstOffset + " below the log end offset " + logEnd
                        + "; truncate before appending again", firstOffset, logEnd);
            }
            long now = time.milliseconds();
            long lastOffset = logEnd - 1;
            for (MemoryRecords chunk : chunks) {
                long chunkFirst = -1;
                for (MutableRecordBatch batch : chunk.batches()) {
                    if (chunkFirst < 0) {
                        chunkFirst = batch.baseOffset();
                    }
                    if (batch.partitionLeaderEpoch() >= 0) {
                        epochCache.assign(batch.partitionLeaderEpoch(), batch.baseOffset());
                    }
                    lastOffset = batch.lastOffset();
                }
                LogSegment segment = maybeRoll(chunk.sizeInBytes(), lastOffset, chunkFirst, now, cfg);
                segment.append(lastOffset, chunk, now);
                for (MutableRecordBatch batch : chunk.batches()) {
                    // the leader validated sequences; a replica only mirrors its producer state
                    Optional<ProducerStateManager.CompletedTxn> completed = producerState.replay(batch);
                    if (completed.isPresent()) {
                        indexAborted(segment, List.of(completed.get()));
                    }
                }
                publishEnd(new OffsetPosition(lastOffset + 1, segment.baseOffset(), segment.size()), cfg);
            }
            if (LOG.isTraceEnabled()) {
                LOG.trace("Appended replicated offsets {}..{} to {}", firstOffset, lastOffset, topicPartition);
            }
            return new LogAppendInfo(firstOffset, lastOffset, RecordBatch.NO_TIMESTAMP, logStartOffset, false);
        } catch (IOException e) {
            throw storageFailure("append to", e);
        } finally {
            lock.unlock();
        }
    }

    /** Records the aborted ones of {@code completed} in the transaction index of the segment holding their markers. */
    private void indexAborted(LogSegment segment, List<ProducerStateManager.CompletedTxn> completed)
            throws IOException {
        for (ProducerStateManager.CompletedTxn txn : completed) {
            if (txn.aborted()) {
                segment.txnIndex().append(new AbortedTxn(txn.producerId(), txn.firstOffset(), txn.lastOffset(),
                        producerState.lastStableOffsetAfter(txn)));
            }
        }
    }

    /**
     * Recomputes where the first unstable transaction starts after producer state, the high watermark, the log start
     * or the segments changed. Caller holds the lock or owns the log exclusively.
     */
    private void refreshFirstUnstable() {
        producerState.onHighWatermark(highWatermarkPosition(end).offset());
        long first = producerState.firstUnstableOffset();
        if (first < 0) {
            firstUnstable = null;
            return;
        }
        long offset = Math.max(first, logStartOffset);
        OffsetPosition current = firstUnstable;
        // a position stays valid while its segment does; callers that replace segments reset it to null first
        if (current == null || current.offset() != offset) {
            firstUnstable = positionOf(offset);
        }
    }

    /** The last stable offset's position as readers see it: never above the given high watermark. */
    private OffsetPosition lastStablePosition(OffsetPosition hwNow) {
        OffsetPosition unstable = firstUnstable;
        return unstable != null && unstable.offset() < hwNow.offset() ? unstable : hwNow;
    }

    /** Makes appended records visible to readers; caller holds the lock. */
    private void publishEnd(OffsetPosition newEnd, LogConfig cfg) {
        end = newEnd;
        if (highWatermarkMode == HighWatermarkMode.FOLLOWS_LOG_END) {
            highWatermark = newEnd;
        }
        refreshFirstUnstable();
        if (newEnd.offset() - recoveryPoint >= cfg.flushIntervalMessages()) {
            env.flusher().requestFlush(this);
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

    /**
     * The one place where an I/O error on this log's files becomes a {@link KafkaStorageException}: the log goes
     * offline and its manager takes the whole log dir offline (which logs the failure). Any thread, locks held or not.
     */
    KafkaStorageException storageFailure(String action, IOException e) {
        KafkaStorageException failed = new KafkaStorageException("Failed to " + action + " log of " + topicPartition
                + " in " + dir, e);
        if (failure == null) {
            failure = failed;
        }
        LOG.debug("Storage failure on {}", topicPartition, e);
        env.onStorageFailure().accept(this, failed);
        return failed;
    }

    /** True once the log's directory is offline: every operation fails with KAFKA_STORAGE_ERROR. */
    @Override
    public boolean isOffline() {
        return failure != null;
    }

    /**
     * Marks the log offline because its log dir failed (no lock taken: the caller may hold another log's lock). An
     * append in progress finishes; later operations fail. {@link #releaseAfterDirFailure} closes the files.
     */
    void markOffline(KafkaStorageException cause) {
        if (failure == null) {
            failure = cause;
        }
    }

    /**
     * Closes the files of a log whose directory is offline, without flushing or writing anything, and fails the
     * durability waiters. The log is never used again in this process; the next start-up recovers it.
     */
    void releaseAfterDirFailure() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            synchronized (flushLock) {
                for (LogSegment segment : segments.all()) {
                    try {
                        segment.closeHandlers();
                    } catch (IOException | RuntimeException e) {
                        LOG.debug("Failed to release {} of offline {}", segment, topicPartition, e);
                    }
                }
            }
        } finally {
            lock.unlock();
            waiters.failAll(failure != null
                    ? failure
                    : new KafkaStorageException("Log for " + topicPartition + " is offline"));
        }
    }

    private void ensureReadable() {
        KafkaStorageException failed = failure;
        if (failed != null) {
            throw failed;
        }
    }

    /** Returns the segment to append to, rolling first when size, age or index space require it. */
    private LogSegment maybeRoll(int bytes, long lastOffset, long firstOffset, long now, LogConfig cfg)
            throws IOException {
        LogSegment active = segments.last();
        if (active.size() == 0) {
            return active;
        }
        boolean full = active.size() > cfg.segmentBytes() - bytes;
        boolean old = now - active.rollingBaseTimeMs() > cfg.segmentMs();
        boolean offsetsOverflow = lastOffset - active.baseOffset() > Integer.MAX_VALUE;
        if (full || old || active.indexesFull() || offsetsOverflow) {
            return roll(firstOffset, cfg);
        }
        return active;
    }

    /** Starts a new segment at {@code newBase}: the log end offset, or a follower batch's base offset past a gap. */
    private LogSegment roll(long newBase, LogConfig cfg) throws IOException {
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
        return read(fetchOffset, maxBytes, minOneMessage, FetchIsolation.HIGH_WATERMARK);
    }

    @Override
    public LogReadResult read(long fetchOffset, int maxBytes, boolean minOneMessage, FetchIsolation isolation) {
        ensureReadable();
        OffsetPosition endNow = end;
        OffsetPosition hwNow = highWatermarkPosition(endNow);
        long startOffset = logStartOffset;
        if (fetchOffset < startOffset || fetchOffset > endNow.offset()) {
            throw new OffsetOutOfRangeException("Received request for offset " + fetchOffset + " for partition "
                    + topicPartition + ", but we only have log segments in the range " + startOffset + " to "
                    + endNow.offset() + ".");
        }
        OffsetPosition lsoNow = lastStablePosition(hwNow);
        OffsetPosition bound = switch (isolation) {
            case LOG_END -> endNow;
            case HIGH_WATERMARK -> hwNow;
            case TXN_COMMITTED -> lsoNow;
        };
        Records records;
        try {
            records = readSegments(fetchOffset, maxBytes, minOneMessage, bound);
        } catch (KafkaException e) {
            if (e instanceof ApiException) {
                throw e;
            }
            ensureReadable();
            // A segment's file was closed under this lock-free read: the log was deleted (its replica moved away or
            // its topic was deleted) or truncated meanwhile. Both are retriable for the reader, never a server error.
            if (closed) {
                throw new NotLeaderOrFollowerException("The log of " + topicPartition + " was closed during the read");
            }
            throw new KafkaStorageException("A segment of " + topicPartition + " was removed during the read", e);
        }
        return new LogReadResult(records, hwNow.offset(), lsoNow.offset(), startOffset, endNow.offset());
    }

    private Records readSegments(long fetchOffset, int maxBytes, boolean minOneMessage, OffsetPosition bound) {
        Records records = MemoryRecords.EMPTY;
        if (fetchOffset < bound.offset()) {
            LogSegment segment = segments.floor(fetchOffset);
            while (segment != null && segment.baseOffset() <= bound.segmentBaseOffset()) {
                int maxPosition = segment.baseOffset() == bound.segmentBaseOffset()
                        ? bound.position()
                        : segment.size();
                Records found = segment.read(fetchOffset, maxBytes, maxPosition, minOneMessage);
                if (found != null) {
                    records = found;
                    break;
                }
                segment = segments.higher(segment.baseOffset());
            }
        }
        return records;
    }

    /** The high watermark as readers see it, never above the given end (a truncation lowers end first). */
    private OffsetPosition highWatermarkPosition(OffsetPosition endNow) {
        if (highWatermarkMode == HighWatermarkMode.FOLLOWS_LOG_END) {
            return endNow;
        }
        OffsetPosition hw = highWatermark;
        return hw.offset() <= endNow.offset() ? hw : endNow;
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
        return highWatermarkPosition(end).offset();
    }

    @Override
    public long lastStableOffset() {
        return lastStablePosition(highWatermarkPosition(end)).offset();
    }

    @Override
    public VerificationGuard maybeStartTransactionVerification(long producerId, short producerEpoch,
            boolean epochBump) {
        lock.lock();
        try {
            return producerState.startVerification(producerId, producerEpoch, epochBump);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean hasOngoingTransaction(long producerId, short producerEpoch) {
        lock.lock();
        try {
            return producerState.entry(producerId)
                    .map(entry -> entry.producerEpoch() == producerEpoch && entry.hasOngoingTxn())
                    .orElse(false);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<AbortedTxn> abortedTransactions(long fetchOffset, long upperBoundOffset) {
        List<AbortedTxn> found = new ArrayList<>();
        LogSegment segment = segments.floor(fetchOffset);
        if (segment == null) {
            segment = segments.first();
        }
        while (segment != null && !segment.txnIndex().collect(fetchOffset, upperBoundOffset, found)) {
            segment = segments.higher(segment.baseOffset());
        }
        return found;
    }

    // ---------------------------------------------------------------- replication

    @Override
    public HighWatermarkMode highWatermarkMode() {
        return highWatermarkMode;
    }

    @Override
    public void setHighWatermarkMode(HighWatermarkMode mode) {
        lock.lock();
        try {
            if (mode == HighWatermarkMode.FOLLOWS_LOG_END) {
                highWatermark = end;
            }
            highWatermarkMode = mode;
            refreshFirstUnstable();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long updateHighWatermark(long offset) {
        lock.lock();
        try {
            OffsetPosition endNow = end;
            if (highWatermarkMode == HighWatermarkMode.FOLLOWS_LOG_END) {
                return endNow.offset();
            }
            long target = Math.max(Math.min(offset, endNow.offset()), logStartOffset);
            if (target > highWatermark.offset()) {
                highWatermark = positionOf(target);
                refreshFirstUnstable();
            }
            return highWatermark.offset();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Where {@code offset} is: the segment holding it and the start of the batch containing it (a read bounded there
     * stops before that batch). Caller holds the lock or owns the log exclusively.
     */
    private OffsetPosition positionOf(long offset) {
        OffsetPosition endNow = end;
        if (offset >= endNow.offset()) {
            return endNow;
        }
        LogSegment segment = segments.floor(offset);
        if (segment == null) {
            segment = segments.first();
        }
        FileRecords.LogOffsetPosition found = segment.translateOffset(offset);
        int position = found != null
                ? found.position
                : segment.baseOffset() == endNow.segmentBaseOffset() ? endNow.position() : segment.size();
        return new OffsetPosition(offset, segment.baseOffset(), position);
    }

    @Override
    public OptionalInt latestEpoch() {
        return epochCache.latestEpoch();
    }

    @Override
    public EpochEndOffset endOffsetForEpoch(int leaderEpoch) {
        return epochCache.endOffsetFor(leaderEpoch, end.offset());
    }

    List<EpochEntry> epochEntries() {
        return epochCache.entries();
    }

    @Override
    public boolean truncateTo(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("Cannot truncate " + topicPartition + " to negative offset " + offset);
        }
        lock.lock();
        try {
            ensureWritable();
            if (offset >= end.offset()) {
                return false;
            }
            if (offset < logStartOffset) {
                truncateFullyAndStartAtLocked(offset);
                return true;
            }
            long newEnd;
            synchronized (flushLock) {
                LogConfig cfg = config;
                for (LogSegment segment : segments.all()) {
                    if (segment.baseOffset() > offset) {
                        removeSegment(segment);
                    }
                }
                LogSegment active = segments.last();
                rolledAwaitingFlush.remove(active);
                active.truncateTo(offset);
                active.makeActive(cfg);
                newEnd = active.readNextOffset();
                // deletes the producer snapshots above the new end: a resurrected one would describe removed batches
                LogLoader.rebuildProducerState(dir, segments, newEnd, newEnd, producerState);
                // durable before we return: the new size, the trimmed indexes and the unlinked files
                active.flush();
                Utils.flushDir(dir.toPath());
                directoryDirty = false;
                epochCache.truncateFromEnd(newEnd);
                OffsetPosition newEndPosition = new OffsetPosition(newEnd, active.baseOffset(), active.size());
                if (highWatermark.offset() >= newEnd) {
                    highWatermark = newEndPosition;
                }
                end = newEndPosition;
                recoveryPoint = Math.min(recoveryPoint, newEnd);
                firstUnstable = null;
                refreshFirstUnstable();
            }
            afterTruncation(newEnd);
            LOG.info("Truncated {} to offset {} (log end offset now {})", topicPartition, offset, newEnd);
            return true;
        } catch (IOException e) {
            throw storageFailure("truncate", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void truncateFullyAndStartAt(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("Cannot start " + topicPartition + " at negative offset " + offset);
        }
        lock.lock();
        try {
            ensureWritable();
            truncateFullyAndStartAtLocked(offset);
        } catch (IOException e) {
            throw storageFailure("truncate", e);
        } finally {
            lock.unlock();
        }
    }

    private void truncateFullyAndStartAtLocked(long offset) throws IOException {
        synchronized (flushLock) {
            for (LogSegment segment : segments.all()) {
                removeSegment(segment);
            }
            LogSegment fresh = LogSegment.create(dir, offset, config);
            segments.add(fresh);
            ProducerStateManager.deleteSnapshots(dir);
            producerState.clear();
            Utils.flushDir(dir.toPath());
            directoryDirty = false;
            epochCache.clear();
            OffsetPosition start = new OffsetPosition(offset, offset, 0);
            highWatermark = start;
            end = start;
            logStartOffset = offset;
            recoveryPoint = offset;
            firstUnstable = null;
        }
        // nothing appended before survives, whatever its offset
        afterTruncation(-1);
        LOG.info("Emptied {} and restarted it at offset {}", topicPartition, offset);
    }

    private void removeSegment(LogSegment segment) throws IOException {
        segments.remove(segment.baseOffset());
        rolledAwaitingFlush.remove(segment);
        segment.deleteFiles();
    }

    /**
     * Fails durability waiters for removed records (a replica truncates only after losing leadership, hence
     * NOT_LEADER_OR_FOLLOWER) and durably checkpoints the lowered recovery point, so records appended later at the
     * same offsets are scanned by recovery after a crash instead of being trusted as fsynced. Caller holds the lock.
     */
    private void afterTruncation(long keptBelow) {
        waiters.failAbove(keptBelow, new NotLeaderOrFollowerException("Records of " + topicPartition
                + " at or after offset " + Math.max(keptBelow, 0) + " were removed by a log truncation"));
        try {
            env.onTruncated().accept(this);
        } catch (UncheckedIOException e) {
            throw storageFailure("checkpoint the recovery point of", e.getCause());
        }
    }

    @Override
    public boolean maybeIncrementLogStartOffset(long offset) {
        lock.lock();
        try {
            ensureWritable();
            long hw = highWatermark();
            if (offset > hw) {
                throw new OffsetOutOfRangeException("Cannot increment the log start offset of " + topicPartition
                        + " to " + offset + " since it is larger than the high watermark " + hw);
            }
            return advanceLogStartOffset(offset);
        } catch (IOException e) {
            throw storageFailure("move the log start offset of", e);
        } finally {
            lock.unlock();
        }
    }

    /** Moves the log start offset up (never down) and trims what hangs on it. Caller holds the lock. */
    private boolean advanceLogStartOffset(long offset) throws IOException {
        if (offset <= logStartOffset) {
            return false;
        }
        logStartOffset = offset;
        epochCache.truncateFromStart(offset);
        producerState.truncateHead(dir, offset);
        refreshFirstUnstable();
        return true;
    }

    // ---------------------------------------------------------------- retention

    /**
     * One retention pass over this log (see {@link SegmentRetention}): with {@code cleanup.policy} containing
     * {@code delete}, segments past {@code retention.ms}, then those beyond {@code retention.bytes}; whatever the policy,
     * segments wholly below the log start offset. Deleting advances the log start offset. The files are renamed
     * {@code .deleted} under the lock and unlinked {@code file.delete.delay.ms} later on the background deleter.
     * Returns the number of segments deleted.
     */
    int deleteOldSegments() {
        LogConfig cfg = config;
        int deleted = 0;
        if (cfg.deleteRetention()) {
            deleted += deleteOldSegments(SegmentRetention.Reason.TIME, cfg);
            deleted += deleteOldSegments(SegmentRetention.Reason.SIZE, cfg);
        }
        deleted += deleteOldSegments(SegmentRetention.Reason.LOG_START, cfg);
        return deleted;
    }

    private int deleteOldSegments(SegmentRetention.Reason reason, LogConfig cfg) {
        List<LogSegment> removed;
        lock.lock();
        try {
            if (closed || failure != null) {
                return 0;
            }
            List<LogSegment> all = List.copyOf(segments.all());
            removed = SegmentRetention.deletable(reason, all, cfg, time.milliseconds(), logStartOffset,
                    highWatermark(), end.offset());
            if (removed.isEmpty()) {
                return 0;
            }
            if (removed.size() == all.size()) {
                // a log always keeps one segment: start an empty active one at the log end first
                LogSegment fresh = roll(end.offset(), cfg);
                OffsetPosition newEnd = new OffsetPosition(end.offset(), fresh.baseOffset(), 0);
                if (highWatermark.offset() == newEnd.offset()) {
                    highWatermark = newEnd;
                }
                end = newEnd;
            }
            long newStart = segments.higher(removed.get(removed.size() - 1).baseOffset()).baseOffset();
            synchronized (flushLock) {
                for (LogSegment segment : removed) {
                    segments.remove(segment.baseOffset());
                    rolledAwaitingFlush.remove(segment);
                    segment.renameForDeletion();
                }
                // durable renames: a crash must not bring the segments back once the start moved past them
                Utils.flushDir(dir.toPath());
                // the removed offsets are gone, so nothing below the new start is left unflushed
                recoveryPoint = Math.max(recoveryPoint, newStart);
            }
            advanceLogStartOffset(newStart);
            LOG.info("Deleted {} segment(s) of {} by {}; log start offset now {}", removed.size(), topicPartition,
                    reason, logStartOffset);
        } catch (IOException e) {
            throw storageFailure("delete old segments of", e);
        } finally {
            lock.unlock();
        }
        waiters.completeUpTo(recoveryPoint);
        Runnable unlink = () -> {
            for (LogSegment segment : removed) {
                try {
                    segment.deleteFiles();
                } catch (IOException e) {
                    LOG.warn("Failed to delete {} of {}", segment, topicPartition, e);
                }
            }
        };
        if (cfg.fileDeleteDelayMs() <= 0) {
            env.deleter().execute(unlink);
        } else {
            // as Kafka: reads that found the segment before it left the map finish on the still-open files
            env.deleter().schedule(unlink, cfg.fileDeleteDelayMs(), TimeUnit.MILLISECONDS);
        }
        return removed.size();
    }

    // ---------------------------------------------------------------- list offsets

    @Override
    public Optional<TimestampAndOffset> offsetForTimestamp(long timestamp) {
        ensureReadable();
        if (timestamp == -2L) {
            long start = logStartOffset;
            return Optional.of(new TimestampAndOffset(RecordBatch.NO_TIMESTAMP, start, epochOfFirstBatch()));
        }
        if (timestamp == -1L) {
            return Optional.of(new TimestampAndOffset(RecordBatch.NO_TIMESTAMP, end.offset(), latestEpochOrNone()));
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
        return latestEpochOrNone();
    }

    private int latestEpochOrNone() {
        return epochCache.latestEpoch().orElse(RecordBatch.NO_PARTITION_LEADER_EPOCH);
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
                    if (parentDirectoryTicket != 0) {
                        // one fsync of the log dir covers every log created before it (DirectorySync)
                        env.directorySync().ensureDurable(dir.toPath().getParent(), parentDirectoryTicket);
                        parentDirectoryTicket = 0;
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
                // An empty log without producers or snapshots loads to the same empty state without one (every
                // partition created and closed unused would otherwise cost an fsync'd file).
                boolean empty = segments.size() == 1 && segments.last().size() == 0;
                if (failure == null && !(empty && producerState.isEmptyWithoutSnapshots(dir))) {
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

    /**
     * Test seam for a killed process: releases file handles and mappings without flushing, snapshotting or trimming
     * anything, and fails pending waiters. The log is unusable afterwards.
     */
    void haltForTest() {
        lock.lock();
        try {
            closed = true;
            synchronized (flushLock) {
                for (LogSegment segment : segments.all()) {
                    try {
                        segment.closeHandlers();
                    } catch (IOException e) {
                        LOG.warn("Failed to release {} of {}", segment, topicPartition, e);
                    }
                }
            }
            waiters.failAll(new KafkaStorageException("Log for " + topicPartition + " was halted"));
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- compaction (see LogCleaner)

    /** The segments, oldest first, as they are now. */
    List<LogSegment> segmentList() {
        return List.copyOf(segments.all());
    }

    /**
     * Base offset of the segment holding the last stable offset (at most the high watermark): the cleaner stays below
     * it, so it never cleans an open transaction's records (whose fate is unknown) nor moves the batch the
     * read_committed bound points at.
     */
    long highWatermarkSegmentBase() {
        return lastStablePosition(highWatermarkPosition(end)).segmentBaseOffset();
    }

    /** Every aborted transaction the transaction indexes list, oldest marker first (see {@link AbortedRanges}). */
    List<AbortedTxn> allAbortedTransactions() {
        List<AbortedTxn> all = new ArrayList<>();
        for (LogSegment segment : segments.all()) {
            all.addAll(segment.txnIndex().entries());
        }
        return all;
    }

    /** Each known producer's last data offset (see {@link CompactionFilter}). */
    Map<Long, Long> producerLastDataOffsets() {
        lock.lock();
        try {
            return producerState.lastDataOffsets();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Swaps a cleaned segment, written whole and fsynced as {@code swapFile} ({@code <base>.log.swap}, see
     * {@link CleanedSegmentFiles}), in for {@code group}, whose first segment has the same base offset.
     *
     * <p>The old segments' files are renamed to {@code *.deleted} but stay open (returned for delayed deletion), then
     * the swap file takes the first one's name and the map entry is replaced before the others are removed, so a
     * concurrent reader finds either an old segment or the cleaned one. A crash at any point is finished by
     * {@link CleanedSegmentFiles#recover} at load.
     *
     * @return empty (and the swap file deleted) when the group changed meanwhile (truncated, deleted, now active)
     */
    Optional<RetiredSegments> replaceSegments(List<LogSegment> group, List<Integer> sizes, File swapFile)
            throws IOException {
        lock.lock();
        try {
            ensureWritable();
            LogSegment active = segments.last();
            for (int i = 0; i < group.size(); i++) {
                LogSegment old = group.get(i);
                if (old == active || segments.floor(old.baseOffset()) != old || old.size() != sizes.get(i)) {
                    Files.deleteIfExists(swapFile.toPath());
                    return Optional.empty();
                }
            }
            synchronized (flushLock) {
                List<Path> renamed = new ArrayList<>();
                for (LogSegment old : group) {
                    rolledAwaitingFlush.remove(old);
                    for (File file : List.of(LogSegment.logFile(dir, old.baseOffset()),
                            LogSegment.indexFile(dir, old.baseOffset()),
                            LogSegment.timeIndexFile(dir, old.baseOffset()),
                            TransactionIndex.file(dir, old.baseOffset()))) {
                        if (file.exists()) {
                            Path target = file.toPath()
                                    .resolveSibling(file.getName() + RetiredSegments.DELETED_SUFFIX);
                            Utils.atomicMoveWithFallback(file.toPath(), target, false);
                            renamed.add(target);
                        }
                    }
                }
                long base = group.get(0).baseOffset();
                Utils.atomicMoveWithFallback(swapFile.toPath(), LogSegment.logFile(dir, base).toPath(), false);
                LogSegment cleaned = LogSegment.openWithNewIndexes(dir, base, config);
                // the cleaner keeps every marker, so every aborted transaction stays listed
                for (LogSegment old : group) {
                    for (AbortedTxn txn : old.txnIndex().entries()) {
                        cleaned.txnIndex().append(txn);
                    }
                }
                cleaned.flush();
                segments.add(cleaned);
                for (LogSegment old : group.subList(1, group.size())) {
                    segments.remove(old.baseOffset());
                }
                Utils.flushDir(dir.toPath());
                firstUnstable = null;
                refreshFirstUnstable();
                return Optional.of(new RetiredSegments(group, renamed));
            }
        } finally {
            lock.unlock();
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
