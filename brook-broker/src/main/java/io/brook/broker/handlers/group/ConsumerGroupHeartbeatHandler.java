package io.brook.broker.handlers.group;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatRequest;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatResponse;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;

/**
 * ConsumerGroupHeartbeat (KIP-848): join, subscription changes, reconciliation and leave of the consumer group
 * protocol, answered once the records describing the change are durable.
 */
final class ConsumerGroupHeartbeatHandler implements ApiHandler<ConsumerGroupHeartbeatRequest> {

    private final GroupCoordinator coordinator;

    ConsumerGroupHeartbeatHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CONSUMER_GROUP_HEARTBEAT;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, ConsumerGroupHeartbeatRequest request) {
        short version = context.apiVersion();
        ConsumerGroupHeartbeatRequestData data = request.data();
        if (data.groupId() == null || data.groupId().isEmpty()) {
            return CompletableFuture.completedFuture(new ConsumerGroupHeartbeatResponse(
                    new ConsumerGroupHeartbeatResponseData().setErrorCode(Errors.INVALID_REQUEST.code())
                            .setErrorMessage("GroupId can't be empty.")));
        }
        String host = context.clientAddress() == null ? "" : context.clientAddress().toString();
        return coordinator.<ConsumerGroupHeartbeatResponseData>write(data.groupId(),
                (shard, now, f) -> shard.consumerHeartbeat(data, version, context.clientId(), host, now, f),
                error -> new ConsumerGroupHeartbeatResponseData().setErrorCode(error.code()))
                .thenApply(ConsumerGroupHeartbeatResponse::new);
    }
}
