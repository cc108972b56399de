package io.brook.broker.handlers.group;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.SyncGroupRequest;
import org.apache.kafka.common.requests.SyncGroupResponse;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;

/** SyncGroup: the leader's assignments are stored durably before any member gets its own. */
final class SyncGroupHandler implements ApiHandler<SyncGroupRequest> {

    private final GroupCoordinator coordinator;

    SyncGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SYNC_GROUP;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, SyncGroupRequest request) {
        SyncGroupRequestData data = request.data();
        short version = context.apiVersion();
        return coordinator.<SyncGroupResponseData>write(data.groupId(), (shard, now, f) -> shard.sync(data, now, f),
                error -> new SyncGroupResponseData().setErrorCode(error.code()).setAssignment(new byte[0]))
                .thenApply(response -> {
                    if (version < 5) {
                        response.setProtocolType(null).setProtocolName(null);
                    }
                    return new SyncGroupResponse(response);
                });
    }
}
