package io.brook.broker.txn;

/**
 * The transaction coordinator's settings, under Kafka's names.
 *
 * @param stateLogPartitions {@code transaction.state.log.num.partitions}
 * @param stateLogReplicationFactor {@code transaction.state.log.replication.factor} (1 on a single node)
 * @param stateLogMinIsr {@code transaction.state.log.min.isr}
 * @param stateLogSegmentBytes {@code transaction.state.log.segment.bytes}
 * @param maxTimeoutMs {@code transaction.max.timeout.ms}
 * @param abortTimedOutCheckIntervalMs {@code transaction.abort.timed.out.transaction.cleanup.interval.ms}
 * @param idExpirationMs {@code transactional.id.expiration.ms}
 * @param removeExpiredCheckIntervalMs {@code transaction.remove.expired.transaction.cleanup.interval.ms}
 * @param writeTimeoutMs how long a state write waits for the in-sync replicas (Kafka uses the request timeout)
 */
public record TransactionConfig(int stateLogPartitions, short stateLogReplicationFactor, int stateLogMinIsr,
        int stateLogSegmentBytes, int maxTimeoutMs, long abortTimedOutCheckIntervalMs, long idExpirationMs,
        long removeExpiredCheckIntervalMs, long writeTimeoutMs) {

    /** Kafka's defaults, for a single node. */
    public static TransactionConfig defaults() {
        return new TransactionConfig(50, (short) 1, 2, 100 * 1024 * 1024, 15 * 60 * 1000, 10_000,
                7L * 24 * 60 * 60 * 1000, 60 * 60 * 1000, 5000);
    }
}
