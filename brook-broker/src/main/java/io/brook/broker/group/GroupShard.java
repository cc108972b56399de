package io.brook.broker.group;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroupMember;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData.JoinGroupResponseMember;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData.MemberResponse;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartition;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartitionCollection;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopic;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopicCollection;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.TransactionResult;

import io.brook.broker.group.GroupRecord.CommittedOffset;
import io.brook.broker.group.GroupRecord.GroupMetadata;
import io.brook.broker.group.GroupRecord.GroupSnapshot;
import io.brook.broker.group.GroupRecord.MemberSnapshot;
import io.brook.broker.group.GroupRecord.OffsetCommit;

/**
 * The classic groups and committed offsets of one {@code __consumer_offsets} partition, as Kafka's classic group
 * coordinator runs them: Empty → PreparingRebalance → CompletingRebalance → Stable, generations, member ids handed
 * out on first join (KIP-394), static members (KIP-345), session and rebalance timeouts, offsets retention.
 *
 * <p>Pure: no I/O, no threads, no clock. Every call gets the time; mutating calls return {@link Effects} (records
 * to append and responses to send once those records are durable) and never complete a future themselves.
 * Committed offsets and group deletions change only through {@link #replay}, which the owner calls for every record
 * after appending it, and at load. Live membership (joins waiting, heartbeats) is in memory only, as in Kafka;
 * a {@link GroupMetadata} record is a snapshot of it written at the end of each rebalance, and replay applies it only
 * while loading.
 *
 * <p>Threading: not thread-safe; one owner thread calls everything.
 */
public final class GroupShard {

    /** Offsets fetched for a partition that has none. */
    static final long NO_OFFSET = -1L;

    private final GroupConfig config;
    /** Classic groups, and the committed offsets of every group id (a consumer group's offsets live here too). */
    private final Map<String, ClassicGroup> groups = new LinkedHashMap<>();
    private final ConsumerGroupManager consumer;
    /** Offsets of open transactions (TxnOffsetCommit), until their producer's marker is replayed. */
    private final PendingTransactionalOffsets pendingOffsets = new PendingTransactionalOffsets();
    /** Counts replayed records: their log order, which decides between a transactional and a plain commit. */
    private long replayOrder;
    private boolean loading = true;
    private long nextRetentionCheck = -1;

    public GroupShard(GroupConfig config) {
        this(config, ConsumerGroupConfig.defaults());
    }

    public GroupShard(GroupConfig config, ConsumerGroupConfig consumerConfig) {
        this.config = config;
        this.consumer = new ConsumerGroupManager(consumerConfig);
    }

    // ---------------------------------------------------------------- load and replay

    /** Applies one record read from the log (at load) or just appended (live). */
    public void replay(GroupRecord record, long now) {
        replayOrder++;
        if (record instanceof OffsetCommit commit) {
            if (commit.value() == null) {
                ClassicGroup group = groups.get(commit.groupId());
                if (group != null) {
                    group.offsets.remove(commit.topicPartition());
                    group.offsetOrder.remove(commit.topicPartition());
                }
                pendingOffsets.remove(commit.groupId(), commit.topicPartition());
            } else {
                ClassicGroup group = groups.computeIfAbsent(commit.groupId(), id -> new ClassicGroup(id, now));
                group.offsets.put(commit.topicPartition(), commit.value());
                group.offsetOrder.put(commit.topicPartition(), replayOrder);
            }
        } else if (record instanceof GroupMetadata metadata) {
            if (metadata.value() == null) {
                groups.remove(metadata.groupId());
            } else if (loading) {
                restore(metadata.groupId(), metadata.value(), now);
            }
        } else if (loading) {
            // consumer-protocol records change the groups live directly; they are replayed only at load
            consumer.replay(record, now);
        }
    }

    /**
     * Applies an offset commit read from (or just appended in) a transactional batch of {@code producerId}: the offset
     * is pending until the producer's marker. As Kafka, the group is created (a simple group) if it does not exist.
     */
    public void replayTransactional(OffsetCommit commit, long producerId, long now) {
        if (commit.value() == null) {
            // Brook writes no tombstones in transactions; a plain one is what it would mean.
            replay(commit, now);
            return;
        }
        replayOrder++;
        groups.computeIfAbsent(commit.groupId(), id -> new ClassicGroup(id, now));
        pendingOffsets.add(producerId, commit.groupId(), commit.topicPartition(), commit.value(), replayOrder);
    }

    /**
     * Applies a transaction marker of {@code producerId}: on commit its pending offsets become the committed ones,
     * except where a plain commit was written after them (Kafka keeps the later record); on abort they are dropped.
     */
    public void replayEndTransaction(long producerId, TransactionResult result, long now) {
        replayOrder++;
        Map<String, Map<TopicPartition, PendingTransactionalOffsets.Pending>> ended = pendingOffsets.end(producerId);
        if (result != TransactionResult.COMMIT) {
            return;
        }
        ended.forEach((groupId, offsets) -> {
            ClassicGroup group = groups.computeIfAbsent(groupId, id -> new ClassicGroup(id, now));
            offsets.forEach((tp, pending) -> {
                Long existing = group.offsetOrder.get(tp);
                if (existing == null || pending.order() > existing) {
                    group.offsets.put(tp, pending.offset());
                    group.offsetOrder.put(tp, pending.order());
                }
            });
        });
    }

    /** Whether an open transaction has a pending offset for the group's partition (for tests). */
    public boolean hasPendingOffset(String groupId, TopicPartition partition) {
        return pendingOffsets.has(groupId, partition);
    }

    private void restore(String groupId, GroupSnapshot snapshot, long now) {
        ClassicGroup group = groups.computeIfAbsent(groupId, id -> new ClassicGroup(id, now));
        group.members.clear();
        group.staticMembers.clear();
        group.protocolType = snapshot.protocolType();
        group.generation = snapshot.generation();
        group.protocolName = snapshot.protocolName();
        group.leader = null;
        for (MemberSnapshot m : snapshot.members()) {
            GroupMember member = new GroupMember(m.memberId(), m.instanceId(), m.clientId(), m.clientHost(),
                    m.rebalanceTimeoutMs(), m.sessionTimeoutMs());
            member.protocols.put(snapshot.protocolName(), m.subscription());
            member.assignment = m.assignment();
            group.add(member);
        }
        group.leader = snapshot.leader();
        group.transition(group.members.isEmpty() ? GroupState.EMPTY : GroupState.STABLE, snapshot.stateTimestamp());
    }

    /** Ends loading: restored members get a fresh session from now. */
    public void loadComplete(long now) {
        loading = false;
        for (ClassicGroup group : groups.values()) {
            group.members.values().forEach(m -> m.heartbeatDeadline = now + m.sessionTimeoutMs);
        }
        consumer.loadComplete(now);
        nextRetentionCheck = now + config.retentionCheckIntervalMs();
    }

    // ---------------------------------------------------------------- JoinGroup

    public Effects join(JoinGroupRequestData request, short version, String clientId, String clientHost, long now,
            CompletableFuture<JoinGroupResponseData> future) {
        Effects effects = Effects.empty();
        String memberId = request.memberId();
        String instanceId = request.groupInstanceId();
        Errors error = validateJoin(request);
        if (error != Errors.NONE) {
            effects.respond(future, joinError(memberId, error));
            return effects;
        }
        ConsumerGroup consumerGroup = consumer.group(request.groupId());
        if (consumerGroup != null) {
            if (!consumerGroup.members.isEmpty()) {
                // Brook does not run classic members inside a consumer-protocol group (see docs/architecture.md)
                effects.respond(future, joinError(memberId, Errors.INCONSISTENT_GROUP_PROTOCOL));
                return effects;
            }
            // an empty consumer group becomes classic: its records go, its offsets stay
            consumer.delete(request.groupId(), effects);
        }
        ClassicGroup group = groups.get(request.groupId());
        if (group == null) {
            if (!memberId.isEmpty()) {
                effects.respond(future, joinError(memberId, Errors.UNKNOWN_MEMBER_ID));
                return effects;
            }
            group = new ClassicGroup(request.groupId(), now);
            groups.put(group.groupId, group);
        }
        Map<String, byte[]> protocols = new LinkedHashMap<>();
        for (JoinGroupRequestProtocol p : request.protocols()) {
            protocols.putIfAbsent(p.name(), p.metadata());
        }
        if (!group.supportsAny(request.protocolType(), protocols.keySet())) {
            effects.respond(future, joinError(memberId, Errors.INCONSISTENT_GROUP_PROTOCOL));
            return effects;
        }
        if (memberId.isEmpty()) {
            joinNewMember(group, request, version, clientId, clientHost, protocols, now, future, effects);
        } else {
            joinKnownMember(group, request, version, clientId, clientHost, protocols, now, future, effects);
        }
        return effects;
    }

    private Errors validateJoin(JoinGroupRequestData request) {
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return Errors.INVALID_GROUP_ID;
        }
        if (request.sessionTimeoutMs() < config.minSessionTimeoutMs()
                || request.sessionTimeoutMs() > config.maxSessionTimeoutMs()) {
            return Errors.INVALID_SESSION_TIMEOUT;
        }
        return Errors.NONE;
    }

    private void joinNewMember(ClassicGroup group, JoinGroupRequestData request, short version, String clientId,
            String clientHost, Map<String, byte[]> protocols, long now,
            CompletableFuture<JoinGroupResponseData> future, Effects effects) {
        String instanceId = request.groupInstanceId();
        String newMemberId = (instanceId != null ? instanceId : clientId) + "-" + UUID.randomUUID();
        if (instanceId != null && group.staticMembers.containsKey(instanceId)) {
            replaceStaticMember(group, request, version, newMemberId, protocols, now, future, effects);
            return;
        }
        if (group.members.size() + group.pendingMembers.size() >= config.maxSize()) {
            effects.respond(future, joinError("", Errors.GROUP_MAX_SIZE_REACHED));
            return;
        }
        if (instanceId == null && version >= 4) {
            // KIP-394: the member must come back with this id; until then it only holds a pending slot.
            group.pendingMembers.put(newMemberId, now + request.sessionTimeoutMs());
            effects.respond(future, joinError(newMemberId, Errors.MEMBER_ID_REQUIRED));
            return;
        }
        addMemberAndRebalance(group, request, version, newMemberId, clientId, clientHost, protocols, now, future,
                effects);
    }

    private void replaceStaticMember(ClassicGroup group, JoinGroupRequestData request, short version,
            String newMemberId, Map<String, byte[]> protocols, long now,
            CompletableFuture<JoinGroupResponseData> future, Effects effects) {
        String oldMemberId = group.staticMembers.get(request.groupInstanceId());
        GroupMember member = group.members.remove(oldMemberId);
        // The old incarnation is fenced: its waiting requests learn its id is gone.
        if (member.awaitingJoin != null) {
            effects.respond(member.awaitingJoin, joinError(oldMemberId, Errors.FENCED_INSTANCE_ID));
            member.awaitingJoin = null;
        }
        if (member.awaitingSync != null) {
            effects.respond(member.awaitingSync, syncError(Errors.FENCED_INSTANCE_ID));
            member.awaitingSync = null;
        }
        member.memberId = newMemberId;
        group.members.put(newMemberId, member);
        group.staticMembers.put(member.instanceId, newMemberId);
        boolean wasLeader = oldMemberId.equals(group.leader);
        if (wasLeader) {
            group.leader = newMemberId;
        }
        member.sessionTimeoutMs = request.sessionTimeoutMs();
        member.rebalanceTimeoutMs = request.rebalanceTimeoutMs();
        member.heartbeatDeadline = now + member.sessionTimeoutMs;
        if (group.is(GroupState.STABLE) && !wasLeader && member.sameProtocols(protocols)) {
            // Same subscription: the member takes its old place without a rebalance.
            effects.write(new GroupMetadata(group.groupId, group.snapshot()));
            effects.respond(future, joinResponse(group, newMemberId, false));
            return;
        }
        member.protocols = protocols;
        member.awaitingJoin = future;
        member.joinVersion = version;
        if (group.is(GroupState.PREPARING_REBALANCE)) {
            maybeCompleteJoin(group, now, effects);
        } else {
            prepareRebalance(group, now, effects);
        }
    }

    private void joinKnownMember(ClassicGroup group, JoinGroupRequestData request, short version, String clientId,
            String clientHost, Map<String, byte[]> protocols, long now, CompletableFuture<JoinGroupResponseData> future,
            Effects effects) {
        String memberId = request.memberId();
        if (group.pendingMembers.remove(memberId) != null) {
            // the second join of KIP-394: the member is created now, with the client id and host it joins from
            addMemberAndRebalance(group, request, version, memberId, clientId, clientHost, protocols, now, future,
                    effects);
            return;
        }
        Errors error = validateMember(group, memberId, request.groupInstanceId());
        if (error != Errors.NONE) {
            effects.respond(future, joinError(memberId, error));
            return;
        }
        GroupMember member = group.members.get(memberId);
        member.heartbeatDeadline = now + request.sessionTimeoutMs();
        switch (group.state) {
            case PREPARING_REBALANCE -> {
                updateMember(member, request, version, protocols, future, effects);
                maybeCompleteJoin(group, now, effects);
            }
            case COMPLETING_REBALANCE -> {
                if (member.sameProtocols(protocols)) {
                    // The join response was lost: send it again, with the members if it goes to the leader, who
                    // must assign them all (an empty list would make it assign nothing to anyone).
                    effects.respond(future, joinResponse(group, memberId, true));
                } else {
                    updateMember(member, request, version, protocols, future, effects);
                    prepareRebalance(group, now, effects);
                }
            }
            case STABLE -> {
                if (memberId.equals(group.leader) || !member.sameProtocols(protocols)) {
                    updateMember(member, request, version, protocols, future, effects);
                    prepareRebalance(group, now, effects);
                } else {
                    effects.respond(future, joinResponse(group, memberId, false));
                }
            }
            default -> effects.respond(future, joinError(memberId, Errors.UNKNOWN_MEMBER_ID));
        }
    }

    private void updateMember(GroupMember member, JoinGroupRequestData request, short version,
            Map<String, byte[]> protocols, CompletableFuture<JoinGroupResponseData> future, Effects effects) {
        if (member.awaitingJoin != null && member.awaitingJoin != future) {
            // A second join replaces the first; the first gets Kafka's answer for a superseded request.
            effects.respond(member.awaitingJoin, joinError(member.memberId, Errors.UNKNOWN_MEMBER_ID));
        }
        member.protocols = protocols;
        member.rebalanceTimeoutMs = request.rebalanceTimeoutMs();
        member.sessionTimeoutMs = request.sessionTimeoutMs();
        member.awaitingJoin = future;
        member.joinVersion = version;
    }

    private void addMemberAndRebalance(ClassicGroup group, JoinGroupRequestData request, short version,
            String memberId, String clientId, String clientHost, Map<String, byte[]> protocols, long now,
            CompletableFuture<JoinGroupResponseData> future, Effects effects) {
        GroupMember member = new GroupMember(memberId, request.groupInstanceId(), clientId == null ? "" : clientId,
                clientHost == null ? "" : clientHost, request.rebalanceTimeoutMs(), request.sessionTimeoutMs());
        member.protocols = protocols;
        member.awaitingJoin = future;
        member.joinVersion = version;
        member.heartbeatDeadline = now + request.sessionTimeoutMs();
        if (group.members.isEmpty()) {
            group.protocolType = request.protocolType();
        }
        group.add(member);
        if (group.is(GroupState.PREPARING_REBALANCE)) {
            if (group.initialDelayCap >= 0) {
                group.joinDeadline = Math.min(now + config.initialRebalanceDelayMs(), group.initialDelayCap);
            }
            maybeCompleteJoin(group, now, effects);
        } else {
            prepareRebalance(group, now, effects);
        }
    }

    private void prepareRebalance(ClassicGroup group, long now, Effects effects) {
        if (group.is(GroupState.COMPLETING_REBALANCE)) {
            for (GroupMember member : group.members.values()) {
                member.assignment = new byte[0];
                if (member.awaitingSync != null) {
                    effects.respond(member.awaitingSync, syncError(Errors.REBALANCE_IN_PROGRESS));
                    member.awaitingSync = null;
                }
            }
        }
        boolean initial = group.is(GroupState.EMPTY) && config.initialRebalanceDelayMs() > 0;
        group.syncDeadline = -1;
        if (initial) {
            group.initialDelayCap = now + group.maxRebalanceTimeoutMs();
            group.joinDeadline = Math.min(now + config.initialRebalanceDelayMs(), group.initialDelayCap);
        } else {
            group.initialDelayCap = -1;
            group.joinDeadline = now + group.maxRebalanceTimeoutMs();
        }
        group.transition(GroupState.PREPARING_REBALANCE, now);
        maybeCompleteJoin(group, now, effects);
    }

    private void maybeCompleteJoin(ClassicGroup group, long now, Effects effects) {
        if (group.is(GroupState.PREPARING_REBALANCE) && group.initialDelayCap < 0 && group.allMembersJoined()) {
            completeJoin(group, now, effects);
        }
    }

    private void completeJoin(ClassicGroup group, long now, Effects effects) {
        for (GroupMember member : List.copyOf(group.members.values())) {
            if (member.awaitingJoin == null) {
                group.remove(member.memberId);
            }
        }
        group.pendingMembers.clear();
        group.joinDeadline = -1;
        group.initialDelayCap = -1;
        group.generation++;
        if (group.members.isEmpty()) {
            group.protocolName = null;
            group.leader = null;
            group.transition(GroupState.EMPTY, now);
            effects.write(new GroupMetadata(group.groupId, group.snapshot()));
            return;
        }
        group.protocolName = group.selectProtocol();
        if (group.leader == null || !group.members.containsKey(group.leader)) {
            group.leader = group.members.keySet().iterator().next();
        }
        group.transition(GroupState.COMPLETING_REBALANCE, now);
        group.syncDeadline = now + group.maxRebalanceTimeoutMs();
        for (GroupMember member : group.members.values()) {
            effects.respond(member.awaitingJoin, joinResponse(group, member.memberId, true));
            member.awaitingJoin = null;
            member.heartbeatDeadline = now + member.sessionTimeoutMs;
        }
    }

    private static JoinGroupResponseData joinResponse(ClassicGroup group, String memberId, boolean withMembers) {
        JoinGroupResponseData response = new JoinGroupResponseData().setGenerationId(group.generation)
                .setProtocolType(group.protocolType).setProtocolName(group.protocolName)
                .setLeader(group.leader).setMemberId(memberId);
        if (withMembers && memberId.equals(group.leader)) {
            for (GroupMember member : group.members.values()) {
                response.members().add(new JoinGroupResponseMember().setMemberId(member.memberId)
                        .setGroupInstanceId(member.instanceId).setMetadata(member.metadata(group.protocolName)));
            }
        }
        return response;
    }

    static JoinGroupResponseData joinError(String memberId, Errors error) {
        return new JoinGroupResponseData().setErrorCode(error.code()).setGenerationId(-1).setMemberId(memberId)
                .setLeader("").setProtocolName(null);
    }

    /** Kafka's checks of a member id and instance id against the group (fencing first). */
    private static Errors validateMember(ClassicGroup group, String memberId, String instanceId) {
        if (instanceId != null) {
            String current = group.staticMembers.get(instanceId);
            if (current == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (!current.equals(memberId)) {
                return Errors.FENCED_INSTANCE_ID;
            }
        }
        return group.members.containsKey(memberId) ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
    }

    // ---------------------------------------------------------------- SyncGroup

    public Effects sync(SyncGroupRequestData request, long now, CompletableFuture<SyncGroupResponseData> future) {
        Effects effects = Effects.empty();
        ClassicGroup group = groups.get(request.groupId());
        Errors error;
        if (request.groupId() == null || request.groupId().isEmpty()) {
            error = Errors.INVALID_GROUP_ID;
        } else if (group == null) {
            error = Errors.UNKNOWN_MEMBER_ID;
        } else {
            error = validateMember(group, request.memberId(), request.groupInstanceId());
        }
        if (error == Errors.NONE && request.generationId() != group.generation) {
            error = Errors.ILLEGAL_GENERATION;
        }
        if (error == Errors.NONE && (mismatch(request.protocolType(), group.protocolType)
                || mismatch(request.protocolName(), group.protocolName))) {
            error = Errors.INCONSISTENT_GROUP_PROTOCOL;
        }
        if (error != Errors.NONE) {
            effects.respond(future, syncError(error));
            return effects;
        }
        GroupMember member = group.members.get(request.memberId());
        member.heartbeatDeadline = now + member.sessionTimeoutMs;
        switch (group.state) {
            case PREPARING_REBALANCE -> effects.respond(future, syncError(Errors.REBALANCE_IN_PROGRESS));
            case COMPLETING_REBALANCE -> {
                member.awaitingSync = future;
                if (member.memberId.equals(group.leader)) {
                    Map<String, byte[]> assignments = new HashMap<>();
                    for (SyncGroupRequestAssignment a : request.assignments()) {
                        assignments.put(a.memberId(), a.assignment());
                    }
                    for (GroupMember m : group.members.values()) {
                        m.assignment = assignments.getOrDefault(m.memberId, new byte[0]);
                    }
                    group.syncDeadline = -1;
                    group.transition(GroupState.STABLE, now);
                    effects.write(new GroupMetadata(group.groupId, group.snapshot()));
                    for (GroupMember m : group.members.values()) {
                        if (m.awaitingSync != null) {
                            effects.respond(m.awaitingSync, syncResponse(group, m));
                            m.awaitingSync = null;
                        }
                    }
                }
            }
            case STABLE -> effects.respond(future, syncResponse(group, member));
            default -> effects.respond(future, syncError(Errors.UNKNOWN_MEMBER_ID));
        }
        return effects;
    }

    private static boolean mismatch(String requested, String actual) {
        return requested != null && !requested.equals(actual);
    }

    private static SyncGroupResponseData syncResponse(ClassicGroup group, GroupMember member) {
        return new SyncGroupResponseData().setProtocolType(group.protocolType).setProtocolName(group.protocolName)
                .setAssignment(member.assignment);
    }

    static SyncGroupResponseData syncError(Errors error) {
        return new SyncGroupResponseData().setErrorCode(error.code()).setAssignment(new byte[0]);
    }

    // ---------------------------------------------------------------- Heartbeat and LeaveGroup

    public Errors heartbeat(HeartbeatRequestData request, long now) {
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return Errors.INVALID_GROUP_ID;
        }
        ClassicGroup group = groups.get(request.groupId());
        if (group == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        Errors error = validateMember(group, request.memberId(), request.groupInstanceId());
        if (error != Errors.NONE) {
            return error;
        }
        if (group.is(GroupState.EMPTY) || group.is(GroupState.DEAD)) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (request.generationId() != group.generation) {
            return Errors.ILLEGAL_GENERATION;
        }
        GroupMember member = group.members.get(request.memberId());
        member.heartbeatDeadline = now + member.sessionTimeoutMs;
        return group.is(GroupState.PREPARING_REBALANCE) ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
    }

    /** Removes members (one per identity); the future gets the top-level error and one response per identity. */
    public Effects leave(String groupId, List<MemberIdentity> identities, long now,
            CompletableFuture<LeaveResult> future) {
        Effects effects = Effects.empty();
        if (groupId == null || groupId.isEmpty()) {
            effects.respond(future, new LeaveResult(Errors.INVALID_GROUP_ID, List.of()));
            return effects;
        }
        ClassicGroup group = groups.get(groupId);
        List<MemberResponse> responses = new ArrayList<>();
        for (MemberIdentity identity : identities) {
            MemberResponse response = new MemberResponse().setMemberId(identity.memberId())
                    .setGroupInstanceId(identity.groupInstanceId());
            responses.add(response.setErrorCode(leaveOne(group, identity, now, effects).code()));
        }
        effects.respond(future, new LeaveResult(Errors.NONE, responses));
        return effects;
    }

    /** The outcome of a LeaveGroup. */
    public record LeaveResult(Errors error, List<MemberResponse> members) {
    }

    private Errors leaveOne(ClassicGroup group, MemberIdentity identity, long now, Effects effects) {
        if (group == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        String memberId = identity.memberId();
        String instanceId = identity.groupInstanceId();
        if (instanceId != null) {
            String current = group.staticMembers.get(instanceId);
            if (current == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (!memberId.isEmpty() && !memberId.equals(current)) {
                return Errors.FENCED_INSTANCE_ID;
            }
            memberId = current;
        } else if (group.pendingMembers.remove(memberId) != null) {
            maybeCompleteJoin(group, now, effects);
            return Errors.NONE;
        }
        if (!group.members.containsKey(memberId)) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        removeMember(group, memberId, now, effects);
        return Errors.NONE;
    }

    private void removeMember(ClassicGroup group, String memberId, long now, Effects effects) {
        GroupMember member = group.remove(memberId);
        if (member.awaitingJoin != null) {
            effects.respond(member.awaitingJoin, joinError(memberId, Errors.UNKNOWN_MEMBER_ID));
        }
        if (member.awaitingSync != null) {
            effects.respond(member.awaitingSync, syncError(Errors.UNKNOWN_MEMBER_ID));
        }
        switch (group.state) {
            case STABLE, COMPLETING_REBALANCE -> prepareRebalance(group, now, effects);
            case PREPARING_REBALANCE -> maybeCompleteJoin(group, now, effects);
            default -> {
            }
        }
    }

    /**
     * Gives up the responses parked in this shard (JoinGroup and SyncGroup requests waiting for a rebalance), for the
     * owner to fail when it drops the shard: on losing leadership, or to reload it after a failed write.
     */
    public List<CompletableFuture<?>> abandonParkedResponses() {
        List<CompletableFuture<?>> parked = new ArrayList<>();
        for (ClassicGroup group : groups.values()) {
            for (GroupMember member : group.members.values()) {
                if (member.awaitingJoin != null) {
                    parked.add(member.awaitingJoin);
                    member.awaitingJoin = null;
                }
                if (member.awaitingSync != null) {
                    parked.add(member.awaitingSync);
                    member.awaitingSync = null;
                }
            }
        }
        return parked;
    }

    // ---------------------------------------------------------------- timers

    /** The earliest time {@link #poll} has something to do, or {@code Long.MAX_VALUE}. */
    public long nextDeadline() {
        long next = loading ? Long.MAX_VALUE : Math.min(nextRetentionCheck, consumer.nextDeadline());
        for (ClassicGroup group : groups.values()) {
            if (group.joinDeadline >= 0) {
                next = Math.min(next, group.joinDeadline);
            }
            if (group.syncDeadline >= 0) {
                next = Math.min(next, group.syncDeadline);
            }
            for (long deadline : group.pendingMembers.values()) {
                next = Math.min(next, deadline);
            }
            for (GroupMember member : group.members.values()) {
                if (member.awaitingJoin == null && member.awaitingSync == null) {
                    next = Math.min(next, member.heartbeatDeadline);
                }
            }
        }
        return next;
    }

    /** Fires every timer due at {@code now}: rebalance and sync deadlines, session expiry, offsets retention. */
    public Effects poll(long now) {
        Effects effects = Effects.empty();
        if (loading) {
            return effects;
        }
        for (ClassicGroup group : List.copyOf(groups.values())) {
            if (group.is(GroupState.PREPARING_REBALANCE) && group.joinDeadline >= 0 && now >= group.joinDeadline) {
                completeJoin(group, now, effects);
            }
            if (group.is(GroupState.COMPLETING_REBALANCE) && group.syncDeadline >= 0 && now >= group.syncDeadline) {
                // The leader (or others) never synced: drop those who did not and start over.
                for (GroupMember member : List.copyOf(group.members.values())) {
                    if (member.awaitingSync == null) {
                        group.remove(member.memberId);
                    }
                }
                prepareRebalance(group, now, effects);
            }
            group.pendingMembers.values().removeIf(deadline -> now >= deadline);
            for (GroupMember member : List.copyOf(group.members.values())) {
                boolean waiting = member.awaitingJoin != null || member.awaitingSync != null;
                if (!waiting && now >= member.heartbeatDeadline && group.members.containsKey(member.memberId)) {
                    removeMember(group, member.memberId, now, effects);
                }
            }
            maybeCompleteJoin(group, now, effects);
        }
        consumer.poll(now, effects);
        if (nextRetentionCheck >= 0 && now >= nextRetentionCheck) {
            expireOffsets(now, effects);
            nextRetentionCheck = now + config.retentionCheckIntervalMs();
        }
        return effects;
    }

    /**
     * Kafka's offsets retention: an empty classic group loses offsets {@code offsets.retention} after it became empty
     * (after their commit if it never had members); a non-empty group using the consumer protocol type, classic or
     * KIP-848, loses only the offsets of topics it no longer subscribes to, {@code offsets.retention} after their
     * commit; an empty consumer-protocol group, all of them after their commit. A group left with no offsets and no
     * members is deleted.
     */
    private void expireOffsets(long now, Effects effects) {
        for (ConsumerGroup consumerGroup : List.copyOf(consumer.groupList())) {
            // an empty consumer group without offsets is deleted at the check, as Kafka does
            if (consumerGroup.members.isEmpty() && !groups.containsKey(consumerGroup.groupId)) {
                consumer.delete(consumerGroup.groupId, effects);
            }
        }
        for (ClassicGroup group : groups.values()) {
            ConsumerGroup consumerGroup = consumer.group(group.groupId);
            Set<String> subscribed;
            boolean byCommitTime;
            if (consumerGroup != null) {
                subscribed = consumerGroup.subscribedTopicNames(consumer.topics());
                byCommitTime = true;
            } else if (group.is(GroupState.EMPTY)) {
                subscribed = Set.of();
                byCommitTime = group.protocolType.isEmpty();
            } else if ("consumer".equals(group.protocolType) && group.is(GroupState.STABLE)) {
                subscribed = subscribedTopics(group);
                byCommitTime = true;
            } else {
                continue;
            }
            int expired = 0;
            for (Map.Entry<TopicPartition, CommittedOffset> e : group.offsets.entrySet()) {
                long base = byCommitTime ? e.getValue().commitTimestamp() : group.stateTimestamp;
                // As Kafka: an offset with a pending transactional offset does not expire yet.
                if (!subscribed.contains(e.getKey().topic()) && now >= base + config.offsetsRetentionMs()
                        && !pendingOffsets.has(group.groupId, e.getKey())) {
                    effects.write(new OffsetCommit(group.groupId, e.getKey(), null));
                    expired++;
                }
            }
            boolean empty = consumerGroup == null ? group.is(GroupState.EMPTY) : consumerGroup.members.isEmpty();
            // A group with open transactions stays (Kafka), even with all its committed offsets expired.
            if (expired == group.offsets.size() && empty && !pendingOffsets.hasGroup(group.groupId)) {
                effects.write(new GroupMetadata(group.groupId, null));
                if (consumerGroup != null) {
                    consumer.delete(group.groupId, effects);
                }
            }
        }
    }

    // ---------------------------------------------------------------- offsets

    public Effects commitOffsets(OffsetCommitRequestData request, short version, long now,
            CompletableFuture<OffsetCommitResponseData> future) {
        Effects effects = Effects.empty();
        ClassicGroup group = groups.get(request.groupId());
        ConsumerGroup consumerGroup = consumer.group(request.groupId());
        ConsumerGroupManager.PartitionCheck[] partitionCheck = {ConsumerGroupManager.PartitionCheck.ALL_VALID};
        Errors error = consumerGroup != null
                ? consumer.validateCommit(consumerGroup, request.memberId(), request.generationIdOrMemberEpoch(),
                        version, partitionCheck)
                : validateCommit(group, request, version);
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        for (OffsetCommitRequestTopic topic : request.topics()) {
            OffsetCommitResponseTopic responseTopic = new OffsetCommitResponseTopic().setName(topic.name())
                    .setTopicId(topic.topicId());
            response.topics().add(responseTopic);
            for (OffsetCommitRequestPartition p : topic.partitions()) {
                Errors partitionError = error == Errors.NONE
                        ? partitionCheck[0].check(topic.name(), p.partitionIndex())
                        : error;
                String metadata = p.committedMetadata() == null ? "" : p.committedMetadata();
                if (partitionError == Errors.NONE && metadata.length() > config.offsetMetadataMaxBytes()) {
                    partitionError = Errors.OFFSET_METADATA_TOO_LARGE;
                }
                if (partitionError == Errors.NONE) {
                    effects.write(new OffsetCommit(request.groupId(),
                            new TopicPartition(topic.name(), p.partitionIndex()),
                            new CommittedOffset(p.committedOffset(), p.committedLeaderEpoch(), metadata, now)));
                }
                responseTopic.partitions().add(new OffsetCommitResponsePartition()
                        .setPartitionIndex(p.partitionIndex()).setErrorCode(partitionError.code()));
            }
        }
        if (error == Errors.NONE && consumerGroup == null && group != null
                && group.members.containsKey(request.memberId())) {
            GroupMember member = group.members.get(request.memberId());
            member.heartbeatDeadline = now + member.sessionTimeoutMs;
        }
        effects.respond(future, response);
        return effects;
    }

    private Errors validateCommit(ClassicGroup group, OffsetCommitRequestData request, short version) {
        int generation = request.generationIdOrMemberEpoch();
        if (group == null) {
            if (generation < 0) {
                return Errors.NONE;
            }
            return version >= 9 ? Errors.GROUP_ID_NOT_FOUND : Errors.ILLEGAL_GENERATION;
        }
        if (generation < 0 && group.is(GroupState.EMPTY)) {
            return Errors.NONE;
        }
        String memberId = request.memberId() == null ? "" : request.memberId();
        if (generation >= 0 || !memberId.isEmpty() || request.groupInstanceId() != null) {
            Errors error = validateMember(group, memberId, request.groupInstanceId());
            if (error != Errors.NONE) {
                return error;
            }
            if (generation != group.generation) {
                return Errors.ILLEGAL_GENERATION;
            }
            if (group.is(GroupState.COMPLETING_REBALANCE)) {
                return Errors.REBALANCE_IN_PROGRESS;
            }
            return Errors.NONE;
        }
        return group.is(GroupState.EMPTY) ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
    }

    /**
     * TxnOffsetCommit: validates the request as Kafka does and returns the offset records, which the caller writes in
     * a transactional batch of the request's producer (so they stay pending until its marker; see
     * {@link #replayTransactional}). Unlike OffsetCommit, a request without member id and generation is accepted for a
     * group with members (older versions have neither), and a classic group completing a rebalance takes it.
     */
    public Effects commitTransactionalOffsets(TxnOffsetCommitRequestData request, short version, long now,
            CompletableFuture<TxnOffsetCommitResponseData> future) {
        Effects effects = Effects.empty();
        ConsumerGroupManager.PartitionCheck[] partitionCheck = {ConsumerGroupManager.PartitionCheck.ALL_VALID};
        Errors error = validateTransactionalCommit(request, partitionCheck);
        TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData();
        for (TxnOffsetCommitRequestTopic topic : request.topics()) {
            TxnOffsetCommitResponseTopic responseTopic = new TxnOffsetCommitResponseTopic().setName(topic.name());
            response.topics().add(responseTopic);
            for (TxnOffsetCommitRequestPartition p : topic.partitions()) {
                Errors partitionError = error == Errors.NONE
                        ? txnError(partitionCheck[0].check(topic.name(), p.partitionIndex()))
                        : error;
                String metadata = p.committedMetadata() == null ? "" : p.committedMetadata();
                if (partitionError == Errors.NONE && metadata.length() > config.offsetMetadataMaxBytes()) {
                    partitionError = Errors.OFFSET_METADATA_TOO_LARGE;
                }
                if (partitionError == Errors.NONE) {
                    effects.write(new OffsetCommit(request.groupId(),
                            new TopicPartition(topic.name(), p.partitionIndex()),
                            new CommittedOffset(p.committedOffset(), p.committedLeaderEpoch(), metadata, now)));
                }
                responseTopic.partitions().add(new TxnOffsetCommitResponsePartition()
                        .setPartitionIndex(p.partitionIndex()).setErrorCode(partitionError.code()));
            }
        }
        effects.respond(future, response);
        return effects;
    }

    /** Kafka's checks of a TxnOffsetCommit; STALE_MEMBER_EPOCH is answered as ILLEGAL_GENERATION, as Kafka does. */
    private Errors validateTransactionalCommit(TxnOffsetCommitRequestData request,
            ConsumerGroupManager.PartitionCheck[] partitionCheck) {
        int generation = request.generationIdOrMemberEpoch();
        String memberId = request.memberId() == null ? "" : request.memberId();
        ConsumerGroup consumerGroup = consumer.group(request.groupId());
        if (consumerGroup != null) {
            // The version rule of OffsetCommit (v9+ for consumer-protocol members) does not apply to TxnOffsetCommit.
            return txnError(consumer.validateCommit(consumerGroup, memberId, generation, (short) 9, partitionCheck));
        }
        ClassicGroup group = groups.get(request.groupId());
        if (group == null) {
            // A simple group is created by the commit's replay when generation is -1 (admin or manual assignment).
            return generation < 0 ? Errors.NONE : Errors.ILLEGAL_GENERATION;
        }
        if (generation < 0 && group.is(GroupState.EMPTY)) {
            return Errors.NONE;
        }
        if (generation >= 0 || !memberId.isEmpty() || request.groupInstanceId() != null) {
            Errors error = validateMember(group, memberId, request.groupInstanceId());
            if (error != Errors.NONE) {
                return error;
            }
            if (generation != group.generation) {
                return Errors.ILLEGAL_GENERATION;
            }
        }
        return Errors.NONE;
    }

    private static Errors txnError(Errors error) {
        return error == Errors.STALE_MEMBER_EPOCH ? Errors.ILLEGAL_GENERATION : error;
    }

    /**
     * The committed offsets of a group: of the given topics and partitions, or of everything when {@code topics} is
     * null. A partition without an offset gets -1.
     */
    public OffsetFetchResponseGroup fetchOffsets(String groupId, Map<String, List<Integer>> topics) {
        return fetchOffsets(groupId, topics, null, -1);
    }

    /**
     * As {@link #fetchOffsets(String, Map)}, from a member of a consumer-protocol group (OffsetFetch v9+), which
     * must name itself with its current epoch (STALE_MEMBER_EPOCH, UNKNOWN_MEMBER_ID otherwise). A null member id
     * with epoch -1 is an admin fetch.
     */
    public OffsetFetchResponseGroup fetchOffsets(String groupId, Map<String, List<Integer>> topics, String memberId,
            int memberEpoch) {
        return fetchOffsets(groupId, topics, memberId, memberEpoch, false);
    }

    /**
     * As {@link #fetchOffsets(String, Map, String, int)}; with {@code requireStable} (OffsetFetch v7+) a partition
     * with an offset pending in an open transaction answers UNSTABLE_OFFSET_COMMIT, as Kafka. Pending offsets are never
     * shown; without {@code requireStable} the partition answers its last committed offset.
     */
    public OffsetFetchResponseGroup fetchOffsets(String groupId, Map<String, List<Integer>> topics, String memberId,
            int memberEpoch, boolean requireStable) {
        ConsumerGroup consumerGroup = consumer.group(groupId);
        if (consumerGroup != null) {
            Errors error = consumer.validateFetch(consumerGroup, memberId, memberEpoch);
            if (error != Errors.NONE) {
                return new OffsetFetchResponseGroup().setGroupId(groupId).setErrorCode(error.code());
            }
        } else if (memberId != null && !memberId.isEmpty() && memberEpoch >= 0) {
            // Kafka: a member id with an epoch is checked against the classic group's members and generation
            ClassicGroup classic = groups.get(groupId);
            if (classic == null || !classic.members.containsKey(memberId)) {
                return new OffsetFetchResponseGroup().setGroupId(groupId)
                        .setErrorCode(Errors.UNKNOWN_MEMBER_ID.code());
            }
            if (classic.generation != memberEpoch) {
                return new OffsetFetchResponseGroup().setGroupId(groupId)
                        .setErrorCode(Errors.ILLEGAL_GENERATION.code());
            }
        }
        ClassicGroup group = groups.get(groupId);
        Map<TopicPartition, CommittedOffset> offsets = group == null ? Map.of() : group.offsets;
        Map<String, OffsetFetchResponseTopics> byTopic = new LinkedHashMap<>();
        if (topics == null) {
            offsets.forEach((tp, offset) -> topic(byTopic, tp.topic()).partitions()
                    .add(stable(groupId, tp, requireStable, partition(tp.partition(), offset))));
        } else {
            topics.forEach((topic, partitions) -> {
                OffsetFetchResponseTopics t = topic(byTopic, topic);
                for (int p : partitions) {
                    TopicPartition tp = new TopicPartition(topic, p);
                    t.partitions().add(stable(groupId, tp, requireStable, partition(p, offsets.get(tp))));
                }
            });
        }
        return new OffsetFetchResponseGroup().setGroupId(groupId).setTopics(new ArrayList<>(byTopic.values()));
    }

    private OffsetFetchResponsePartitions stable(String groupId, TopicPartition tp, boolean requireStable,
            OffsetFetchResponsePartitions answer) {
        if (!requireStable || !pendingOffsets.has(groupId, tp)) {
            return answer;
        }
        return answer.setCommittedOffset(NO_OFFSET).setCommittedLeaderEpoch(-1).setMetadata("")
                .setErrorCode(Errors.UNSTABLE_OFFSET_COMMIT.code());
    }

    private static OffsetFetchResponseTopics topic(Map<String, OffsetFetchResponseTopics> byTopic, String name) {
        return byTopic.computeIfAbsent(name, n -> new OffsetFetchResponseTopics().setName(n));
    }

    private static OffsetFetchResponsePartitions partition(int index, CommittedOffset offset) {
        OffsetFetchResponsePartitions p = new OffsetFetchResponsePartitions().setPartitionIndex(index);
        if (offset == null) {
            return p.setCommittedOffset(NO_OFFSET).setCommittedLeaderEpoch(-1).setMetadata("");
        }
        return p.setCommittedOffset(offset.offset()).setCommittedLeaderEpoch(offset.leaderEpoch())
                .setMetadata(offset.metadata());
    }

    public Effects deleteOffsets(OffsetDeleteRequestData request, CompletableFuture<OffsetDeleteResponseData> future) {
        Effects effects = Effects.empty();
        ClassicGroup group = groups.get(request.groupId());
        ConsumerGroup consumerGroup = consumer.group(request.groupId());
        if (consumerGroup != null) {
            Set<String> subscribed = consumerGroup.subscribedTopicNames(consumer.topics());
            effects.respond(future, deleteOffsets(request, group, subscribed, effects));
            return effects;
        }
        if (group == null) {
            effects.respond(future, new OffsetDeleteResponseData().setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()));
            return effects;
        }
        boolean empty = group.is(GroupState.EMPTY);
        if (!empty && !"consumer".equals(group.protocolType)) {
            effects.respond(future, new OffsetDeleteResponseData().setErrorCode(Errors.NON_EMPTY_GROUP.code()));
            return effects;
        }
        Set<String> subscribed = empty ? Set.of() : subscribedTopics(group);
        effects.respond(future, deleteOffsets(request, group, subscribed, effects));
        return effects;
    }

    private OffsetDeleteResponseData deleteOffsets(OffsetDeleteRequestData request, ClassicGroup group,
            Set<String> subscribed, Effects effects) {
        OffsetDeleteResponseTopicCollection topics = new OffsetDeleteResponseTopicCollection();
        for (OffsetDeleteRequestTopic topic : request.topics()) {
            OffsetDeleteResponsePartitionCollection partitions = new OffsetDeleteResponsePartitionCollection();
            for (var p : topic.partitions()) {
                Errors error = subscribed.contains(topic.name()) ? Errors.GROUP_SUBSCRIBED_TO_TOPIC : Errors.NONE;
                TopicPartition tp = new TopicPartition(topic.name(), p.partitionIndex());
                // As Kafka: a pending transactional offset gets a tombstone too, which drops it on replay.
                if (error == Errors.NONE && group != null
                        && (group.offsets.containsKey(tp) || pendingOffsets.has(group.groupId, tp))) {
                    effects.write(new OffsetCommit(group.groupId, tp, null));
                }
                partitions.add(new OffsetDeleteResponsePartition().setPartitionIndex(p.partitionIndex())
                        .setErrorCode(error.code()));
            }
            topics.add(new OffsetDeleteResponseTopic().setName(topic.name()).setPartitions(partitions));
        }
        return new OffsetDeleteResponseData().setTopics(topics);
    }

    /** Topics in the members' consumer-protocol subscriptions; a subscription that cannot be parsed counts as all. */
    private static Set<String> subscribedTopics(ClassicGroup group) {
        Set<String> topics = new HashSet<>();
        for (GroupMember member : group.members.values()) {
            try {
                ConsumerPartitionAssignor.Subscription subscription = ConsumerProtocol
                        .deserializeSubscription(ByteBuffer.wrap(member.metadata(group.protocolName)));
                topics.addAll(subscription.topics());
            } catch (RuntimeException e) {
                return new AllTopics();
            }
        }
        return topics;
    }

    /** A set that contains every topic. */
    private static final class AllTopics extends HashSet<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean contains(Object o) {
            return true;
        }
    }

    // ---------------------------------------------------------------- describe, list, delete

    public DescribedGroup describe(String groupId) {
        if (consumer.group(groupId) != null) {
            // Kafka: DescribeGroups answers only classic groups (the handler drops the error before v6)
            return new DescribedGroup().setGroupId(groupId).setGroupState(GroupState.DEAD.wireName())
                    .setProtocolType("").setProtocolData("").setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                    .setErrorMessage("Group " + groupId + " is not a classic group.");
        }
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            return new DescribedGroup().setGroupId(groupId).setGroupState(GroupState.DEAD.wireName())
                    .setProtocolType("").setProtocolData("");
        }
        boolean stable = group.is(GroupState.STABLE);
        DescribedGroup described = new DescribedGroup().setGroupId(groupId).setGroupState(group.state.wireName())
                .setProtocolType(group.protocolType)
                .setProtocolData(stable && group.protocolName != null ? group.protocolName : "");
        for (GroupMember member : group.members.values()) {
            described.members().add(new DescribedGroupMember().setMemberId(member.memberId)
                    .setGroupInstanceId(member.instanceId).setClientId(member.clientId)
                    .setClientHost(member.clientHost)
                    .setMemberMetadata(stable ? member.metadata(group.protocolName) : new byte[0])
                    .setMemberAssignment(stable ? member.assignment : new byte[0]));
        }
        return described;
    }

    /** Groups whose state (wire name, case-insensitive) and type match the filters; empty filters match all. */
    public List<ListedGroup> list(Set<String> states, Set<String> types) {
        List<ListedGroup> listed = new ArrayList<>();
        boolean classicWanted = types.isEmpty() || types.stream().anyMatch("classic"::equalsIgnoreCase);
        boolean consumerWanted = types.isEmpty() || types.stream().anyMatch("consumer"::equalsIgnoreCase);
        if (consumerWanted) {
            for (ConsumerGroup group : consumer.groups()) {
                String state = group.state().wireName();
                if (states.isEmpty() || states.stream().anyMatch(state::equalsIgnoreCase)) {
                    listed.add(new ListedGroup().setGroupId(group.groupId).setProtocolType("consumer")
                            .setGroupState(state).setGroupType("consumer"));
                }
            }
        }
        if (!classicWanted) {
            return listed;
        }
        for (ClassicGroup group : groups.values()) {
            if (consumer.group(group.groupId) != null) {
                continue;
            }
            boolean stateWanted = states.isEmpty()
                    || states.stream().anyMatch(s -> s.equalsIgnoreCase(group.state.wireName()));
            if (stateWanted) {
                listed.add(new ListedGroup().setGroupId(group.groupId).setProtocolType(group.protocolType)
                        .setGroupState(group.state.wireName()).setGroupType("classic"));
            }
        }
        return listed;
    }

    /** Deletes empty groups with their offsets; NON_EMPTY_GROUP for a group with members. */
    public Effects deleteGroups(List<String> groupIds, CompletableFuture<List<DeletableGroupResult>> future) {
        Effects effects = Effects.empty();
        List<DeletableGroupResult> results = new ArrayList<>();
        for (String groupId : groupIds) {
            ClassicGroup group = groups.get(groupId);
            ConsumerGroup consumerGroup = consumer.group(groupId);
            Errors error;
            if (consumerGroup != null) {
                error = consumerGroup.members.isEmpty() ? Errors.NONE : Errors.NON_EMPTY_GROUP;
                if (error == Errors.NONE) {
                    if (group != null) {
                        group.offsets.keySet().forEach(tp -> effects.write(new OffsetCommit(groupId, tp, null)));
                        writePendingTombstones(group, effects);
                        effects.write(new GroupMetadata(groupId, null));
                    }
                    consumer.delete(groupId, effects);
                }
            } else if (group == null) {
                error = Errors.GROUP_ID_NOT_FOUND;
            } else if (!group.is(GroupState.EMPTY)) {
                error = Errors.NON_EMPTY_GROUP;
            } else {
                error = Errors.NONE;
                for (TopicPartition tp : group.offsets.keySet()) {
                    effects.write(new OffsetCommit(groupId, tp, null));
                }
                writePendingTombstones(group, effects);
                effects.write(new GroupMetadata(groupId, null));
            }
            results.add(new DeletableGroupResult().setGroupId(groupId).setErrorCode(error.code()));
        }
        effects.respond(future, results);
        return effects;
    }

    /**
     * Kafka deletes a group's pending transactional offsets with it: a tombstone for each partition that has no
     * committed offset (those that have one got theirs already), which drops the pending offsets on replay.
     */
    private void writePendingTombstones(ClassicGroup group, Effects effects) {
        for (TopicPartition tp : pendingOffsets.partitions(group.groupId)) {
            if (!group.offsets.containsKey(tp)) {
                effects.write(new OffsetCommit(group.groupId, tp, null));
            }
        }
    }

    // ---------------------------------------------------------------- consumer group protocol (KIP-848)

    /**
     * ConsumerGroupHeartbeat. A non-empty classic group of the same id answers GROUP_ID_NOT_FOUND, as Kafka does with
     * {@code group.consumer.migration.policy=disabled}; an empty one (offsets only) becomes a consumer group, keeping
     * its offsets.
     */
    public Effects consumerHeartbeat(ConsumerGroupHeartbeatRequestData request, short version, String clientId,
            String clientHost, long now, CompletableFuture<ConsumerGroupHeartbeatResponseData> future) {
        return consumer.heartbeat(request, version, groups.get(request.groupId()), clientId, clientHost, now, future);
    }

    /** ConsumerGroupDescribe of one group: GROUP_ID_NOT_FOUND for a classic or unknown group, as Kafka. */
    public ConsumerGroupDescribeResponseData.DescribedGroup consumerDescribe(String groupId) {
        return consumer.describe(groupId, groups.containsKey(groupId));
    }

    /**
     * Tells the shard what topics exist now; consumer groups whose subscribed topics changed (created, deleted,
     * partitions added) get a new epoch and rebalance. While loading the view is only stored.
     */
    public Effects onTopicsChanged(TopicsView topics) {
        return consumer.onTopicsChanged(topics, !loading);
    }

    /** The state of a consumer-protocol group, if there is one (for tests). */
    public java.util.Optional<ConsumerGroupState> consumerGroupState(String groupId) {
        return java.util.Optional.ofNullable(consumer.group(groupId)).map(ConsumerGroup::state);
    }

    /** The group's state, or empty if it does not exist (for tests and ListGroups). */
    public java.util.Optional<GroupState> state(String groupId) {
        return java.util.Optional.ofNullable(groups.get(groupId)).map(g -> g.state);
    }

    /** Ids of the members of a group (for tests). */
    public List<String> memberIds(String groupId) {
        ClassicGroup group = groups.get(groupId);
        return group == null ? List.of() : List.copyOf(group.members.keySet());
    }

    /** The current generation of a group, or -1 (for tests). */
    public int generation(String groupId) {
        ClassicGroup group = groups.get(groupId);
        return group == null ? -1 : group.generation;
    }
}
