package io.brook.broker.handlers.group;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeGroupsRequest;
import org.apache.kafka.common.requests.DescribeGroupsResponse;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;

/** DescribeGroups: an unknown group is described as Dead with no members, as Kafka does. */
final class DescribeGroupsHandler implements ApiHandler<DescribeGroupsRequest> {

    private final GroupCoordinator coordinator;

    DescribeGroupsHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_GROUPS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, DescribeGroupsRequest request) {
        short version = context.apiVersion();
        List<CompletableFuture<DescribedGroup>> futures = new ArrayList<>();
        for (String groupId : request.data().groups()) {
            futures.add(coordinator.read(groupId, (shard, now) -> shard.describe(groupId),
                    error -> new DescribedGroup().setGroupId(groupId).setErrorCode(error.code())
                            .setGroupState("").setProtocolType("").setProtocolData("")));
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            List<DescribedGroup> groups = futures.stream().map(CompletableFuture::join).toList();
            if (version < 6) {
                // before v6 an unknown (or non-classic) group is only Dead, without an error
                groups.stream().filter(g -> g.errorCode() == Errors.GROUP_ID_NOT_FOUND.code())
                        .forEach(g -> g.setErrorCode(Errors.NONE.code()).setErrorMessage(null));
            }
            if (version < 4) {
                groups.forEach(g -> g.members().forEach(m -> m.setGroupInstanceId(null)));
            }
            return new DescribeGroupsResponse(new DescribeGroupsResponseData().setGroups(new ArrayList<>(groups)));
        });
    }
}
