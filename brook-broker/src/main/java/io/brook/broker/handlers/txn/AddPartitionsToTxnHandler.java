package io.brook.broker.handlers.txn;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnResultCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.broker.txn.TransactionCoordinator;
import io.brook.broker.txn.TransactionMetadata;
import io.brook.metadata.MetadataStore;
import io.brook.metadata.TopicImage;

/**
 * AddPartitionsToTxn: the client form (v0-3, one transaction) adds partitions to the producer's transaction; the
 * broker form (v4+, a batch of transactions) either verifies that partitions are in their transactions
 * ({@code verify_only}, what a partition leader asks before a transactional append) or adds them (transaction
 * version 2, the leader adding on the producer's behalf). As Kafka, partitions of unknown topics fail with
 * UNKNOWN_TOPIC_OR_PARTITION and then the others of that transaction with OPERATION_NOT_ATTEMPTED, without a write.
 *
 * <p>Runs on the event loop; the coordinator answers from its thread once its write is committed.
 */
final class AddPartitionsToTxnHandler implements ApiHandler<AddPartitionsToTxnRequest> {

    private final TransactionCoordinator coordinator;
    private final MetadataStore metadata;

    AddPartitionsToTxnHandler(TransactionCoordinator coordinator, MetadataStore metadata) {
        this.coordinator = coordinator;
        this.metadata = metadata;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ADD_PARTITIONS_TO_TXN;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, AddPartitionsToTxnRequest request) {
        if (context.apiVersion() <= 3) {
            String id = request.data().v3AndBelowTransactionalId();
            Set<TopicPartition> partitions = new HashSet<>(
                    AddPartitionsToTxnRequest.getPartitions(request.data().v3AndBelowTopics()));
            return handleOne(id, request.data().v3AndBelowProducerId(), request.data().v3AndBelowProducerEpoch(),
                    false, false, partitions).thenApply(errors -> {
                        AddPartitionsToTxnResult result = AddPartitionsToTxnResponse
                                .resultForTransaction(AddPartitionsToTxnResponse.V3_AND_BELOW_TXN_ID, errors);
                        return new AddPartitionsToTxnResponse(new AddPartitionsToTxnResponseData()
                                .setResultsByTopicV3AndBelow(result.topicResults()));
                    });
        }
        List<AddPartitionsToTxnTransaction> transactions = List.copyOf(request.data().transactions());
        Map<String, CompletableFuture<Map<TopicPartition, Errors>>> futures = new HashMap<>();
        for (AddPartitionsToTxnTransaction t : transactions) {
            futures.put(t.transactionalId(), handleOne(t.transactionalId(), t.producerId(), t.producerEpoch(),
                    true, t.verifyOnly(), new HashSet<>(AddPartitionsToTxnRequest.getPartitions(t.topics()))));
        }
        return CompletableFuture.allOf(futures.values().toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            AddPartitionsToTxnResultCollection results = new AddPartitionsToTxnResultCollection();
            futures.forEach((id, f) -> results.add(AddPartitionsToTxnResponse.resultForTransaction(id, f.join())));
            return new AddPartitionsToTxnResponse(new AddPartitionsToTxnResponseData()
                    .setErrorCode(Errors.NONE.code()).setResultsByTransaction(results));
        });
    }

    private CompletableFuture<Map<TopicPartition, Errors>> handleOne(String transactionalId, long producerId,
            short epoch, boolean brokerForm, boolean verifyOnly, Set<TopicPartition> partitions) {
        Map<TopicPartition, Errors> unknown = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Optional<TopicImage> topic = metadata.image().topic(tp.topic());
            if (topic.isEmpty() || tp.partition() < 0 || tp.partition() >= topic.get().partitionCount()) {
                unknown.put(tp, Errors.UNKNOWN_TOPIC_OR_PARTITION);
            }
        }
        if (!unknown.isEmpty()) {
            Map<TopicPartition, Errors> errors = new HashMap<>(unknown);
            partitions.forEach(tp -> errors.putIfAbsent(tp, Errors.OPERATION_NOT_ATTEMPTED));
            return CompletableFuture.completedFuture(errors);
        }
        if (verifyOnly) {
            return coordinator.verify(transactionalId, producerId, epoch, partitions);
        }
        // Only a partition leader sends the broker form to add (transaction version 2); clients (v0-3) are version 1.
        short transactionVersion = brokerForm ? TransactionMetadata.TRANSACTION_VERSION_2 : 0;
        return coordinator.addPartitions(transactionalId, producerId, epoch, partitions, transactionVersion)
                .thenApply(error -> {
                    Map<TopicPartition, Errors> errors = new HashMap<>();
                    partitions.forEach(tp -> errors.put(tp, error));
                    return errors;
                });
    }
}
