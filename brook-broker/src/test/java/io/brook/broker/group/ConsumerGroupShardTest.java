package io.brook.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData.TopicPartitions;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestPartition;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import io.brook.broker.group.assignor.RangeAssignor;
import io.brook.broker.group.assignor.UniformAssignor;

/** The consumer group protocol (KIP-848) on a shard, driven by heartbeats and a manual clock. */
class ConsumerGroupShardTest {

    private static final String GROUP = "g";
    private static final Uuid FOO = new Uuid(1, 1);
    private static final Uuid BAR = new Uuid(2, 2);
    private static final int SESSION = 45_000;
    private static final int REBALANCE = 30_000;

    private final GroupConfig config = new GroupConfig(6000, 300_000, 0, 10, 60_000, 1000, 4096);
    private final ConsumerGroupConfig consumerConfig = new ConsumerGroupConfig(true, SESSION, 5000, 3,
            List.of(new UniformAssignor(), new RangeAssignor()));
    private GroupShard shard = new GroupShard(config, consumerConfig);
    private final List<GroupRecord> written = new ArrayList<>();
    private long now = 1_000;

    ConsumerGroupShardTest() {
        shard.onTopicsChanged(topics(Map.of("foo", 6)));
        shard.loadComplete(now);
    }

    private static TopicsView topics(Map<String, Integer> partitions) {
        Map<String, TopicsView.Topic> byName = new HashMap<>();
        partitions.forEach((name, count) -> byName.put(name,
                new TopicsView.Topic(name, name.equals("foo") ? FOO : BAR, count)));
        return new TopicsView(byName);
    }

    @Test
    void shouldAssignEverythingToTheFirstMemberThenHandOverOnlyRevokedPartitions() {
        ConsumerGroupHeartbeatResponseData a = join("a", List.of("foo"));
        assertThat(a.errorCode()).isZero();
        assertThat(a.memberEpoch()).isEqualTo(1);
        assertThat(a.heartbeatIntervalMs()).isEqualTo(5000);
        assertThat(partitions(a)).isEqualTo(Set.of(0, 1, 2, 3, 4, 5));
        assertThat(shard.consumerGroupState(GROUP)).contains(ConsumerGroupState.STABLE);

        ConsumerGroupHeartbeatResponseData b = join("b", List.of("foo"));
        // b's target is half the partitions, but a still owns them: b moves to epoch 2 with nothing yet
        assertThat(b.memberEpoch()).isEqualTo(2);
        assertThat(partitions(b)).isEmpty();
        assertThat(shard.consumerGroupState(GROUP)).contains(ConsumerGroupState.RECONCILING);

        // a is asked to revoke three partitions and stays at epoch 1 until it does
        ConsumerGroupHeartbeatResponseData revoke = heartbeat("a", 1, Set.of(0, 1, 2, 3, 4, 5));
        assertThat(revoke.memberEpoch()).isEqualTo(1);
        Set<Integer> kept = partitions(revoke);
        assertThat(kept).hasSize(3);
        assertThat(heartbeat("b", 2, Set.of()).assignment()).isNull();

        ConsumerGroupHeartbeatResponseData revoked = heartbeat("a", 1, kept);
        assertThat(revoked.memberEpoch()).isEqualTo(2);

        ConsumerGroupHeartbeatResponseData bGets = heartbeat("b", 2, Set.of());
        Set<Integer> theRest = new TreeSet<>(Set.of(0, 1, 2, 3, 4, 5));
        theRest.removeAll(kept);
        assertThat(partitions(bGets)).isEqualTo(theRest);
        assertThat(shard.consumerGroupState(GROUP)).contains(ConsumerGroupState.STABLE);
    }

    @Test
    void shouldKeepRevokedPartitionsFromOthersWhileTheRevokingMemberHeartbeatsWithoutOwnedPartitions() {
        // a owns everything and has acknowledged it; b joins and waits for half of it
        join("a", List.of("foo"));
        heartbeat("a", 1, Set.of(0, 1, 2, 3, 4, 5));
        join("b", List.of("foo"));
        Set<Integer> kept = partitions(heartbeat("a", 1, null));
        assertThat(kept).hasSize(3);

        // while a's client runs its revocation callback, its periodic heartbeats carry no owned partitions (the
        // Java client sends them only once the reconciliation completed): a still owns what it must revoke
        ConsumerGroupHeartbeatResponseData stillRevoking = heartbeat("a", 1, null);
        assertThat(stillRevoking.errorCode()).isZero();
        assertThat(stillRevoking.memberEpoch()).isEqualTo(1);
        assertThat(stillRevoking.assignment()).isNull();
        ConsumerGroupHeartbeatResponseData bWaits = heartbeat("b", 2, null);
        assertThat(bWaits.assignment()).as("nothing for b before a revoked").isNull();
        assertThat(owned("b")).isEmpty();

        // once a reports it no longer owns them, b gets them
        assertThat(heartbeat("a", 1, kept).memberEpoch()).isEqualTo(2);
        Set<Integer> theRest = new TreeSet<>(Set.of(0, 1, 2, 3, 4, 5));
        theRest.removeAll(kept);
        assertThat(partitions(heartbeat("b", 2, null))).isEqualTo(theRest);
    }

    @Test
    void shouldKeepPartitionsFromOthersWhenTheOwnerAcknowledgesOnlyPartOfItsAssignmentBeforeARebalance() {
        // a gets everything; its Java client cannot resolve the topic id yet, reconciles the empty part it can and
        // acknowledges owning nothing, with the whole assignment still to take (as CI saw with kafka-clients 4.4)
        join("a", List.of("foo"));
        join("b", List.of("foo"));
        ConsumerGroupHeartbeatResponseData partial = heartbeat("a", 1, Set.of());

        // a must still revoke what b gets: its empty list says nothing about partitions it has not taken yet
        assertThat(partial.memberEpoch()).as("a stays at its epoch until it revoked").isEqualTo(1);
        Set<Integer> kept = partitions(partial);
        assertThat(kept).hasSize(3);
        assertThat(heartbeat("b", 2, Set.of()).assignment()).as("nothing for b while a may take it all").isNull();
        assertThat(owned("b")).isEmpty();

        // a's client then takes the whole assignment, gets the revocation, and gives the rest up
        assertThat(heartbeat("a", 1, Set.of(0, 1, 2, 3, 4, 5)).memberEpoch()).isEqualTo(1);
        assertThat(heartbeat("b", 2, null).assignment()).isNull();
        assertThat(heartbeat("a", 1, kept).memberEpoch()).isEqualTo(2);
        Set<Integer> theRest = new TreeSet<>(Set.of(0, 1, 2, 3, 4, 5));
        theRest.removeAll(kept);
        assertThat(partitions(heartbeat("b", 2, Set.of()))).isEqualTo(theRest);
        assertThat(shard.consumerGroupState(GROUP)).contains(ConsumerGroupState.STABLE);
    }

    @Test
    void shouldFenceAMemberWithAWrongEpochOrUnknownId() {
        join("a", List.of("foo"));

        assertThat(heartbeat("a", 5, null).errorCode()).isEqualTo(Errors.FENCED_MEMBER_EPOCH.code());
        assertThat(heartbeat("nobody", 1, null).errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        assertThat(send(request("x", 1).setGroupId("other")).errorCode())
                .isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
    }

    @Test
    void shouldRejectBadFieldsAndUnknownAssignors() {
        ConsumerGroupHeartbeatRequestData noTimeout = joinRequest("a", List.of("foo")).setRebalanceTimeoutMs(-1);
        assertThat(send(noTimeout).errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(send(joinRequest("a", List.of("foo")).setMemberEpoch(-7)).errorCode())
                .isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(send(joinRequest("", List.of("foo"))).errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        ConsumerGroupHeartbeatResponseData unsupported = send(joinRequest("a", List.of("foo"))
                .setServerAssignor("sticky"));
        assertThat(unsupported.errorCode()).isEqualTo(Errors.UNSUPPORTED_ASSIGNOR.code());
        assertThat(unsupported.errorMessage()).contains("uniform, range");
        assertThat(send(joinRequest("a", null).setSubscribedTopicRegex("(")).errorCode())
                .isEqualTo(Errors.INVALID_REGULAR_EXPRESSION.code());
    }

    @Test
    void shouldRefuseMembersBeyondTheMaximumSize() {
        join("a", List.of("foo"));
        join("b", List.of("foo"));
        join("c", List.of("foo"));

        assertThat(send(joinRequest("d", List.of("foo"))).errorCode())
                .isEqualTo(Errors.GROUP_MAX_SIZE_REACHED.code());
    }

    @Test
    void shouldRebalanceWhenAMemberLeavesOrItsSessionExpires() {
        join("a", List.of("foo"));
        join("b", List.of("foo"));
        converge("a", "b");

        ConsumerGroupHeartbeatResponseData left = send(request("b", -1));
        assertThat(left.memberEpoch()).isEqualTo(-1);
        assertThat(partitions(heartbeat("a", epoch("a"), owned("a")))).hasSize(6);

        join("c", List.of("foo"));
        converge("a", "c");
        now += SESSION - 1;
        heartbeat("a", epoch("a"), owned("a"));
        now += 2;
        apply(shard.poll(now));

        assertThat(describe().members()).extracting(m -> m.memberId()).containsExactly("a");
        assertThat(partitions(heartbeat("a", epoch("a"), owned("a")))).hasSize(6);
    }

    @Test
    void shouldFenceAMemberThatDoesNotRevokeWithinTheRebalanceTimeout() {
        join("a", List.of("foo"));
        join("b", List.of("foo"));
        heartbeat("a", 1, Set.of(0, 1, 2, 3, 4, 5)); // told to revoke, never does

        now += REBALANCE + 1;
        heartbeat("b", 2, Set.of()); // b keeps its session
        apply(shard.poll(now));

        assertThat(describe().members()).extracting(m -> m.memberId()).containsExactly("b");
        assertThat(partitions(heartbeat("b", epoch("b"), Set.of()))).hasSize(6);
    }

    @Test
    void shouldKeepAStaticMembersPartitionsUntilItComesBackWithANewMemberId() {
        send(joinRequest("a", List.of("foo")).setInstanceId("i1"));
        join("b", List.of("foo"));
        converge("a", "b");
        Set<Integer> aOwned = owned("a");

        ConsumerGroupHeartbeatResponseData left = send(request("a", -2).setInstanceId("i1"));
        assertThat(left.memberEpoch()).isEqualTo(-2);
        assertThat(send(joinRequest("a2", List.of("foo")).setInstanceId("i1")).errorCode()).isZero();
        assertThat(owned("a2")).isEqualTo(aOwned);
        assertThat(owned("b")).doesNotContainAnyElementsOf(aOwned);

        ConsumerGroupHeartbeatResponseData taken = send(joinRequest("a3", List.of("foo")).setInstanceId("i1"));
        assertThat(taken.errorCode()).isEqualTo(Errors.UNRELEASED_INSTANCE_ID.code());
    }

    @Test
    void shouldRebalanceWhenASubscribedTopicGrowsOrAppears() {
        join("a", List.of("foo", "bar"));
        join("b", List.of("foo", "bar"));
        converge("a", "b");
        int epochBefore = describe().groupEpoch();

        apply(shard.onTopicsChanged(topics(Map.of("foo", 8, "bar", 2))));
        converge("a", "b");

        DescribedGroup group = describe();
        assertThat(group.groupEpoch()).isEqualTo(epochBefore + 1);
        int total = group.members().stream().mapToInt(m -> m.assignment().topicPartitions().stream()
                .mapToInt(t -> t.partitions().size()).sum()).sum();
        assertThat(total).isEqualTo(10);
    }

    @Test
    void shouldSubscribeByRegex() {
        apply(shard.onTopicsChanged(topics(Map.of("foo", 2, "bar", 3))));
        ConsumerGroupHeartbeatResponseData a = send(joinRequest("a", null).setSubscribedTopicRegex("ba.*"));

        assertThat(a.assignment().topicPartitions()).singleElement()
                .satisfies(tp -> assertThat(tp.topicId()).isEqualTo(BAR));
    }

    @Test
    void shouldUseTheAssignorTheMembersAskFor() {
        send(joinRequest("a", List.of("foo")).setServerAssignor("range"));

        assertThat(describe().assignorName()).isEqualTo("range");
    }

    @Test
    void shouldCheckMemberAndEpochOfOffsetCommits() {
        join("a", List.of("foo"));

        assertThat(commit("a", 1)).isEqualTo(Errors.NONE);
        assertThat(commit("a", 0)).isEqualTo(Errors.STALE_MEMBER_EPOCH);
        assertThat(commit("zz", 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(commit("", -1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(shard.fetchOffsets(GROUP, null, "a", 0).errorCode())
                .isEqualTo(Errors.STALE_MEMBER_EPOCH.code());
        assertThat(shard.fetchOffsets(GROUP, null, "a", 1).topics()).hasSize(1);
        assertThat(shard.fetchOffsets(GROUP, null, null, -1).errorCode()).isZero();

        send(request("a", -1));
        assertThat(commit("", -1)).as("admin commit on an empty group").isEqualTo(Errors.NONE);
    }

    @Test
    void shouldCheckMemberAndEpochOfTransactionalOffsetCommitsAsKafka() {
        join("a", List.of("foo"));

        assertThat(txnCommit("a", 1)).isEqualTo(Errors.NONE);
        assertThat(txnCommit("a", 2)).as("STALE_MEMBER_EPOCH answered as ILLEGAL_GENERATION")
                .isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(txnCommit("zz", 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(txnCommit("", -1)).as("no member in a group with members").isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(shard.hasPendingOffset(GROUP, new org.apache.kafka.common.TopicPartition("foo", 0))).isFalse();
    }

    @Test
    void shouldAcceptCommitsAtAnOlderEpochOnlyForPartitionsTheMemberAlreadyHadThen() {
        join("a", List.of("foo"));
        join("b", List.of("foo"));
        converge("a", "b");
        int aEpoch = epoch("a");
        Set<Integer> aOwned = owned("a");
        int kept = aOwned.iterator().next();
        int given = owned("b").iterator().next();

        assertThat(aEpoch).isGreaterThan(1);
        assertThat(commitPartition("a", 1, kept)).as("kept since epoch 1").isEqualTo(Errors.NONE);
        assertThat(commitPartition("a", 1, given)).as("no longer owned").isEqualTo(Errors.STALE_MEMBER_EPOCH);
        assertThat(commitPartition("a", aEpoch + 1, kept)).as("newer than the member").isEqualTo(
                Errors.STALE_MEMBER_EPOCH);
        assertThat(commitPartition("b", 1, given)).as("older than b's assignment of it").isEqualTo(
                Errors.STALE_MEMBER_EPOCH);
        assertThat(commitPartition("b", epoch("b"), given)).isEqualTo(Errors.NONE);
    }

    @Test
    void shouldRefuseToDeleteASubscribedTopicsOffsetsOrANonEmptyGroup() {
        join("a", List.of("foo"));
        commit("a", 1);

        OffsetDeleteRequestTopicCollection topics = new OffsetDeleteRequestTopicCollection();
        topics.add(new OffsetDeleteRequestTopic().setName("foo")
                .setPartitions(List.of(new OffsetDeleteRequestPartition().setPartitionIndex(0))));
        CompletableFuture<OffsetDeleteResponseData> deleted = new CompletableFuture<>();
        apply(shard.deleteOffsets(new OffsetDeleteRequestData().setGroupId(GROUP).setTopics(topics), deleted));
        assertThat(deleted.join().topics().find("foo").partitions().find(0).errorCode())
                .isEqualTo(Errors.GROUP_SUBSCRIBED_TO_TOPIC.code());

        assertThat(deleteGroup()).isEqualTo(Errors.NON_EMPTY_GROUP);
        send(request("a", -1));
        assertThat(deleteGroup()).isEqualTo(Errors.NONE);
        assertThat(shard.consumerGroupState(GROUP)).isEmpty();
        assertThat(shard.fetchOffsets(GROUP, null).topics()).isEmpty();
    }

    @Test
    void shouldListConsumerGroupsWithTheirTypeAndFilterByType() {
        join("a", List.of("foo"));

        assertThat(shard.list(Set.of(), Set.of("consumer"))).singleElement().satisfies(g -> {
            assertThat(g.groupType()).isEqualTo("consumer");
            assertThat(g.protocolType()).isEqualTo("consumer");
            assertThat(g.groupState()).isEqualTo("Stable");
        });
        assertThat(shard.list(Set.of(), Set.of("classic"))).isEmpty();
        assertThat(shard.list(Set.of("empty"), Set.of())).extracting(ListedGroup::groupId).isEmpty();
    }

    @Test
    void shouldAnswerClassicJoinsToAConsumerGroupAndHeartbeatsToAClassicGroupAsKafka() {
        join("a", List.of("foo"));
        assertThat(classicJoin("x").errorCode()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL.code());

        send(request("a", -1));
        JoinGroupResponseData converted = classicJoin("");
        assertThat(converted.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(shard.consumerGroupState(GROUP)).isEmpty();

        ConsumerGroupHeartbeatResponseData refused = send(joinRequest("b", List.of("foo")));
        assertThat(refused.errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        assertThat(refused.errorMessage())
                .isEqualTo("Cannot upgrade classic group g to consumer group because online upgrade is disabled.");
        assertThat(shard.consumerDescribe(GROUP).errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        assertThat(shard.describe(GROUP).errorCode()).isZero();
    }

    @Test
    void shouldRestoreGroupsFromTheirRecordsWithFreshSessions() {
        send(joinRequest("a", List.of("foo")).setInstanceId("i1"));
        join("b", List.of("foo"));
        converge("a", "b");
        commit("a", epoch("a"));
        DescribedGroup before = describe();

        GroupShard restored = new GroupShard(config, consumerConfig);
        restored.onTopicsChanged(topics(Map.of("foo", 6)));
        for (GroupRecord record : written) {
            byte[] value = GroupRecordCodec.value(record);
            restored.replay(GroupRecordCodec.decode(ByteBuffer.wrap(GroupRecordCodec.key(record)),
                    value == null ? null : ByteBuffer.wrap(value)), now);
        }
        now += 10_000;
        restored.loadComplete(now);
        shard = restored;

        assertThat(describe()).isEqualTo(before);
        assertThat(shard.fetchOffsets(GROUP, null).topics()).hasSize(1);
        now += SESSION - 1;
        apply(shard.poll(now));
        assertThat(describe().members()).hasSize(2);
        assertThat(heartbeat("a", epoch("a"), owned("a")).errorCode()).isZero();
    }

    @Test
    void shouldExpireOnlyOffsetsOfTopicsTheGroupNoLongerSubscribesTo() {
        apply(shard.onTopicsChanged(topics(Map.of("foo", 6, "bar", 2))));
        join("a", List.of("foo"));
        commit("a", 1);
        commitTopic("a", 1, "bar");

        for (int i = 0; i < 3; i++) {
            now += 20_500; // the member heartbeats within its session while retention passes
            heartbeat("a", epoch("a"), null);
            apply(shard.poll(now));
        }

        assertThat(shard.fetchOffsets(GROUP, null).topics()).extracting(t -> t.name()).containsExactly("foo");
    }

    @Test
    void shouldDeleteAnEmptyConsumerGroupWithoutOffsetsAtTheRetentionCheck() {
        join("a", List.of("foo"));
        send(request("a", -1));
        assertThat(shard.consumerGroupState(GROUP)).contains(ConsumerGroupState.EMPTY);

        now += 1_000;
        apply(shard.poll(now));

        assertThat(shard.consumerGroupState(GROUP)).isEmpty();
        assertThat(shard.list(Set.of(), Set.of())).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    private void commitTopic(String memberId, int epoch, String topic) {
        CompletableFuture<OffsetCommitResponseData> future = new CompletableFuture<>();
        apply(shard.commitOffsets(new OffsetCommitRequestData().setGroupId(GROUP).setMemberId(memberId)
                .setGenerationIdOrMemberEpoch(epoch)
                .setTopics(List.of(new OffsetCommitRequestTopic().setName(topic).setPartitions(
                        List.of(new OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(1))))),
                (short) 9, now, future));
        assertThat(future.join().topics().get(0).partitions().get(0).errorCode()).isZero();
    }

    private ConsumerGroupHeartbeatRequestData request(String memberId, int epoch) {
        return new ConsumerGroupHeartbeatRequestData().setGroupId(GROUP).setMemberId(memberId)
                .setMemberEpoch(epoch);
    }

    private ConsumerGroupHeartbeatRequestData joinRequest(String memberId, List<String> topics) {
        return request(memberId, 0).setRebalanceTimeoutMs(REBALANCE).setSubscribedTopicNames(topics)
                .setTopicPartitions(new ArrayList<>());
    }

    private ConsumerGroupHeartbeatResponseData join(String memberId, List<String> topics) {
        return send(joinRequest(memberId, topics));
    }

    private ConsumerGroupHeartbeatResponseData heartbeat(String memberId, int epoch, Set<Integer> owned) {
        ConsumerGroupHeartbeatRequestData request = request(memberId, epoch);
        if (owned != null) {
            List<TopicPartitions> tps = new ArrayList<>();
            if (!owned.isEmpty()) {
                tps.add(new TopicPartitions().setTopicId(FOO).setPartitions(new ArrayList<>(owned)));
            }
            request.setTopicPartitions(tps);
        }
        return send(request);
    }

    private ConsumerGroupHeartbeatResponseData send(ConsumerGroupHeartbeatRequestData request) {
        CompletableFuture<ConsumerGroupHeartbeatResponseData> future = new CompletableFuture<>();
        apply(shard.consumerHeartbeat(request, (short) 1, "client", "/127.0.0.1", now, future));
        return future.join();
    }

    /** Heartbeats each member with what it owns until the group is stable. */
    private void converge(String... members) {
        for (int round = 0; round < 10; round++) {
            for (String m : members) {
                heartbeat(m, epoch(m), owned(m));
            }
            if (shard.consumerGroupState(GROUP).orElseThrow() == ConsumerGroupState.STABLE) {
                return;
            }
        }
        throw new AssertionError("group did not converge: " + describe());
    }

    private int epoch(String memberId) {
        return describe().members().stream().filter(m -> m.memberId().equals(memberId)).findFirst().orElseThrow()
                .memberEpoch();
    }

    private Set<Integer> owned(String memberId) {
        Set<Integer> owned = new HashSet<>();
        describe().members().stream().filter(m -> m.memberId().equals(memberId)).findFirst().orElseThrow()
                .assignment().topicPartitions().stream().filter(t -> t.topicId().equals(FOO))
                .forEach(t -> owned.addAll(t.partitions()));
        return owned;
    }

    private static Set<Integer> partitions(ConsumerGroupHeartbeatResponseData response) {
        Set<Integer> partitions = new TreeSet<>();
        response.assignment().topicPartitions().forEach(t -> partitions.addAll(t.partitions()));
        return partitions;
    }

    private DescribedGroup describe() {
        return shard.consumerDescribe(GROUP);
    }

    private Errors commit(String memberId, int epoch) {
        CompletableFuture<OffsetCommitResponseData> future = new CompletableFuture<>();
        apply(shard.commitOffsets(new OffsetCommitRequestData().setGroupId(GROUP).setMemberId(memberId)
                .setGenerationIdOrMemberEpoch(epoch)
                .setTopics(List.of(new OffsetCommitRequestTopic().setName("foo").setPartitions(
                        List.of(new OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(5))))),
                (short) 9, now, future));
        return Errors.forCode(future.join().topics().get(0).partitions().get(0).errorCode());
    }

    private Errors txnCommit(String memberId, int epoch) {
        CompletableFuture<TxnOffsetCommitResponseData> future = new CompletableFuture<>();
        Effects effects = shard.commitTransactionalOffsets(new TxnOffsetCommitRequestData().setTransactionalId("tx")
                .setGroupId(GROUP).setProducerId(9).setProducerEpoch((short) 0).setMemberId(memberId)
                .setGenerationIdOrMemberEpoch(epoch)
                .setTopics(List.of(new TxnOffsetCommitRequestTopic().setName("foo").setPartitions(
                        List.of(new TxnOffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(5))))),
                (short) 4, now, future);
        // not replayed: the test looks at the answer only
        effects.completions().forEach(Effects.Completion::complete);
        return Errors.forCode(future.join().topics().get(0).partitions().get(0).errorCode());
    }

    private Errors commitPartition(String memberId, int epoch, int partition) {
        CompletableFuture<OffsetCommitResponseData> future = new CompletableFuture<>();
        apply(shard.commitOffsets(new OffsetCommitRequestData().setGroupId(GROUP).setMemberId(memberId)
                .setGenerationIdOrMemberEpoch(epoch)
                .setTopics(List.of(new OffsetCommitRequestTopic().setName("foo").setPartitions(List
                        .of(new OffsetCommitRequestPartition().setPartitionIndex(partition).setCommittedOffset(1))))),
                (short) 9, now, future));
        return Errors.forCode(future.join().topics().get(0).partitions().get(0).errorCode());
    }

    private Errors deleteGroup() {
        CompletableFuture<List<DeletableGroupResult>> future = new CompletableFuture<>();
        apply(shard.deleteGroups(List.of(GROUP), future));
        return Errors.forCode(future.join().get(0).errorCode());
    }

    private JoinGroupResponseData classicJoin(String memberId) {
        JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestProtocol().setName("range").setMetadata(new byte[0]));
        CompletableFuture<JoinGroupResponseData> future = new CompletableFuture<>();
        apply(shard.join(new JoinGroupRequestData().setGroupId(GROUP).setMemberId(memberId)
                .setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(10_000).setProtocolType("consumer")
                .setProtocols(protocols), (short) 3, "client", "host", now, future));
        apply(shard.poll(now));
        return future.join();
    }

    /** As the coordinator does: replay the records, then complete the responses. */
    private void apply(Effects effects) {
        for (GroupRecord record : effects.records()) {
            shard.replay(record, now);
            written.add(record);
        }
        effects.completions().forEach(Effects.Completion::complete);
    }
}
