package io.brook.broker.handlers.group;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ConsumerGroupDescribeRequest;
import org.apache.kafka.common.requests.ConsumerGroupDescribeResponse;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;

/** ConsumerGroupDescribe (KIP-848): each group from its shard; a classic or unknown group gets GROUP_ID_NOT_FOUND. */
final class ConsumerGroupDescribeHandler implements ApiHandler<ConsumerGroupDescribeRequest> {

    private final GroupCoordinator coordinator;

    ConsumerGroupDescribeHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CONSUMER_GROUP_DESCRIBE;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, ConsumerGroupDescribeRequest request) {
        short version = context.apiVersion();
        List<CompletableFuture<DescribedGroup>> futures = new ArrayList<>();
        for (String groupId : request.data().groupIds()) {
            futures.add(coordinator.read(groupId, (shard, now) -> shard.consumerDescribe(groupId),
                    error -> new DescribedGroup().setGroupId(groupId).setErrorCode(error.code())));
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            List<DescribedGroup> groups = new ArrayList<>(futures.stream().map(CompletableFuture::join).toList());
            if (version < 1) {
                groups.forEach(g -> g.members().forEach(m -> m.setMemberType((byte) -1)));
            }
            return new ConsumerGroupDescribeResponse(new ConsumerGroupDescribeResponseData().setGroups(groups));
        });
    }
}
