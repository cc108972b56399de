package io.brook.broker.handlers.group;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.TransactionResult;

import io.brook.broker.txn.TransactionMarkerWriter;

/**
 * Writes the transaction markers of {@code __consumer_offsets} through the {@link GroupCoordinator}, which applies
 * them to its shard in log order (commit: the producer's pending transactional offsets become committed; abort: they
 * are dropped). Registered in {@code BrokerServices} by {@link GroupHandlers}. Thread-safe; never blocks.
 */
final class GroupTransactionMarkerWriter implements TransactionMarkerWriter {

    private final GroupCoordinator coordinator;

    GroupTransactionMarkerWriter(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public boolean handles(TopicPartition partition) {
        return Topic.GROUP_METADATA_TOPIC_NAME.equals(partition.topic());
    }

    @Override
    public CompletableFuture<Errors> writeMarker(TopicPartition partition, long producerId, short producerEpoch,
            int coordinatorEpoch, TransactionResult result) {
        if (!handles(partition)) {
            return CompletableFuture.completedFuture(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        }
        return coordinator.writeMarker(partition.partition(), producerId, producerEpoch, coordinatorEpoch, result);
    }
}
