package io.brook.broker.group;

/**
 * The coordinator settings a shard applies (Kafka's names in brackets).
 *
 * @param minSessionTimeoutMs [group.min.session.timeout.ms]
 * @param maxSessionTimeoutMs [group.max.session.timeout.ms]
 * @param initialRebalanceDelayMs [group.initial.rebalance.delay.ms]
 * @param maxSize [group.max.size]
 * @param offsetsRetentionMs [offsets.retention.minutes] in ms
 * @param retentionCheckIntervalMs [offsets.retention.check.interval.ms]
 * @param offsetMetadataMaxBytes [offset.metadata.max.bytes]
 */
public record GroupConfig(int minSessionTimeoutMs, int maxSessionTimeoutMs, int initialRebalanceDelayMs, int maxSize,
        long offsetsRetentionMs, long retentionCheckIntervalMs, int offsetMetadataMaxBytes) {

    /** Kafka's defaults. */
    public static GroupConfig defaults() {
        return new GroupConfig(6000, 1_800_000, 3000, Integer.MAX_VALUE, 7L * 24 * 60 * 60 * 1000, 600_000, 4096);
    }
}
