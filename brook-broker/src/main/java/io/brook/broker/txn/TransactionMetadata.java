package io.brook.broker.txn;

import java.util.HashSet;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * What the coordinator knows of one transactional id: the value of its {@code __transaction_state} record. Kafka's
 * TransactionMetadata fields, as an immutable value: every change is a new value, written to the log and then
 * replayed.
 *
 * @param previousProducerId the producer id before the last rotation (epoch exhaustion), so a retried
 *        InitProducerId of the old producer is recognised; -1 if none (not stored in the log, as Kafka's v0 value)
 * @param lastProducerEpoch the epoch before the last bump, so a retried InitProducerId gets the same answer; -1 if
 *        none (not stored in the log)
 * @param partitions the partitions of the ongoing (or completing) transaction; empty otherwise
 * @param startTimestamp when the ongoing transaction added its first partition; -1 when none is ongoing
 * @param nextProducerId transaction version 2: the producer id the id moves to when the completing transaction
 *        exhausted the epoch, -1 otherwise (not stored in the log)
 * @param clientTransactionVersion the transaction version of the producer's last EndTxn: 2 bumps the epoch at every
 *        EndTxn (KIP-890), 0 otherwise (not stored in the log)
 */
public record TransactionMetadata(String transactionalId, long producerId, long previousProducerId, short producerEpoch,
        short lastProducerEpoch, int timeoutMs, TransactionState state, Set<TopicPartition> partitions,
        long startTimestamp, long lastUpdateTimestamp, long nextProducerId, short clientTransactionVersion) {

    /** Transaction version 2's epoch bump at every EndTxn. */
    public static final short TRANSACTION_VERSION_2 = 2;

    public TransactionMetadata {
        partitions = Set.copyOf(partitions);
    }

    /** Metadata without transaction version 2's fields (what Kafka's value v0 stores). */
    public TransactionMetadata(String transactionalId, long producerId, long previousProducerId, short producerEpoch,
            short lastProducerEpoch, int timeoutMs, TransactionState state, Set<TopicPartition> partitions,
            long startTimestamp, long lastUpdateTimestamp) {
        this(transactionalId, producerId, previousProducerId, producerEpoch, lastProducerEpoch, timeoutMs, state,
                partitions, startTimestamp, lastUpdateTimestamp, RecordBatch.NO_PRODUCER_ID, (short) 0);
    }

    public boolean isTransactionVersion2() {
        return clientTransactionVersion >= TRANSACTION_VERSION_2;
    }

    /** A new id, before its first epoch: InitProducerId bumps the epoch to 0. */
    static TransactionMetadata fresh(String transactionalId, long producerId, int timeoutMs, long now) {
        return new TransactionMetadata(transactionalId, producerId, RecordBatch.NO_PRODUCER_ID,
                RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_PRODUCER_EPOCH, timeoutMs, TransactionState.EMPTY,
                Set.of(), -1, now);
    }

    /** Kafka keeps the last epoch free for fencing: an id at {@code Short.MAX_VALUE - 1} needs a new producer id. */
    public static boolean isEpochExhausted(short epoch) {
        return epoch >= Short.MAX_VALUE - 1;
    }

    public boolean isEpochExhausted() {
        return isEpochExhausted(producerEpoch);
    }

    /** This metadata moved to {@code next}, checking the transition is one Kafka allows. */
    TransactionMetadata to(TransactionState next, Set<TopicPartition> nextPartitions, long nextStart, long now) {
        if (!next.canTransitionFrom(state)) {
            throw new IllegalStateException(transactionalId + ": illegal transition " + state + " -> " + next);
        }
        return new TransactionMetadata(transactionalId, producerId, previousProducerId, producerEpoch,
                lastProducerEpoch, timeoutMs, next, nextPartitions, nextStart, now, nextProducerId,
                clientTransactionVersion);
    }

    TransactionMetadata withEpochs(short epoch, short lastEpoch) {
        return new TransactionMetadata(transactionalId, producerId, previousProducerId, epoch, lastEpoch, timeoutMs,
                state, partitions, startTimestamp, lastUpdateTimestamp, nextProducerId, clientTransactionVersion);
    }

    TransactionMetadata withProducerId(long newProducerId, long oldProducerId, short epoch, short lastEpoch) {
        return new TransactionMetadata(transactionalId, newProducerId, oldProducerId, epoch, lastEpoch, timeoutMs,
                state, partitions, startTimestamp, lastUpdateTimestamp, nextProducerId, clientTransactionVersion);
    }

    TransactionMetadata withTimeout(int newTimeoutMs) {
        return new TransactionMetadata(transactionalId, producerId, previousProducerId, producerEpoch,
                lastProducerEpoch, newTimeoutMs, state, partitions, startTimestamp, lastUpdateTimestamp,
                nextProducerId, clientTransactionVersion);
    }

    /** Transaction version 2's fields set. */
    TransactionMetadata withVersion2(long newNextProducerId, short transactionVersion) {
        return new TransactionMetadata(transactionalId, producerId, previousProducerId, producerEpoch,
                lastProducerEpoch, timeoutMs, state, partitions, startTimestamp, lastUpdateTimestamp,
                newNextProducerId, transactionVersion);
    }

    /** The partitions plus {@code added}. */
    Set<TopicPartition> partitionsWith(Set<TopicPartition> added) {
        Set<TopicPartition> all = new HashSet<>(partitions);
        all.addAll(added);
        return all;
    }
}
