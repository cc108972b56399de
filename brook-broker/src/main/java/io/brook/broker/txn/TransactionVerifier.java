package io.brook.broker.txn;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * How a partition leader asks the transaction coordinator, before appending a transactional batch, whether the
 * producer's ongoing transaction includes the partition (Kafka's produce-side verification, KIP-890). With
 * {@code addPartition} (transaction version 2, where clients no longer send AddPartitionsToTxn) the coordinator adds
 * the partition to the transaction instead of only checking it.
 *
 * <p>Registered in {@link io.brook.broker.BrokerServices} by the transaction coordinator's family; the data path looks
 * it up per request and appends without verification when none is registered. Thread-safe; never blocks the caller.
 */
public interface TransactionVerifier {

    /**
     * Completes with {@link Errors#NONE} when the batch may be appended, or with the error the Produce must answer for
     * that partition (for example INVALID_TXN_STATE, INVALID_PRODUCER_EPOCH, PRODUCER_FENCED, CONCURRENT_TRANSACTIONS,
     * NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE). Never completes exceptionally.
     */
    CompletableFuture<Errors> verify(String transactionalId, long producerId, short producerEpoch,
            TopicPartition partition, boolean addPartition);

    /**
     * After CONCURRENT_TRANSACTIONS: completes when asking again is worth it, i.e. when the id's previous transaction
     * finished completing, if this verifier can tell (a coordinator on this node); otherwise never, and the caller
     * asks again after its backoff. Never fails.
     */
    default CompletableFuture<Void> whenNotCompleting(String transactionalId) {
        return new CompletableFuture<>();
    }
}
