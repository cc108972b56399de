package io.brook.storage;

/**
 * Per-partition log settings, resolved from topic configs over broker defaults (Kafka's names in comments).
 *
 * @param segmentBytes {@code segment.bytes}: roll when the active segment would exceed this
 * @param segmentMs {@code segment.ms}: roll when the active segment's first record is older than this
 * @param indexIntervalBytes {@code index.interval.bytes}: bytes between sparse index entries
 * @param maxIndexBytes {@code segment.index.bytes}: size preallocated for each index file
 * @param maxMessageBytes {@code max.message.bytes}: largest batch accepted
 * @param flushIntervalMessages {@code flush.messages}: fsync after this many messages (Long.MAX_VALUE = never)
 * @param flushIntervalMs {@code flush.ms}: fsync when unflushed data is older than this (Long.MAX_VALUE = never)
 * @param logAppendTime {@code message.timestamp.type=LogAppendTime}
 * @param retentionMs {@code retention.ms}: delete a segment once its largest timestamp is older than this (negative =
 *            forever)
 * @param retentionBytes {@code retention.bytes}: delete the oldest segments while the log is larger than this
 *            (negative = no limit)
 * @param deleteRetention {@code cleanup.policy} contains {@code delete}: time and size retention apply
 * @param fileDeleteDelayMs {@code file.delete.delay.ms}: how long the files of a segment retention removed stay on
 *            disk (renamed {@code .deleted}) so reads already holding it finish
 * @param compaction {@code cleanup.policy=compact} and the cleaner's per-topic settings
 * @param compression {@code compression.type} with {@code compression.*.level}: the codec batches are stored in
 * @param timestampBeforeMaxMs {@code message.timestamp.before.max.ms}: with CreateTime, how far in the past a record's
 *            timestamp may be
 * @param timestampAfterMaxMs {@code message.timestamp.after.max.ms}: with CreateTime, how far in the future a record's
 *            timestamp may be
 */
public record LogConfig(int segmentBytes, long segmentMs, int indexIntervalBytes, int maxIndexBytes,
        int maxMessageBytes, long flushIntervalMessages, long flushIntervalMs, boolean logAppendTime,
        long retentionMs, long retentionBytes, boolean deleteRetention, long fileDeleteDelayMs,
        CompactionConfig compaction, TopicCompression compression, long timestampBeforeMaxMs,
        long timestampAfterMaxMs) {

    /** Kafka's {@code retention.ms} default: 7 days. */
    public static final long DEFAULT_RETENTION_MS = 7L * 24 * 60 * 60 * 1000;
    /** Kafka's {@code file.delete.delay.ms} default: 1 minute. */
    public static final long DEFAULT_FILE_DELETE_DELAY_MS = 60_000;
    /** Kafka's default for {@code message.timestamp.after.max.ms} since 4.0 (KIP-1030). */
    public static final long DEFAULT_TIMESTAMP_AFTER_MAX_MS = 60 * 60 * 1000L;

    /**
     * Settings with Kafka's retention defaults (7 days, no size limit, delete policy, 1 minute file delete delay), no
     * compaction, the producer's codec and unbounded timestamps.
     */
    public LogConfig(int segmentBytes, long segmentMs, int indexIntervalBytes, int maxIndexBytes,
            int maxMessageBytes, long flushIntervalMessages, long flushIntervalMs, boolean logAppendTime) {
        this(segmentBytes, segmentMs, indexIntervalBytes, maxIndexBytes, maxMessageBytes, flushIntervalMessages,
                flushIntervalMs, logAppendTime, DEFAULT_RETENTION_MS, -1, true, DEFAULT_FILE_DELETE_DELAY_MS,
                CompactionConfig.disabled(), TopicCompression.producer(), Long.MAX_VALUE, Long.MAX_VALUE);
    }

    public static LogConfig defaults() {
        return new LogConfig(1024 * 1024 * 1024, 7L * 24 * 60 * 60 * 1000, 4096, 10 * 1024 * 1024, 1048588,
                Long.MAX_VALUE, Long.MAX_VALUE, false)
                .withCompression(TopicCompression.producer(), Long.MAX_VALUE, DEFAULT_TIMESTAMP_AFTER_MAX_MS);
    }

    /** A copy with other compaction settings. */
    public LogConfig withCompaction(CompactionConfig newCompaction) {
        return new LogConfig(segmentBytes, segmentMs, indexIntervalBytes, maxIndexBytes, maxMessageBytes,
                flushIntervalMessages, flushIntervalMs, logAppendTime, retentionMs, retentionBytes, deleteRetention,
                fileDeleteDelayMs, newCompaction, compression, timestampBeforeMaxMs, timestampAfterMaxMs);
    }

    /** A copy with other retention settings. */
    public LogConfig withRetention(long newRetentionMs, long newRetentionBytes, boolean newDeleteRetention) {
        return new LogConfig(segmentBytes, segmentMs, indexIntervalBytes, maxIndexBytes, maxMessageBytes,
                flushIntervalMessages, flushIntervalMs, logAppendTime, newRetentionMs, newRetentionBytes,
                newDeleteRetention, fileDeleteDelayMs, compaction, compression, timestampBeforeMaxMs,
                timestampAfterMaxMs);
    }

    /** A copy with another {@code file.delete.delay.ms}. */
    public LogConfig withFileDeleteDelayMs(long newFileDeleteDelayMs) {
        return new LogConfig(segmentBytes, segmentMs, indexIntervalBytes, maxIndexBytes, maxMessageBytes,
                flushIntervalMessages, flushIntervalMs, logAppendTime, retentionMs, retentionBytes, deleteRetention,
                newFileDeleteDelayMs, compaction, compression, timestampBeforeMaxMs, timestampAfterMaxMs);
    }

    /** A copy with another stored codec and other timestamp bounds. */
    public LogConfig withCompression(TopicCompression newCompression, long newTimestampBeforeMaxMs,
            long newTimestampAfterMaxMs) {
        return new LogConfig(segmentBytes, segmentMs, indexIntervalBytes, maxIndexBytes, maxMessageBytes,
                flushIntervalMessages, flushIntervalMs, logAppendTime, retentionMs, retentionBytes, deleteRetention,
                fileDeleteDelayMs, compaction, newCompression, newTimestampBeforeMaxMs, newTimestampAfterMaxMs);
    }
}
