package io.brook.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData.JoinGroupResponseMember;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import io.brook.broker.group.GroupShard.LeaveResult;

/** The classic group state machine driven by events and a manual clock. */
class GroupShardTest {

    private static final String GROUP = "g";
    private static final short V = 9;
    private static final int SESSION = 10_000;
    private static final int REBALANCE = 30_000;

    private final GroupConfig config = new GroupConfig(6000, 300_000, 3000, 4, 60_000, 1000, 4096);
    private GroupShard shard = new GroupShard(config);
    private final List<GroupRecord> written = new ArrayList<>();
    private long now = 1_000;

    GroupShardTest() {
        shard.loadComplete(now);
    }

    @Test
    void shouldRequireAMemberIdThenRebalanceThreeMembersAfterTheInitialDelay() {
        List<String> ids = new ArrayList<>();
        List<CompletableFuture<JoinGroupResponseData>> joins = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JoinGroupResponseData first = join("", null).join();
            assertThat(first.errorCode()).isEqualTo(Errors.MEMBER_ID_REQUIRED.code());
            ids.add(first.memberId());
            joins.add(join(first.memberId(), null));
        }
        assertThat(joins).noneMatch(CompletableFuture::isDone);
        assertThat(shard.state(GROUP)).contains(GroupState.PREPARING_REBALANCE);

        now += 3000;
        apply(shard.poll(now));

        assertThat(joins).allMatch(CompletableFuture::isDone);
        JoinGroupResponseData leader = joins.get(0).join();
        assertThat(leader.generationId()).isEqualTo(1);
        assertThat(leader.leader()).isEqualTo(ids.get(0));
        assertThat(leader.members()).hasSize(3);
        assertThat(joins.get(1).join().members()).isEmpty();
        assertThat(shard.state(GROUP)).contains(GroupState.COMPLETING_REBALANCE);

        CompletableFuture<SyncGroupResponseData> followerSync = sync(ids.get(1), 1, List.of());
        assertThat(followerSync).isNotDone();
        CompletableFuture<SyncGroupResponseData> leaderSync = sync(ids.get(0), 1,
                ids.stream().map(id -> new SyncGroupRequestAssignment().setMemberId(id).setAssignment(id.getBytes()))
                        .toList());
        assertThat(leaderSync.join().assignment()).isEqualTo(ids.get(0).getBytes());
        assertThat(followerSync.join().assignment()).isEqualTo(ids.get(1).getBytes());
        assertThat(sync(ids.get(2), 1, List.of()).join().assignment()).isEqualTo(ids.get(2).getBytes());
        assertThat(shard.state(GROUP)).contains(GroupState.STABLE);
        assertThat(written).anyMatch(r -> r instanceof GroupRecord.GroupMetadata);
        assertThat(shard.describe(GROUP).members()).hasSize(3).allSatisfy(member -> {
            assertThat(member.clientId()).isEqualTo("client");
            assertThat(member.clientHost()).isEqualTo("/127.0.0.1");
        });
    }

    @Test
    void shouldRebalanceWhenANewMemberJoinsAStableGroup() {
        String a = stableGroupOfOne();
        String b = join("", null).join().memberId();
        CompletableFuture<JoinGroupResponseData> bJoin = join(b, null);
        assertThat(heartbeat(a, 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        assertThat(bJoin).isNotDone();

        CompletableFuture<JoinGroupResponseData> aJoin = join(a, null);

        assertThat(aJoin.join().generationId()).isEqualTo(2);
        assertThat(aJoin.join().members()).hasSize(2);
        assertThat(bJoin.join().generationId()).isEqualTo(2);
    }

    @Test
    void shouldResendTheMembersToALeaderWhoseJoinResponseWasLost() {
        String a = stableGroupOfOne();
        String b = join("", null).join().memberId();
        CompletableFuture<JoinGroupResponseData> bJoin = join(b, null);
        CompletableFuture<JoinGroupResponseData> aJoin = join(a, null);
        assertThat(aJoin.join().members()).hasSize(2);
        assertThat(shard.state(GROUP)).contains(GroupState.COMPLETING_REBALANCE);

        JoinGroupResponseData leaderAgain = join(a, null).join();
        JoinGroupResponseData followerAgain = join(b, null).join();

        assertThat(leaderAgain.generationId()).isEqualTo(2);
        assertThat(leaderAgain.leader()).isEqualTo(a);
        assertThat(leaderAgain.members()).extracting(JoinGroupResponseMember::memberId).containsExactlyInAnyOrder(a, b);
        assertThat(followerAgain.generationId()).isEqualTo(2);
        assertThat(followerAgain.members()).isEmpty();
        assertThat(bJoin.join().generationId()).isEqualTo(2);
        assertThat(shard.state(GROUP)).contains(GroupState.COMPLETING_REBALANCE);
    }

    @Test
    void shouldRebalanceWhenAMemberLeavesAndBecomeEmptyWhenTheLastLeaves() {
        String a = stableGroupOfOne();
        LeaveResult result = leave(new MemberIdentity().setMemberId(a));
        assertThat(result.members().get(0).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(shard.state(GROUP)).contains(GroupState.EMPTY);
        assertThat(shard.generation(GROUP)).isEqualTo(2);
        assertThat(leave(new MemberIdentity().setMemberId(a)).members().get(0).errorCode())
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
    }

    @Test
    void shouldEvictAMemberWhoseSessionExpires() {
        String a = stableGroupOfOne();
        now += SESSION - 1;
        apply(shard.poll(now));
        assertThat(shard.memberIds(GROUP)).containsExactly(a);
        assertThat(shard.nextDeadline()).isEqualTo(now + 1);

        now += 1;
        apply(shard.poll(now));

        assertThat(shard.memberIds(GROUP)).isEmpty();
        assertThat(shard.state(GROUP)).contains(GroupState.EMPTY);
    }

    @Test
    void shouldLetAStaticMemberRejoinWithoutRebalanceAndFenceItsOldId() {
        String leader = stableGroupOfOne();
        CompletableFuture<JoinGroupResponseData> staticJoin = join("", "instance-1");
        CompletableFuture<JoinGroupResponseData> leaderJoin = join(leader, null);
        String staticId = staticJoin.join().memberId();
        assertThat(leaderJoin.join().generationId()).isEqualTo(2);
        sync(leader, 2, List.of(new SyncGroupRequestAssignment().setMemberId(staticId).setAssignment(new byte[]{7})));

        JoinGroupResponseData rejoin = join("", "instance-1").join();

        assertThat(rejoin.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(rejoin.generationId()).isEqualTo(2);
        assertThat(rejoin.memberId()).isNotEqualTo(staticId);
        assertThat(shard.state(GROUP)).contains(GroupState.STABLE);
        assertThat(heartbeat(staticId, 2, "instance-1")).isEqualTo(Errors.FENCED_INSTANCE_ID);
        assertThat(heartbeat(rejoin.memberId(), 2, "instance-1")).isEqualTo(Errors.NONE);
    }

    @Test
    void shouldAnswerFencingErrorsAsKafkaDoes() {
        String a = stableGroupOfOne();
        assertThat(heartbeat(a, 7)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(heartbeat("nobody", 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(sync(a, 3, List.of()).join().errorCode()).isEqualTo(Errors.ILLEGAL_GENERATION.code());
        assertThat(commit(a, 5, 10).join().topics().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.ILLEGAL_GENERATION.code());
        assertThat(commit("nobody", 1, 10).join().topics().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        assertThat(join("x", null).join().errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
    }

    @Test
    void shouldRefuseAJoinBeyondTheGroupMaxSize() {
        for (int i = 0; i < 4; i++) {
            join(join("", null).join().memberId(), null);
        }
        assertThat(join("", null).join().errorCode()).isEqualTo(Errors.GROUP_MAX_SIZE_REACHED.code());
    }

    @Test
    void shouldRefuseAnInconsistentProtocol() {
        stableGroupOfOne();
        JoinGroupRequestData request = joinRequest("", null).setProtocolType("connect");
        CompletableFuture<JoinGroupResponseData> future = new CompletableFuture<>();
        apply(shard.join(request, V, "c", "h", now, future));
        assertThat(future.join().errorCode()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL.code());
    }

    @Test
    void shouldCommitAndFetchOffsetsOfAGrouplessConsumer() {
        assertThat(commit("", -1, 42).join().topics().get(0).partitions().get(0).errorCode()).isZero();

        var fetched = shard.fetchOffsets(GROUP, Map.of("t", List.of(0, 1)));

        assertThat(fetched.topics().get(0).partitions().get(0).committedOffset()).isEqualTo(42);
        assertThat(fetched.topics().get(0).partitions().get(0).metadata()).isEqualTo("meta");
        assertThat(fetched.topics().get(0).partitions().get(1).committedOffset()).isEqualTo(-1);
        assertThat(shard.fetchOffsets(GROUP, null).topics().get(0).partitions()).hasSize(1);
    }

    @Test
    void shouldDeleteOnlyEmptyGroups() {
        String a = stableGroupOfOne();
        commit(a, 1, 5).join();
        assertThat(delete(GROUP).errorCode()).isEqualTo(Errors.NON_EMPTY_GROUP.code());
        leave(new MemberIdentity().setMemberId(a));

        assertThat(delete(GROUP).errorCode()).isEqualTo(Errors.NONE.code());

        assertThat(shard.state(GROUP)).isEmpty();
        assertThat(shard.fetchOffsets(GROUP, null).topics()).isEmpty();
        assertThat(delete(GROUP).errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
    }

    @Test
    void shouldExpireOffsetsOfAnEmptyGroupAfterTheRetention() {
        commit("", -1, 1).join();
        now += 60_000;
        apply(shard.poll(now));
        assertThat(shard.state(GROUP)).isEmpty();
    }

    @Test
    void shouldRebuildGroupsAndOffsetsByReplayingTheirRecords() {
        String a = stableGroupOfOne();
        commit(a, 1, 9).join();
        GroupShard reloaded = new GroupShard(config);

        for (GroupRecord record : written) {
            byte[] value = GroupRecordCodec.value(record);
            reloaded.replay(GroupRecordCodec.decode(ByteBuffer.wrap(GroupRecordCodec.key(record)),
                    value == null ? null : ByteBuffer.wrap(value)), now);
        }
        reloaded.loadComplete(now);

        assertThat(reloaded.state(GROUP)).contains(GroupState.STABLE);
        assertThat(reloaded.memberIds(GROUP)).containsExactly(a);
        assertThat(reloaded.generation(GROUP)).isEqualTo(1);
        assertThat(reloaded.fetchOffsets(GROUP, Map.of("t", List.of(0))).topics().get(0).partitions().get(0)
                .committedOffset()).isEqualTo(9);
        assertThat(reloaded.describe(GROUP).members().get(0).memberAssignment()).isEqualTo(new byte[]{1});
        assertThat(reloaded.list(Set.of("stable"), Set.of()).get(0).groupId()).isEqualTo(GROUP);
        shard = reloaded;
        assertThat(heartbeat(a, 1)).isEqualTo(Errors.NONE);
    }

    // ---------------------------------------------------------------- helpers

    private String stableGroupOfOne() {
        String id = join("", null).join().memberId();
        CompletableFuture<JoinGroupResponseData> joined = join(id, null);
        now += 3000;
        apply(shard.poll(now));
        assertThat(joined.join().generationId()).isEqualTo(1);
        sync(id, 1, List.of(new SyncGroupRequestAssignment().setMemberId(id).setAssignment(new byte[]{1}))).join();
        assertThat(shard.state(GROUP)).contains(GroupState.STABLE);
        return id;
    }

    private void apply(Effects effects) {
        for (GroupRecord record : effects.records()) {
            shard.replay(record, now);
            written.add(record);
        }
        effects.completions().forEach(Effects.Completion::complete);
    }

    private JoinGroupRequestData joinRequest(String memberId, String instanceId) {
        JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestProtocol().setName("range").setMetadata(new byte[]{1, 2}));
        return new JoinGroupRequestData().setGroupId(GROUP).setMemberId(memberId).setGroupInstanceId(instanceId)
                .setSessionTimeoutMs(SESSION).setRebalanceTimeoutMs(REBALANCE).setProtocolType("consumer")
                .setProtocols(protocols);
    }

    private CompletableFuture<JoinGroupResponseData> join(String memberId, String instanceId) {
        CompletableFuture<JoinGroupResponseData> future = new CompletableFuture<>();
        apply(shard.join(joinRequest(memberId, instanceId), V, "client", "/127.0.0.1", now, future));
        return future;
    }

    private CompletableFuture<SyncGroupResponseData> sync(String memberId, int generation,
            List<SyncGroupRequestAssignment> assignments) {
        CompletableFuture<SyncGroupResponseData> future = new CompletableFuture<>();
        apply(shard.sync(new SyncGroupRequestData().setGroupId(GROUP).setMemberId(memberId)
                .setGenerationId(generation).setAssignments(assignments), now, future));
        return future;
    }

    private Errors heartbeat(String memberId, int generation) {
        return heartbeat(memberId, generation, null);
    }

    private Errors heartbeat(String memberId, int generation, String instanceId) {
        return shard.heartbeat(new HeartbeatRequestData().setGroupId(GROUP).setMemberId(memberId)
                .setGenerationId(generation).setGroupInstanceId(instanceId), now);
    }

    private LeaveResult leave(MemberIdentity identity) {
        CompletableFuture<LeaveResult> future = new CompletableFuture<>();
        apply(shard.leave(GROUP, List.of(identity), now, future));
        return future.join();
    }

    private CompletableFuture<OffsetCommitResponseData> commit(String memberId, int generation, long offset) {
        CompletableFuture<OffsetCommitResponseData> future = new CompletableFuture<>();
        OffsetCommitRequestData request = new OffsetCommitRequestData().setGroupId(GROUP).setMemberId(memberId)
                .setGenerationIdOrMemberEpoch(generation)
                .setTopics(List.of(new OffsetCommitRequestTopic().setName("t").setPartitions(List.of(
                        new OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(offset)
                                .setCommittedMetadata("meta").setCommittedLeaderEpoch(3)))));
        apply(shard.commitOffsets(request, V, now, future));
        return future;
    }

    private DeletableGroupResult delete(String groupId) {
        CompletableFuture<List<DeletableGroupResult>> future = new CompletableFuture<>();
        apply(shard.deleteGroups(List.of(groupId), future));
        return future.join().get(0);
    }
}
