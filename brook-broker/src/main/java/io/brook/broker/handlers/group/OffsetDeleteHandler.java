package io.brook.broker.handlers.group;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.OffsetDeleteRequest;
import org.apache.kafka.common.requests.OffsetDeleteResponse;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;

/** OffsetDelete: GROUP_SUBSCRIBED_TO_TOPIC for topics an active consumer group reads. */
final class OffsetDeleteHandler implements ApiHandler<OffsetDeleteRequest> {

    private final GroupCoordinator coordinator;

    OffsetDeleteHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_DELETE;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, OffsetDeleteRequest request) {
        OffsetDeleteRequestData data = request.data();
        return coordinator.<OffsetDeleteResponseData>write(data.groupId(),
                (shard, now, f) -> shard.deleteOffsets(data, f),
                error -> new OffsetDeleteResponseData().setErrorCode(error.code()))
                .thenApply(OffsetDeleteResponse::new);
    }
}
