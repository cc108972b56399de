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
 * @param compression {@code compression.type} with {@code compression.*.level}: the codec batches are stored in
 * @param timestampBeforeMaxMs {@code message.timestamp.before.max.ms}: with CreateTime, how far in the past a record's
 *            timestamp may be
 * @param timestampAfterMaxMs {@code message.timestamp.after.max.ms}: with CreateTime, how far in the future a record's
 *            timestamp may be
 */
public record LogConfig(int segmentBytes, long segmentMs, int indexIntervalBytes, int maxIndexBytes,
        int maxMessageBytes, long flushIntervalMessages, long flushIntervalMs, boolean logAppendTime,
        TopicCompression compression, long timestampBeforeMaxMs, long timestampAfterMaxMs) {

    /** Kafka's default for {@code message.timestamp.after.max.ms} since 4.0 (KIP-1030). */
    public static final long DEFAULT_TIMESTAMP_AFTER_MAX_MS = 60 * 60 * 1000L;

    /** Settings before compression and timestamp bounds existed: {@code producer}, timestamps unbounded. */
    public LogConfig(int segmentBytes, long segmentMs, int indexIntervalBytes, int maxIndexBytes,
            int maxMessageBytes, long flushIntervalMessages, long flushIntervalMs, boolean logAppendTime) {
        this(segmentBytes, segmentMs, indexIntervalBytes, maxIndexBytes, maxMessageBytes, flushIntervalMessages,
                flushIntervalMs, logAppendTime, TopicCompression.producer(), Long.MAX_VALUE, Long.MAX_VALUE);
    }

    public static LogConfig defaults() {
        return new LogConfig(1024 * 1024 * 1024, 7L * 24 * 60 * 60 * 1000, 4096, 10 * 1024 * 1024, 1048588,
                Long.MAX_VALUE, Long.MAX_VALUE, false, TopicCompression.producer(), Long.MAX_VALUE,
                DEFAULT_TIMESTAMP_AFTER_MAX_MS);
    }
}
