package io.brook.broker.handlers.group;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResultCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DeleteGroupsRequest;
import org.apache.kafka.common.requests.DeleteGroupsResponse;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;

/** DeleteGroups: empty groups only (NON_EMPTY_GROUP otherwise); answered once the tombstones are durable. */
final class DeleteGroupsHandler implements ApiHandler<DeleteGroupsRequest> {

    private final GroupCoordinator coordinator;

    DeleteGroupsHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_GROUPS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, DeleteGroupsRequest request) {
        List<CompletableFuture<List<DeletableGroupResult>>> futures = new ArrayList<>();
        for (String groupId : new java.util.LinkedHashSet<>(request.data().groupsNames())) {
            futures.add(coordinator.write(groupId, (shard, now, f) -> shard.deleteGroups(List.of(groupId), f),
                    error -> List.of(new DeletableGroupResult().setGroupId(groupId).setErrorCode(error.code()))));
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            DeletableGroupResultCollection results = new DeletableGroupResultCollection();
            futures.forEach(f -> f.join().forEach(r -> results.add(r.duplicate())));
            return new DeleteGroupsResponse(new DeleteGroupsResponseData().setResults(results));
        });
    }
}
