package io.brook.broker.handlers.group;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.JoinGroupResponse;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;

/** JoinGroup: routed to the group's shard; answered when the rebalance completes (or at once on error). */
final class JoinGroupHandler implements ApiHandler<JoinGroupRequest> {

    private final GroupCoordinator coordinator;

    JoinGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.JOIN_GROUP;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, JoinGroupRequest request) {
        short version = context.apiVersion();
        JoinGroupRequestData data = request.data();
        if (version == 0) {
            // v0 has no rebalance timeout: Kafka uses the session timeout.
            data.setRebalanceTimeoutMs(data.sessionTimeoutMs());
        }
        String host = context.clientAddress() == null ? "" : context.clientAddress().toString();
        return coordinator.<JoinGroupResponseData>write(data.groupId(),
                (shard, now, f) -> shard.join(data, version, context.clientId(), host, now, f),
                error -> new JoinGroupResponseData().setErrorCode(error.code()).setGenerationId(-1)
                        .setMemberId(data.memberId()).setLeader("").setProtocolName(null))
                .thenApply(response -> shape(response, version));
    }

    /** Fields that older versions cannot carry take the values those versions expect. */
    private static AbstractResponse shape(JoinGroupResponseData response, short version) {
        if (version < 7 && response.protocolName() == null) {
            response.setProtocolName("");
        }
        if (version < 5) {
            response.members().forEach(m -> m.setGroupInstanceId(null));
        }
        if (version < 4 && response.errorCode() == Errors.MEMBER_ID_REQUIRED.code()) {
            response.setErrorCode(Errors.UNKNOWN_MEMBER_ID.code());
        }
        return new JoinGroupResponse(response, version);
    }
}
