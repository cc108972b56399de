package io.brook.broker.handlers.group;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.HeartbeatResponse;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;

/** Heartbeat: keeps a member's session alive and tells it when to rejoin (REBALANCE_IN_PROGRESS). */
final class HeartbeatHandler implements ApiHandler<HeartbeatRequest> {

    private final GroupCoordinator coordinator;

    HeartbeatHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.HEARTBEAT;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, HeartbeatRequest request) {
        return coordinator.<Errors>read(request.data().groupId(),
                (shard, now) -> shard.heartbeat(request.data(), now), error -> error)
                .thenApply(error -> new HeartbeatResponse(new HeartbeatResponseData().setErrorCode(error.code())));
    }
}
