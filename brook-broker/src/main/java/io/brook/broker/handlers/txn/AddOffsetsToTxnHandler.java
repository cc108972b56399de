package io.brook.broker.handlers.txn;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AddOffsetsToTxnRequest;
import org.apache.kafka.common.requests.AddOffsetsToTxnResponse;
import org.apache.kafka.common.utils.Utils;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.broker.txn.TransactionCoordinator;

/**
 * AddOffsetsToTxn: adds the group's {@code __consumer_offsets} partition to the producer's transaction, so the
 * transaction's end writes a marker there too (committing or dropping its TxnOffsetCommits). Runs on the event loop.
 */
final class AddOffsetsToTxnHandler implements ApiHandler<AddOffsetsToTxnRequest> {

    private final TransactionCoordinator coordinator;
    private final IntSupplier offsetsPartitions;

    /** @param offsetsPartitions the partition count of {@code __consumer_offsets} (existing, else configured) */
    AddOffsetsToTxnHandler(TransactionCoordinator coordinator, IntSupplier offsetsPartitions) {
        this.coordinator = coordinator;
        this.offsetsPartitions = offsetsPartitions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ADD_OFFSETS_TO_TXN;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, AddOffsetsToTxnRequest request) {
        AddOffsetsToTxnRequestData data = request.data();
        TopicPartition offsets = new TopicPartition(Topic.GROUP_METADATA_TOPIC_NAME,
                Utils.abs(data.groupId().hashCode()) % offsetsPartitions.getAsInt());
        return coordinator.addPartitions(data.transactionalId(), data.producerId(), data.producerEpoch(),
                Set.of(offsets)).thenApply(
                        error -> new AddOffsetsToTxnResponse(
                                new AddOffsetsToTxnResponseData().setErrorCode(error.code())));
    }
}
