package io.brook.broker.handlers.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData.Coordinator;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;

import io.brook.broker.BrokerContext;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.broker.cluster.ClusterView;
import io.brook.broker.txn.TransactionCoordinator;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.TopicImage;

/**
 * FindCoordinator: one key (v0–3) or a batch (v4+). A group's coordinator is the leader of its
 * {@code __consumer_offsets} partition (the topic is created on the first request); COORDINATOR_NOT_AVAILABLE while
 * that partition has no live leader. A transactional id's coordinator is the leader of its {@code __transaction_state}
 * partition, through the {@link TransactionCoordinator} the transaction family registers (COORDINATOR_NOT_AVAILABLE
 * without one). Runs on the event loop; the topic creation runs on the coordinator's thread.
 */
final class FindCoordinatorHandler implements ApiHandler<FindCoordinatorRequest> {

    private static final byte GROUP = 0;
    private static final byte TRANSACTION = 1;

    private final GroupCoordinator coordinator;
    private final BrokerContext broker;

    FindCoordinatorHandler(GroupCoordinator coordinator, BrokerContext broker) {
        this.coordinator = coordinator;
        this.broker = broker;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FIND_COORDINATOR;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, FindCoordinatorRequest request) {
        byte keyType = request.data().keyType();
        List<String> keys = context.apiVersion() >= 4
                ? request.data().coordinatorKeys()
                : List.of(request.data().key());
        List<CompletableFuture<Coordinator>> futures = new ArrayList<>();
        for (String key : keys) {
            futures.add(find(keyType, key).thenApply(error -> {
                Coordinator c = new Coordinator().setKey(key).setErrorCode(error.code());
                Optional<ClusterView.BrokerNode> node = error == Errors.NONE
                        ? leaderOf(keyType, key == null ? "" : key, context.listenerName())
                        : Optional.empty();
                if (node.isPresent()) {
                    return c.setNodeId(node.get().id()).setHost(node.get().host()).setPort(node.get().port());
                }
                Errors failed = error == Errors.NONE ? Errors.COORDINATOR_NOT_AVAILABLE : error;
                return c.setErrorCode(failed.code()).setNodeId(-1).setHost("").setPort(-1)
                        .setErrorMessage(failed.message());
            }));
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            List<Coordinator> coordinators = futures.stream().map(CompletableFuture::join).toList();
            FindCoordinatorResponseData data = new FindCoordinatorResponseData();
            if (context.apiVersion() >= 4) {
                data.setCoordinators(new ArrayList<>(coordinators));
            } else {
                Coordinator c = coordinators.get(0);
                data.setErrorCode(c.errorCode()).setNodeId(c.nodeId()).setHost(c.host()).setPort(c.port());
                if (context.apiVersion() >= 1) {
                    data.setErrorMessage(c.errorMessage());
                }
            }
            return new FindCoordinatorResponse(data);
        });
    }

    /**
     * The live leader of the key's partition of {@code __consumer_offsets} (a group) or {@code __transaction_state} (a
     * transactional id), with its endpoint on this listener.
     */
    private Optional<ClusterView.BrokerNode> leaderOf(byte keyType, String key, String listenerName) {
        MetadataImage image = broker.metadata().image();
        boolean transaction = keyType == TRANSACTION;
        Optional<TopicImage> topic = image.topic(transaction
                ? Topic.TRANSACTION_STATE_TOPIC_NAME
                : Topic.GROUP_METADATA_TOPIC_NAME);
        if (topic.isEmpty()) {
            return Optional.empty();
        }
        int partition = transaction
                ? TransactionCoordinator.partitionFor(key, topic.get().partitionCount())
                : GroupCoordinator.partitionFor(key, topic.get().partitionCount());
        int leader = ClusterView.partition(broker, topic.get(), partition).leader();
        return ClusterView.brokers(broker, image, listenerName, false).stream().filter(b -> b.id() == leader)
                .findFirst();
    }

    private CompletableFuture<Errors> find(byte keyType, String key) {
        if (keyType == TRANSACTION) {
            if (key == null || key.isEmpty()) {
                return CompletableFuture.completedFuture(Errors.INVALID_REQUEST);
            }
            return broker.services().find(TransactionCoordinator.class)
                    .map(TransactionCoordinator::ensureCoordinator)
                    .orElseGet(() -> CompletableFuture.completedFuture(Errors.COORDINATOR_NOT_AVAILABLE));
        }
        if (keyType != GROUP) {
            return CompletableFuture.completedFuture(Errors.INVALID_REQUEST);
        }
        return coordinator.ensureCoordinator(key == null ? "" : key);
    }
}
