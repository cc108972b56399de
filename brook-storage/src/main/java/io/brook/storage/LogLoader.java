package io.brook.storage;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.TreeSet;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a partition directory at start-up and brings it to a consistent state.
 * <ul>
 * <li>Every segment's indexes are sanity-checked (missing, size not a multiple of the entry size, entries out of order
 * or beyond the log) and rebuilt from the log when broken.</li>
 * <li>After an unclean shutdown, every segment from the one holding the recovery point onward is scanned batch by batch
 * (complete, CRC, magic, increasing offsets); at the first invalid batch the segment is truncated and all later
 * segments are deleted. Data below the recovery point was fsynced and is not rescanned, so recovery never drops it.</li>
 * <li>Producer state is loaded from the newest snapshot at or below the log end offset and the batches after it are
 * replayed.</li>
 * </ul>
 * Runs on the start-up thread before the log is visible to anyone else.
 */
final class LogLoader {

    private static final Logger LOG = LoggerFactory.getLogger(LogLoader.class);

    /** The loaded state handed to {@link DefaultPartitionLog}. */
    record Loaded(LogSegments segments, long logEndOffset, long recoveryPoint, ProducerStateManager producerState) {
    }

    private LogLoader() {
    }

    static Loaded load(File dir, TopicPartition topicPartition, LogConfig config, long checkpointedRecoveryPoint,
            boolean hadCleanShutdown) throws IOException {
        Files.createDirectories(dir.toPath());
        deleteTempFiles(dir);
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
            recoverFrom(dir, segments, checkpointedRecoveryPoint);
            recoveryPoint = Math.min(checkpointedRecoveryPoint, segments.last().readNextOffset());
        }
        LogSegment active = segments.last();
        active.makeActive(config);
        long logEndOffset = active.readNextOffset();
        recoveryPoint = Math.max(recoveryPoint, segments.first().baseOffset());

        ProducerStateManager producerState = new ProducerStateManager();
        long replayFrom = producerState.loadLatestSnapshot(dir, logEndOffset, segments.first().baseOffset());
        for (LogSegment segment : segments.from(replayFrom)) {
            for (FileChannelRecordBatch batch : segment.records()
                    .batchesFrom(segment.offsetIndex().lookup(replayFrom))) {
                if (batch.baseOffset() >= replayFrom) {
                    producerState.replay(batch);
                }
            }
        }
        LOG.info("Loaded {} from {}: {} segments, log end offset {}, recovery point {}{}", topicPartition, dir,
                segments.size(), logEndOffset, recoveryPoint, hadCleanShutdown ? "" : " (after unclean shutdown)");
        return new Loaded(segments, logEndOffset, recoveryPoint, producerState);
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
                    : name.endsWith(LogSegment.TIME_INDEX_SUFFIX) ? LogSegment.TIME_INDEX_SUFFIX : null;
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

    private static void deleteTempFiles(File dir) throws IOException {
        File[] temps = dir.listFiles((d, name) -> name.endsWith(".tmp"));
        if (temps != null) {
            for (File temp : temps) {
                Files.deleteIfExists(temp.toPath());
            }
        }
    }
}
