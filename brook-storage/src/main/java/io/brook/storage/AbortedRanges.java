package io.brook.storage;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Which transactional batches belong to aborted transactions, from the log's transaction indexes: per producer, the
 * offset ranges from an aborted transaction's first record to its abort marker. A producer's transactions never
 * overlap, so a batch is aborted when the range starting at or before it reaches it.
 *
 * <p>Not thread-safe: built and used by one cleaning pass.
 */
final class AbortedRanges {

    private final Map<Long, TreeMap<Long, Long>> byProducer = new HashMap<>();

    AbortedRanges(List<AbortedTxn> aborted) {
        for (AbortedTxn txn : aborted) {
            byProducer.computeIfAbsent(txn.producerId(), id -> new TreeMap<>()).put(txn.firstOffset(),
                    txn.lastOffset());
        }
    }

    /** Whether {@code batch} holds records of an aborted transaction (never true for a marker). */
    boolean isAborted(RecordBatch batch) {
        if (!batch.isTransactional() || batch.isControlBatch()) {
            return false;
        }
        TreeMap<Long, Long> ranges = byProducer.get(batch.producerId());
        if (ranges == null) {
            return false;
        }
        Map.Entry<Long, Long> range = ranges.floorEntry(batch.baseOffset());
        return range != null && range.getValue() >= batch.baseOffset();
    }
}
