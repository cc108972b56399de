package io.brook.storage;

import java.util.Map;

import org.apache.kafka.common.record.internal.MemoryRecords.RecordFilter;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Decides, record by record, what a cleaning pass keeps (used with {@code MemoryRecords.filterTo}, which rebuilds each
 * batch from the kept records with its base offset, producer id, epoch and base sequence unchanged):
 * <ul>
 * <li>a record without a key goes (a compacted log cannot tell which value it updates);</li>
 * <li>a record older than the offset mapped for its key goes;</li>
 * <li>a tombstone (null value) goes once its batch's delete horizon has passed. {@code filterTo} stamps the horizon,
 * now + {@code delete.retention.ms}, on a batch the first time it keeps a tombstone of it (KIP-534), so a tombstone
 * survives at least {@code delete.retention.ms} after its segment was first cleaned;</li>
 * <li>the records of aborted transactions go ({@link AbortedRanges}; the cleaner never reaches an undecided one, it
 * stays below the last stable offset);</li>
 * <li>control batches (transaction markers) are kept whole, forever: Kafka drops a marker once its transaction has no
 * record left and {@code delete.retention.ms} has passed, Brook does not yet;</li>
 * <li>the last batch of each producer that producer state knows is kept, even emptied, so the producer's epoch and
 * sequence survive a reload from the log (as Kafka does).</li>
 * </ul>
 * Not thread-safe: one instance per cleaning of one segment group, on a cleaner thread.
 */
final class CompactionFilter extends RecordFilter {

    private final KeyOffsetMap map;
    private final Map<Long, Long> producerLastOffsets;
    private final AbortedRanges aborted;
    /** Whether the batch whose records are being filtered belongs to an aborted transaction. */
    private boolean batchAborted;
    private long earliestPendingHorizonMs = Long.MAX_VALUE;
    private long tombstonesRemoved;

    CompactionFilter(KeyOffsetMap map, Map<Long, Long> producerLastOffsets, AbortedRanges aborted, long nowMs,
            long deleteRetentionMs) {
        super(nowMs, deleteRetentionMs);
        this.map = map;
        this.producerLastOffsets = producerLastOffsets;
        this.aborted = aborted;
    }

    @Override
    protected BatchRetentionResult checkBatchRetention(RecordBatch batch) {
        batchAborted = aborted.isAborted(batch);
        if (batch.isControlBatch()) {
            return new BatchRetentionResult(BatchRetention.RETAIN_EMPTY, false);
        }
        if (batch.hasProducerId()) {
            Long last = producerLastOffsets.get(batch.producerId());
            if (last != null && last == batch.lastOffset()) {
                return new BatchRetentionResult(BatchRetention.RETAIN_EMPTY, false);
            }
        }
        return new BatchRetentionResult(BatchRetention.DELETE_EMPTY, false);
    }

    @Override
    protected boolean shouldRetainRecord(RecordBatch batch, Record record) {
        if (batch.isControlBatch()) {
            return true;
        }
        if (batchAborted || !record.hasKey()) {
            return false;
        }
        long latest = map.get(record.key());
        if (latest >= 0 && record.offset() < latest) {
            return false;
        }
        if (!record.hasValue()) {
            long horizon = batch.deleteHorizonMs().orElse(currentTime + deleteRetentionMs);
            if (horizon <= currentTime) {
                tombstonesRemoved++;
                return false;
            }
            earliestPendingHorizonMs = Math.min(earliestPendingHorizonMs, horizon);
        }
        return true;
    }

    /** The earliest delete horizon of a tombstone kept, Long.MAX_VALUE if none: when a new pass could remove one. */
    long earliestPendingHorizonMs() {
        return earliestPendingHorizonMs;
    }

    long tombstonesRemoved() {
        return tombstonesRemoved;
    }
}
