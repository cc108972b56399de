package io.brook.storage;

import java.util.Collection;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One retention pass over every log of a {@link DefaultLogManager} (Kafka's {@code LogManager.cleanupLogs}): each log
 * deletes what {@link SegmentRetention} selects, on leaders and followers alike, then the log start offsets are
 * checkpointed so a restart keeps them (including those DeleteRecords moved since the last pass).
 *
 * <p>Not thread-safe: run by one thread at a time (the manager's retention thread, or a test).
 */
final class LogRetention {

    private static final Logger LOG = LoggerFactory.getLogger(LogRetention.class);

    private final Supplier<Collection<DefaultPartitionLog>> logs;
    private final Runnable checkpointLogStartOffsets;

    LogRetention(Supplier<Collection<DefaultPartitionLog>> logs, Runnable checkpointLogStartOffsets) {
        this.logs = logs;
        this.checkpointLogStartOffsets = checkpointLogStartOffsets;
    }

    /** Returns the number of segments deleted. */
    int runOnce() {
        int deleted = 0;
        for (DefaultPartitionLog log : logs.get()) {
            try {
                deleted += log.deleteOldSegments();
            } catch (RuntimeException e) {
                // one failed log (already marked offline by its storage failure) must not stop the others
                LOG.warn("Retention of {} failed", log.topicPartition(), e);
            }
        }
        checkpointLogStartOffsets.run();
        if (deleted > 0) {
            LOG.debug("Retention deleted {} segment(s)", deleted);
        }
        return deleted;
    }
}
