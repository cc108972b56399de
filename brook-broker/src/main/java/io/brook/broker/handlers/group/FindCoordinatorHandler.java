package io.brook.broker.handlers.group;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.Endpoint;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData.Coordinator;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;

/**
 * FindCoordinator: one key (v0–3) or a batch (v4+). A group's coordinator is this node, once
 * {@code __consumer_offsets} exists (created on the first request). Transactions have no coordinator yet
 * (COORDINATOR_NOT_AVAILABLE). Runs on the event loop; the topic creation runs on the coordinator's thread.
 */
final class FindCoordinatorHandler implements ApiHandler<FindCoordinatorRequest> {

    private static final byte GROUP = 0;
    private static final byte TRANSACTION = 1;

    private final GroupCoordinator coordinator;
    private final int nodeId;
    private final List<Endpoint> endpoints;

    FindCoordinatorHandler(GroupCoordinator coordinator, int nodeId, List<Endpoint> endpoints) {
        this.coordinator = coordinator;
        this.nodeId = nodeId;
        this.endpoints = endpoints;
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
        Endpoint endpoint = endpoints.stream().filter(e -> context.listenerName().equals(e.listener())).findFirst()
                .orElse(endpoints.get(0));
        List<CompletableFuture<Coordinator>> futures = new ArrayList<>();
        for (String key : keys) {
            futures.add(find(keyType, key).thenApply(error -> {
                Coordinator c = new Coordinator().setKey(key).setErrorCode(error.code());
                if (error == Errors.NONE) {
                    return c.setNodeId(nodeId).setHost(endpoint.host()).setPort(endpoint.port());
                }
                return c.setNodeId(-1).setHost("").setPort(-1).setErrorMessage(error.message());
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

    private CompletableFuture<Errors> find(byte keyType, String key) {
        if (keyType == TRANSACTION) {
            return CompletableFuture.completedFuture(Errors.COORDINATOR_NOT_AVAILABLE);
        }
        if (keyType != GROUP) {
            return CompletableFuture.completedFuture(Errors.INVALID_REQUEST);
        }
        return coordinator.ensureCoordinator(key == null ? "" : key);
    }
}
