package io.brook.broker.handlers.group;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * The sequence numbers the coordinator gives the transactional batches it writes to one {@code __consumer_offsets}
 * partition for producers (TxnOffsetCommit). The partition's log checks a producer's sequences as it does a client's
 * (Kafka's log skips that check for coordinator writes; Brook's has no such exemption), so the coordinator continues
 * each producer's sequence from the batches of the partition: 0 for a new producer epoch, then one more than the last
 * batch's last sequence. It learns them from every batch it loads or appends, so the numbering survives a failover.
 *
 * <p>Not thread-safe: owned by the group coordinator's thread.
 */
final class ProducerSequences {

    private record Last(short epoch, int lastSequence) {
    }

    private final Map<Long, Last> byProducer = new HashMap<>();

    /** The base sequence of the next batch of {@code producerId} at {@code epoch}. */
    int next(long producerId, short epoch) {
        Last last = byProducer.get(producerId);
        if (last == null || last.epoch() != epoch || last.lastSequence() == Integer.MAX_VALUE) {
            return 0;
        }
        return last.lastSequence() + 1;
    }

    /** Learns from a batch of the partition's log (loaded, or just appended). */
    void onBatch(RecordBatch batch) {
        if (!batch.hasProducerId()) {
            return;
        }
        Last last = byProducer.get(batch.producerId());
        if (batch.isControlBatch()) {
            // A marker with a new epoch (transaction version 2 bumps it) restarts the producer's sequence.
            if (last == null || last.epoch() != batch.producerEpoch()) {
                byProducer.put(batch.producerId(), new Last(batch.producerEpoch(), RecordBatch.NO_SEQUENCE));
            }
            return;
        }
        if (last == null || batch.producerEpoch() >= last.epoch()) {
            byProducer.put(batch.producerId(), new Last(batch.producerEpoch(), batch.lastSequence()));
        }
    }
}
