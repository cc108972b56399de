package io.brook.broker.handlers.group;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.LeaveGroupRequest;
import org.apache.kafka.common.requests.LeaveGroupResponse;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.broker.group.GroupShard.LeaveResult;

/** LeaveGroup: one member (v0–2) or a batch with instance ids (v3+). */
final class LeaveGroupHandler implements ApiHandler<LeaveGroupRequest> {

    private final GroupCoordinator coordinator;

    LeaveGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LEAVE_GROUP;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, LeaveGroupRequest request) {
        short version = context.apiVersion();
        List<MemberIdentity> members = version >= 3
                ? request.data().members()
                : List.of(new MemberIdentity().setMemberId(request.data().memberId()));
        String groupId = request.data().groupId();
        return coordinator.<LeaveResult>write(groupId, (shard, now, f) -> shard.leave(groupId, members, now, f),
                error -> new LeaveResult(error, List.of()))
                // kafka-clients folds a single member's error into the top-level one for v0-2.
                .thenApply(result -> new LeaveGroupResponse(result.members(), result.error(), 0, version));
    }
}
