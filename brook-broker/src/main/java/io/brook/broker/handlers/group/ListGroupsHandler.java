package io.brook.broker.handlers.group;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ListGroupsRequest;
import org.apache.kafka.common.requests.ListGroupsResponse;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;

/** ListGroups over every shard, with the states filter (v4+) and the types filter (v5+). */
final class ListGroupsHandler implements ApiHandler<ListGroupsRequest> {

    private final GroupCoordinator coordinator;

    ListGroupsHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_GROUPS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, ListGroupsRequest request) {
        short version = context.apiVersion();
        Set<String> states = new HashSet<>(request.data().statesFilter());
        Set<String> types = new HashSet<>(request.data().typesFilter());
        short[] errorCode = {0};
        return coordinator.readAll(shard -> shard.list(states, types), error -> {
            errorCode[0] = error.code();
            return List.of();
        }).thenApply(groups -> {
            groups.forEach(g -> {
                if (version < 4) {
                    g.setGroupState("");
                }
                if (version < 5) {
                    g.setGroupType("");
                }
            });
            return new ListGroupsResponse(new ListGroupsResponseData().setErrorCode(errorCode[0])
                    .setGroups(new java.util.ArrayList<ListedGroup>(groups)));
        });
    }
}
