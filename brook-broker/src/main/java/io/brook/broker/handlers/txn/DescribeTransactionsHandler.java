package io.brook.broker.handlers.txn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TopicData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TopicDataCollection;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TransactionState;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeTransactionsRequest;
import org.apache.kafka.common.requests.DescribeTransactionsResponse;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.broker.txn.TransactionCoordinator;
import io.brook.broker.txn.TransactionMetadata;

/**
 * DescribeTransactions: the state of each transactional id this node coordinates (NOT_COORDINATOR for the others,
 * TRANSACTIONAL_ID_NOT_FOUND for unknown ids). Runs on the event loop.
 */
final class DescribeTransactionsHandler implements ApiHandler<DescribeTransactionsRequest> {

    private final TransactionCoordinator coordinator;

    DescribeTransactionsHandler(TransactionCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_TRANSACTIONS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, DescribeTransactionsRequest request) {
        List<CompletableFuture<TransactionState>> futures = new ArrayList<>();
        for (String id : request.data().transactionalIds()) {
            futures.add(coordinator.describe(id).thenApply(answer -> state(id, answer)));
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> new DescribeTransactionsResponse(new DescribeTransactionsResponseData()
                        .setTransactionStates(futures.stream().map(CompletableFuture::join).toList())));
    }

    private static TransactionState state(String id, Map.Entry<Errors, Optional<TransactionMetadata>> answer) {
        TransactionState state = new TransactionState().setTransactionalId(id).setErrorCode(answer.getKey().code());
        if (answer.getValue().isEmpty()) {
            return state;
        }
        TransactionMetadata m = answer.getValue().get();
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        for (TopicPartition tp : m.partitions()) {
            byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
        }
        TopicDataCollection topics = new TopicDataCollection();
        byTopic.forEach((topic, partitions) -> topics.add(new TopicData().setTopic(topic)
                .setPartitions(partitions.stream().sorted().toList())));
        return state.setTransactionState(m.state().displayName()).setTransactionTimeoutMs(m.timeoutMs())
                .setTransactionStartTimeMs(m.startTimestamp()).setProducerId(m.producerId())
                .setProducerEpoch(m.producerEpoch()).setTopics(topics);
    }
}
