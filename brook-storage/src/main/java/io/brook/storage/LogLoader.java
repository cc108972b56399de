package io.brook.storage;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.storage.LeaderEpochCheckpoint.EpochEntry;

/**
 * Opens a partition directory at start-up and brings it to a consistent state.
 * <ul>
 * <li>Every segment's indexes are sanity-checked (missing, size not a multiple of the entry size, entries out of order
 * or beyond the log) and rebuilt from the log when broken.</li>
 * <li>After an unclean shutdown, every segment from the one holding the recovery point onward is scanned batch by batch
 * (complete, CRC, magic, increasing offsets); at the first invalid batch the segment is truncated and all later
 * segments are deleted. Data below the recovery point was fsynced and is not rescanned, so recovery never drops it.</li>
 * <li>Producer state (with the open transactions) is loaded from the newest snapshot at or below the log end offset
 * (after an unclean shutdown: the recovery point) and the batches after it are replayed, rewriting the transaction
 * indexes ({@code .txnindex}) from there.</li>
 * <li>The leader epoch cache is read from {@code leader-epoch-checkpoint} and trimmed to the recovered log; when the
 * file is missing or unreadable it is rebuilt from the batches' partition leader epochs.</li>
 * <li>The checkpointed log start offset and high watermark are clamped into the recovered log.</li>
 * </ul>
 * Runs on the start-up thread before the log is visible to anyone else.
 */
final class LogLoader {

    private static final Logger LOG = LoggerFactory.getLogger(LogLoader.class);

    /** What the log dir's checkpoint files say about this partition; -1 where a file has no entry. */
    record Checkpoints(long recoveryPoint, long highWatermark, long logStartOffset) {

        static Checkpoints none() {
            return new Checkpoints(0L, -1L, -1L);
        }
    }

    /** The loaded state handed to {@link DefaultPartitionLog}. */
    record Loaded(LogSegments segments, long logStartOffset, long logEndOffset, long recoveryPoint,
            long highWatermark, ProducerStateManager producerState, LeaderEpochCache epochCache) {
    }

    private LogLoader() {
    }

    /**
     * A new log in a directory that did not exist: one empty segment and empty state. Nothing to scan, recover or
     * rebuild, which matters when a thousand partitions are created at once (each load would list the directory
     * three times and run recovery over an empty segment).
     */
    static Loaded create(File dir, TopicPartition topicPartition, LogConfig config) throws IOException {
        Files.createDirectories(dir.toPath());
        LogSegments segments = new LogSegments();
        segments.add(LogSegment.createInEmptyDir(dir, 0, config));
        segments.last().makeActive(config);
        LOG.debug("Created empty log {} in {}", topicPartition, dir);
        return new Loaded(segments, 0, 0, 0, 0, new ProducerStateManager(),
                new LeaderEpochCache(new LeaderEpochCheckpoint(dir), List.of()));
    }

    static Loaded load(File dir, TopicPartition topicPartition, LogConfig config, Checkpoints checkpoints,
            boolean hadCleanShutdown) throws IOException {
        Files.createDirectories(dir.toPath());
        deleteLeftoverFiles(dir);
        CleanedSegmentFiles.recover(dir);
        TreeSet<Long> baseOffsets = segmentBaseOffsets(dir);
        LogSegments segments = new LogSegments();
        for (long baseOffset : baseOffsets) {
            segments.add(LogSegment.open(dir, baseOffset, config, baseOffset == baseOffsets.last()));
        }
        if (segments.isEmpty()) {
            segments.add(LogSegment.create(dir, 0, config));
        }
        long recoveryPoint;
        if (hadCleanShutdown) {
            recoveryPoint = segments.last().readNextOffset();
        } else {
            recoverFrom(dir, segments, checkpoints.recoveryPoint());
            recoveryPoint = Math.min(checkpoints.recoveryPoint(), segments.last().readNextOffset());
        }
        LogSegment active = segments.last();
        active.makeActive(config);
        long logEndOffset = active.readNextOffset();
        recoveryPoint = Math.max(recoveryPoint, segments.first().baseOffset());
        long logStartOffset = Math.min(Math.max(checkpoints.logStartOffset(), segments.first().baseOffset()),
                logEndOffset);
        long highWatermark = Math.min(Math.max(checkpoints.highWatermark(), logStartOffset), logEndOffset);

        ProducerStateManager producerState = new ProducerStateManager();
        // after a crash the transaction indexes of the recovered segments may miss entries: replaying from a
        // snapshot at or below the recovery point rewrites them (snapshots above it are deleted)
        rebuildProducerState(dir, segments, hadCleanShutdown ? logEndOffset : recoveryPoint, logEndOffset,
                producerState);
        producerState.truncateHead(dir, logStartOffset);
        LeaderEpochCache epochCache = loadEpochCache(dir, segments, logStartOffset, logEndOffset);
        LOG.info("Loaded {} from {}: {} segments, log start offset {}, log end offset {}, recovery point {}, "
                + "high watermark {}{}", topicPartition, dir, segments.size(), logStartOffset, logEndOffset,
                recoveryPoint, highWatermark, hadCleanShutdown ? "" : " (after unclean shutdown)");
        return new Loaded(segments, logStartOffset, logEndOffset, recoveryPoint, highWatermark, producerState,
                epochCache);
    }

    /**
     * Replaces {@code producerState} with the state as of {@code logEndOffset}: the newest snapshot at or below
     * {@code snapshotLimit} (newer ones are deleted) plus the batches after the snapshot. The aborted transactions
     * whose markers are replayed are written again to their segments' transaction indexes (entries from the replay
     * point on are dropped first), so those indexes always agree with the log. Also used after a truncation.
     */
    static void rebuildProducerState(File dir, LogSegments segments, long snapshotLimit, long logEndOffset,
            ProducerStateManager producerState) throws IOException {
        producerState.clear();
        long replayFrom = producerState.loadLatestSnapshot(dir, Math.min(snapshotLimit, logEndOffset),
                segments.first().baseOffset());
        for (LogSegment segment : segments.from(replayFrom)) {
            segment.txnIndex().truncateTo(replayFrom);
            for (FileChannelRecordBatch batch : segment.records()
                    .batchesFrom(segment.offsetIndex().lookup(replayFrom))) {
                if (batch.baseOffset() >= replayFrom && batch.baseOffset() < logEndOffset) {
                    Optional<ProducerStateManager.CompletedTxn> completed = producerState.replay(batch);
                    if (completed.isPresent() && completed.get().aborted()) {
                        ProducerStateManager.CompletedTxn txn = completed.get();
                        segment.txnIndex().append(new AbortedTxn(txn.producerId(), txn.firstOffset(),
                                txn.lastOffset(), producerState.lastStableOffsetAfter(txn)));
                    }
                }
            }
        }
    }

    private static LeaderEpochCache loadEpochCache(File dir, LogSegments segments, long logStartOffset,
            long logEndOffset) throws IOException {
        LeaderEpochCheckpoint checkpoint = new LeaderEpochCheckpoint(dir);
        Optional<List<EpochEntry>> stored;
        try {
            stored = checkpoint.read();
        } catch (IOException e) {
            LOG.warn("Rebuilding the leader epoch cache of {} from the log: {}", dir, e.getMessage());
            stored = Optional.empty();
        }
        LeaderEpochCache cache;
        if (stored.isPresent()) {
            cache = new LeaderEpochCache(checkpoint, stored.get());
            // entries are written before their batches, so a crash can leave some beyond the recovered log
            cache.truncateFromEnd(logEndOffset);
        } else {
            cache = new LeaderEpochCache(checkpoint, List.of());
            for (LogSegment segment : segments.all()) {
                for (FileChannelRecordBatch batch : segment.records().batches()) {
                    if (batch.partitionLeaderEpoch() >= 0) {
                        cache.assign(batch.partitionLeaderEpoch(), batch.baseOffset());
                    }
                }
            }
            // A log without epochs (a new one) needs no file: a missing one reads as this same empty cache. Skipping
            // it spares every created partition an fsync'd write, a rename and a directory fsync.
            if (!cache.entries().isEmpty() || checkpoint.exists()) {
                checkpoint.write(cache.entries());
            }
        }
        cache.truncateFromStart(logStartOffset);
        return cache;
    }

    private static void recoverFrom(File dir, LogSegments segments, long recoveryPoint) throws IOException {
        boolean dropRest = false;
        long expectedNext = -1;
        for (LogSegment segment : segments.from(recoveryPoint)) {
            if (!dropRest && expectedNext > segment.baseOffset()) {
                LOG.warn("Segment {} in {} overlaps the previous one ending at {}", segment.baseOffset(), dir,
                        expectedNext);
                dropRest = true;
            }
            if (dropRest) {
                LOG.warn("Deleting segment {} of {}: it follows invalid data", segment.baseOffset(), dir);
                segments.remove(segment.baseOffset());
                segment.deleteFiles();
                continue;
            }
            dropRest = segment.recover() > 0;
            expectedNext = segment.readNextOffset();
        }
    }

    private static TreeSet<Long> segmentBaseOffsets(File dir) throws IOException {
        TreeSet<Long> baseOffsets = new TreeSet<>();
        File[] files = dir.listFiles();
        if (files == null) {
            throw new IOException("cannot list " + dir);
        }
        for (File file : files) {
            String name = file.getName();
            if (name.endsWith(LogSegment.LOG_SUFFIX)) {
                baseOffsets.add(parseOffset(name, LogSegment.LOG_SUFFIX));
            }
        }
        for (File file : files) {
            String name = file.getName();
            String suffix = name.endsWith(LogSegment.INDEX_SUFFIX)
                    ? LogSegment.INDEX_SUFFIX
                    : name.endsWith(LogSegment.TIME_INDEX_SUFFIX)
                            ? LogSegment.TIME_INDEX_SUFFIX
                            : name.endsWith(TransactionIndex.SUFFIX) ? TransactionIndex.SUFFIX : null;
            if (suffix != null && !baseOffsets.contains(parseOffset(name, suffix))) {
                LOG.warn("Deleting orphaned index {}", file);
                Files.deleteIfExists(file.toPath());
            }
        }
        return baseOffsets;
    }

    private static long parseOffset(String name, String suffix) throws IOException {
        try {
            return Long.parseLong(name.substring(0, name.length() - suffix.length()));
        } catch (NumberFormatException e) {
            throw new IOException("unexpected file name " + name, e);
        }
    }

    /** Temp files of interrupted writes, and files of segments deleted by retention before their delayed unlink. */
    private static void deleteLeftoverFiles(File dir) throws IOException {
        File[] temps = dir.listFiles((d, name) -> name.endsWith(".tmp") || name.endsWith(LogSegment.DELETED_SUFFIX));
        if (temps != null) {
            for (File temp : temps) {
                Files.deleteIfExists(temp.toPath());
            }
        }
    }
}
