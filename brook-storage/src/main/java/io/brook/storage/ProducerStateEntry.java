package io.brook.storage;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * What a partition remembers about one idempotent producer: its epoch and the last {@value #NUM_BATCHES_TO_RETAIN}
 * batches it wrote (enough to recognise any retry of an in-flight request, since a producer has at most 5 in flight).
 *
 * <p>Not thread-safe: owned by the {@link ProducerStateManager}, used under the log's lock.
 */
final class ProducerStateEntry {

    static final int NUM_BATCHES_TO_RETAIN = 5;

    /** Sequence range and assigned offsets of one appended batch. */
    record BatchMetadata(int firstSeq, int lastSeq, long firstOffset, long lastOffset, long timestamp) {
    }

    private final long producerId;
    private short producerEpoch;
    private final Deque<BatchMetadata> batches = new ArrayDeque<>(NUM_BATCHES_TO_RETAIN);
    /** Epoch of the transaction coordinator that wrote the producer's last marker; -1 before any. */
    private int coordinatorEpoch = -1;
    /** First offset of the producer's ongoing transaction here, -1 when none is open. */
    private long currentTxnFirstOffset = -1;

    ProducerStateEntry(long producerId, short producerEpoch) {
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
    }

    static ProducerStateEntry empty(long producerId) {
        return new ProducerStateEntry(producerId, RecordBatch.NO_PRODUCER_EPOCH);
    }

    ProducerStateEntry copy() {
        ProducerStateEntry copy = new ProducerStateEntry(producerId, producerEpoch);
        copy.batches.addAll(batches);
        copy.coordinatorEpoch = coordinatorEpoch;
        copy.currentTxnFirstOffset = currentTxnFirstOffset;
        return copy;
    }

    long producerId() {
        return producerId;
    }

    short producerEpoch() {
        return producerEpoch;
    }

    int coordinatorEpoch() {
        return coordinatorEpoch;
    }

    void coordinatorEpoch(int epoch) {
        coordinatorEpoch = epoch;
    }

    long currentTxnFirstOffset() {
        return currentTxnFirstOffset;
    }

    boolean hasOngoingTxn() {
        return currentTxnFirstOffset >= 0;
    }

    void currentTxnFirstOffset(long offset) {
        currentTxnFirstOffset = offset;
    }

    Iterable<BatchMetadata> batches() {
        return batches;
    }

    boolean isEmpty() {
        return batches.isEmpty() && !hasOngoingTxn();
    }

    int lastSeq() {
        return batches.isEmpty() ? RecordBatch.NO_SEQUENCE : batches.peekLast().lastSeq();
    }

    /** Last offset of the newest batch kept, or -1 when none is. */
    long lastDataOffset() {
        return batches.isEmpty() ? -1 : batches.peekLast().lastOffset();
    }

    long lastTimestamp() {
        return batches.isEmpty() ? RecordBatch.NO_TIMESTAMP : batches.peekLast().timestamp();
    }

    /** Moves to a new epoch, forgetting the batches of the old one. */
    void bumpEpoch(short epoch) {
        if (epoch != producerEpoch) {
            producerEpoch = epoch;
            batches.clear();
        }
    }

    void addBatch(BatchMetadata batch) {
        if (batches.size() == NUM_BATCHES_TO_RETAIN) {
            batches.removeFirst();
        }
        batches.addLast(batch);
    }

    /** The earlier append this batch repeats (same epoch and sequence range), if any. */
    Optional<BatchMetadata> findDuplicate(RecordBatch batch) {
        if (batch.producerEpoch() != producerEpoch) {
            return Optional.empty();
        }
        for (BatchMetadata metadata : batches) {
            if (metadata.firstSeq() == batch.baseSequence() && metadata.lastSeq() == batch.lastSequence()) {
                return Optional.of(metadata);
            }
        }
        return Optional.empty();
    }
}
