package io.brook.broker.txn;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.TransactionResult;

/**
 * Writes a transaction marker to a coordinator's internal partition ({@code __consumer_offsets}) through the
 * coordinator that owns it, so the coordinator applies the marker to its state (commits or drops the producer's
 * pending transactional offsets) in log order. WriteTxnMarkers uses it for the partitions of internal topics it is
 * registered for; other partitions get their markers from the data path directly.
 *
 * <p>Registered in {@link io.brook.broker.BrokerServices} by the group coordinator's family. Thread-safe; never blocks
 * the caller.
 */
public interface TransactionMarkerWriter {

    /** Whether this writer owns the markers of {@code partition}. */
    boolean handles(TopicPartition partition);

    /**
     * Appends a {@code result} marker for the producer to {@code partition} and completes once it is committed
     * (replicated to the in-sync replicas, as acks=all) and applied, with {@link Errors#NONE} or the error to answer
     * WriteTxnMarkers with for that partition (NOT_LEADER_OR_FOLLOWER, COORDINATOR_LOAD_IN_PROGRESS,
     * NOT_ENOUGH_REPLICAS, KAFKA_STORAGE_ERROR...). Never completes exceptionally.
     */
    CompletableFuture<Errors> writeMarker(TopicPartition partition, long producerId, short producerEpoch,
            int coordinatorEpoch, TransactionResult result);
}
