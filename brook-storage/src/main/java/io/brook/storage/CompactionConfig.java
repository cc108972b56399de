package io.brook.storage;

/**
 * A partition's log-compaction settings (Kafka's topic config names in comments).
 *
 * @param compact {@code cleanup.policy} contains {@code compact}: the log cleaner keeps the latest record per key, and
 *            appends of records without a key are rejected
 * @param minCleanableDirtyRatio {@code min.cleanable.dirty.ratio}: clean once dirty bytes / all cleanable bytes reach it
 * @param minCompactionLagMs {@code min.compaction.lag.ms}: records younger than this stay uncompacted
 * @param maxCompactionLagMs {@code max.compaction.lag.ms}: a log whose oldest dirty record is older than this is cleaned
 *            whatever its dirty ratio
 * @param deleteRetentionMs {@code delete.retention.ms}: how long a tombstone survives after its segment was first
 *            cleaned
 */
public record CompactionConfig(boolean compact, double minCleanableDirtyRatio, long minCompactionLagMs,
        long maxCompactionLagMs, long deleteRetentionMs) {

    /** Kafka's defaults with {@code cleanup.policy=delete}: the cleaner ignores the log. */
    public static CompactionConfig disabled() {
        return new CompactionConfig(false, 0.5, 0, Long.MAX_VALUE, 24L * 60 * 60 * 1000);
    }

    /** Kafka's defaults with {@code cleanup.policy=compact}. */
    public static CompactionConfig compacted() {
        return new CompactionConfig(true, 0.5, 0, Long.MAX_VALUE, 24L * 60 * 60 * 1000);
    }
}
