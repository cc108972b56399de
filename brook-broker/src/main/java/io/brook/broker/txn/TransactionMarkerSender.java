package io.brook.broker.txn;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.requests.TransactionResult;

/**
 * Delivers a completing transaction's markers to the leaders of its partitions (WriteTxnMarkers), retrying until each
 * partition has its marker. The coordinator writes CompleteCommit/CompleteAbort once the returned future says so.
 *
 * <p>Thread-safe; never blocks the caller.
 */
public interface TransactionMarkerSender extends AutoCloseable {

    /** The markers of one transaction; {@code coordinatorEpoch} is the leader epoch of its state partition. */
    record MarkerJob(String transactionalId, long producerId, short producerEpoch, int coordinatorEpoch,
            TransactionResult result, Set<TopicPartition> partitions, short transactionVersion) {

        public MarkerJob {
            partitions = Set.copyOf(partitions);
        }

        /** Markers of a transaction version 1 transaction. */
        public MarkerJob(String transactionalId, long producerId, short producerEpoch, int coordinatorEpoch,
                TransactionResult result, Set<TopicPartition> partitions) {
            this(transactionalId, producerId, producerEpoch, coordinatorEpoch, result, partitions, (short) 0);
        }
    }

    /**
     * Completes with true once every partition of {@code job} has its marker (a partition of a deleted topic counts as
     * done), or false when sending is abandoned: the sender closes, or a leader says this coordinator is fenced (a
     * newer coordinator of the transaction finishes it). Never completes exceptionally.
     */
    CompletableFuture<Boolean> send(MarkerJob job);

    @Override
    void close();
}
