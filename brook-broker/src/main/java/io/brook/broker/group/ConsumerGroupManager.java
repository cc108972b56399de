package io.brook.broker.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;

import io.brook.broker.group.GroupRecord.ConsumerGroupEpoch;
import io.brook.broker.group.GroupRecord.ConsumerMember;
import io.brook.broker.group.GroupRecord.CurrentAssignment;
import io.brook.broker.group.GroupRecord.GroupEpoch;
import io.brook.broker.group.GroupRecord.GroupMetadata;
import io.brook.broker.group.GroupRecord.MemberSubscription;
import io.brook.broker.group.GroupRecord.TargetAssignmentEpoch;
import io.brook.broker.group.GroupRecord.TargetAssignmentMember;
import io.brook.broker.group.assignor.ConsumerGroupAssignor;
import io.brook.broker.group.assignor.ConsumerGroupAssignor.AssignmentSpec;
import io.brook.broker.group.assignor.ConsumerGroupAssignor.MemberSpec;

/**
 * The consumer-protocol groups (KIP-848) of one {@code __consumer_offsets} partition: ConsumerGroupHeartbeat (join,
 * subscription changes, reconciliation, leave, fencing), session and revocation timeouts, topic changes. The
 * {@link GroupShard} owns this and routes to it, so both protocols share one group namespace and one set of committed
 * offsets.
 *
 * <p>As the classic side does, live calls mutate the groups directly and return the records that describe the change;
 * {@link #replay} applies those records only while loading, to rebuild the groups.
 *
 * <p>Pure: no I/O, threads or clock. Not thread-safe; the shard's owner thread calls everything.
 */
final class ConsumerGroupManager {

    static final int LEAVE_EPOCH = -1;
    static final int STATIC_LEAVE_EPOCH = -2;

    private final ConsumerGroupConfig config;
    private final Map<String, ConsumerGroup> groups = new LinkedHashMap<>();
    private TopicsView topics = TopicsView.EMPTY;

    ConsumerGroupManager(ConsumerGroupConfig config) {
        this.config = config;
    }

    ConsumerGroup group(String groupId) {
        return groups.get(groupId);
    }

    Iterable<ConsumerGroup> groups() {
        return groups.values();
    }

    List<ConsumerGroup> groupList() {
        return List.copyOf(groups.values());
    }

    TopicsView topics() {
        return topics;
    }

    /** Thrown inside a heartbeat to answer with an error; never escapes this class. */
    private static final class HeartbeatError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Errors error;

        HeartbeatError(Errors error, String message) {
            super(message, null, false, false);
            this.error = error;
        }
    }

    // ---------------------------------------------------------------- heartbeat

    private void checkRequest(ConsumerGroupHeartbeatRequestData r, short version) {
        if (version >= 1) {
            requireNonEmpty(r.memberId(), "MemberId can't be empty.");
        }
        requireNonEmpty(r.groupId(), "GroupId can't be empty.");
        notEmptyIfSet(r.instanceId(), "InstanceId can't be empty.");
        notEmptyIfSet(r.rackId(), "RackId can't be empty.");
        if (r.memberEpoch() > 0 || r.memberEpoch() == LEAVE_EPOCH) {
            requireNonEmpty(r.memberId(), "MemberId can't be empty.");
        } else if (r.memberEpoch() == 0) {
            if (r.rebalanceTimeoutMs() == -1) {
                throw invalid("RebalanceTimeoutMs must be provided in first request.");
            }
            if (r.topicPartitions() == null || !r.topicPartitions().isEmpty()) {
                throw invalid("TopicPartitions must be empty when (re-)joining.");
            }
            if (r.subscribedTopicNames() == null && r.subscribedTopicRegex() == null) {
                throw invalid(
                        "Either SubscribedTopicNames or SubscribedTopicRegex must be non-null when (re-)joining.");
            }
        } else if (r.memberEpoch() == STATIC_LEAVE_EPOCH) {
            requireNonEmpty(r.memberId(), "MemberId can't be empty.");
            if (r.instanceId() == null) {
                throw invalid("InstanceId can't be null.");
            }
        } else {
            throw invalid("MemberEpoch is invalid.");
        }
        if (r.subscribedTopicRegex() != null) {
            if (r.subscribedTopicRegex().isEmpty()) {
                throw invalid("SubscribedTopicRegex must not be empty.");
            }
            try {
                Pattern.compile(r.subscribedTopicRegex());
            } catch (PatternSyntaxException e) {
                throw new HeartbeatError(Errors.INVALID_REGULAR_EXPRESSION,
                        "SubscribedTopicRegex `" + r.subscribedTopicRegex() + "` is not a valid regular expression: "
                                + e.getDescription() + ".");
            }
        }
        if (r.serverAssignor() != null && assignor(r.serverAssignor()).isEmpty()) {
            throw new HeartbeatError(Errors.UNSUPPORTED_ASSIGNOR,
                    "ServerAssignor " + r.serverAssignor() + " is not supported. Supported assignors: "
                            + String.join(", ", config.assignors().stream().map(ConsumerGroupAssignor::name).toList())
                            + ".");
        }
    }

    private static HeartbeatError invalid(String message) {
        return new HeartbeatError(Errors.INVALID_REQUEST, message);
    }

    private static void requireNonEmpty(String value, String message) {
        if (value == null || value.isEmpty()) {
            throw invalid(message);
        }
    }

    private static void notEmptyIfSet(String value, String message) {
        if (value != null && value.isEmpty()) {
            throw invalid(message);
        }
    }

    private Optional<ConsumerGroupAssignor> assignor(String name) {
        return config.assignors().stream().filter(a -> a.name().equals(name)).findFirst();
    }

    /**
     * Handles a heartbeat. {@code classic} is the shard's classic entry of the same group id, or null: one with members
     * answers GROUP_ID_NOT_FOUND, as Kafka does with {@code group.consumer.migration.policy=disabled}; an empty one
     * (offsets only) is taken over, its offsets kept.
     */
    Effects heartbeat(ConsumerGroupHeartbeatRequestData request, short version, ClassicGroup classic,
            String clientId, String clientHost, long now,
            CompletableFuture<ConsumerGroupHeartbeatResponseData> future) {
        Effects effects = Effects.empty();
        try {
            checkRequest(request, version);
            if (classic != null && !groups.containsKey(request.groupId())) {
                takeOverClassicGroup(classic, request, effects);
            }
            effects.respond(future, doHeartbeat(request, clientId, clientHost, now, effects));
        } catch (HeartbeatError e) {
            effects.records().clear();
            effects.respond(future, error(e.error, e.getMessage()));
        }
        return effects;
    }

    private static void takeOverClassicGroup(ClassicGroup classic, ConsumerGroupHeartbeatRequestData request,
            Effects effects) {
        if (!classic.is(GroupState.EMPTY) || request.memberEpoch() != 0) {
            throw new HeartbeatError(Errors.GROUP_ID_NOT_FOUND, "Cannot upgrade classic group " + classic.groupId
                    + " to consumer group because online upgrade is disabled.");
        }
        if (!classic.protocolType.isEmpty()) {
            // the empty classic group is replaced; a snapshot without members keeps its offsets on reload
            classic.protocolType = "";
            classic.protocolName = null;
            classic.leader = null;
            classic.pendingMembers.clear();
            effects.write(new GroupMetadata(classic.groupId, classic.snapshot()));
        }
    }

    /** ConsumerGroupDescribe: GROUP_ID_NOT_FOUND for a classic ({@code classicExists}) or unknown group. */
    DescribedGroup describe(String groupId, boolean classicExists) {
        ConsumerGroup group = groups.get(groupId);
        if (group == null) {
            String message = classicExists
                    ? "Group " + groupId + " is not a consumer group."
                    : "Group " + groupId + " not found.";
            return new DescribedGroup().setGroupId(groupId).setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                    .setErrorMessage(message);
        }
        return ConsumerGroupDescriber.describe(group, groupAssignor(group).name(), topics);
    }

    static ConsumerGroupHeartbeatResponseData error(Errors error, String message) {
        return new ConsumerGroupHeartbeatResponseData().setErrorCode(error.code()).setErrorMessage(message);
    }

    private ConsumerGroupHeartbeatResponseData doHeartbeat(ConsumerGroupHeartbeatRequestData r, String clientId,
            String clientHost, long now, Effects effects) {
        String groupId = r.groupId();
        int epoch = r.memberEpoch();
        ConsumerGroup group = groups.get(groupId);
        if (group == null && epoch != 0) {
            throw new HeartbeatError(Errors.GROUP_ID_NOT_FOUND, "Consumer group " + groupId + " not found.");
        }
        if (epoch == LEAVE_EPOCH || epoch == STATIC_LEAVE_EPOCH) {
            return leave(group, r, now, effects);
        }
        boolean created = group == null;
        if (created) {
            group = new ConsumerGroup(groupId, now);
        }
        String memberId = r.memberId().isEmpty() ? UUID.randomUUID().toString() : r.memberId();
        if (group.members.size() >= config.maxSize() && !group.members.containsKey(memberId)
                && !(r.instanceId() != null && group.staticMembers.containsKey(r.instanceId()))) {
            throw new HeartbeatError(Errors.GROUP_MAX_SIZE_REACHED,
                    "The consumer group has reached its maximum capacity of " + config.maxSize() + " members.");
        }
        Map<Uuid, Set<Integer>> owned = owned(r);
        ConsumerGroupMember member = r.instanceId() == null
                ? dynamicMember(group, memberId, epoch, owned)
                : staticMember(group, memberId, epoch, r.instanceId(), owned, now, effects);
        if (created) {
            groups.put(groupId, group);
        }
        boolean isNew = !group.members.containsKey(member.memberId);
        MemberSubscription before = member.subscription();
        applyRequest(member, r, clientId, clientHost);
        MemberSubscription after = member.subscription();
        boolean bump = isNew || !member.sameSubscription(before);
        if (isNew) {
            group.putMember(member);
        }
        if (!after.equals(before) || isNew) {
            effects.write(new ConsumerMember(groupId, member.memberId, after));
        }
        SortedMap<String, TopicsView.Topic> resolved = group.resolveSubscribedTopics(topics);
        if (bump || created || !resolved.equals(group.subscribedTopics)) {
            group.subscribedTopics = resolved;
            bumpEpoch(group, effects);
        }
        if (group.groupEpoch > group.assignmentEpoch) {
            computeTargetAssignment(group, effects);
        }
        MemberAssignment previous = member.assignment;
        reconcile(group, member, owned, now, effects);
        member.sessionDeadline = now + config.sessionTimeoutMs();
        ConsumerGroupHeartbeatResponseData response = new ConsumerGroupHeartbeatResponseData()
                .setMemberId(member.memberId).setMemberEpoch(member.assignment.memberEpoch())
                .setHeartbeatIntervalMs(config.heartbeatIntervalMs());
        boolean fullRequest = epoch == 0 || (r.rebalanceTimeoutMs() != -1
                && (r.subscribedTopicNames() != null || r.subscribedTopicRegex() != null) && owned != null);
        if (fullRequest || !previous.assigned().equals(member.assignment.assigned())) {
            response.setAssignment(responseAssignment(member.assignment.assigned()));
        }
        return response;
    }

    private static Map<Uuid, Set<Integer>> owned(ConsumerGroupHeartbeatRequestData r) {
        if (r.topicPartitions() == null) {
            return null;
        }
        Map<Uuid, Set<Integer>> owned = new HashMap<>();
        r.topicPartitions().forEach(tp -> owned.computeIfAbsent(tp.topicId(), t -> new TreeSet<>())
                .addAll(tp.partitions()));
        return owned;
    }

    private ConsumerGroupMember dynamicMember(ConsumerGroup group, String memberId, int epoch,
            Map<Uuid, Set<Integer>> owned) {
        ConsumerGroupMember member = group.members.get(memberId);
        if (epoch == 0) {
            if (member == null) {
                return new ConsumerGroupMember(memberId);
            }
            // A member rejoining under its id starts over: it owns nothing now.
            group.updateAssignment(member, MemberAssignment.initial());
            return member;
        }
        if (member == null) {
            throw new HeartbeatError(Errors.UNKNOWN_MEMBER_ID,
                    "Member " + memberId + " is not a member of group " + group.groupId + ".");
        }
        checkEpoch(member, epoch, owned);
        return member;
    }

    private ConsumerGroupMember staticMember(ConsumerGroup group, String memberId, int epoch, String instanceId,
            Map<Uuid, Set<Integer>> owned, long now, Effects effects) {
        String existingId = group.staticMembers.get(instanceId);
        ConsumerGroupMember existing = existingId == null ? null : group.members.get(existingId);
        if (epoch == 0) {
            if (existing == null) {
                return dynamicMember(group, memberId, 0, owned);
            }
            if (existing.memberId.equals(memberId)) {
                group.updateAssignment(existing, MemberAssignment.initial());
                return existing;
            }
            if (existing.assignment.memberEpoch() != STATIC_LEAVE_EPOCH) {
                throw new HeartbeatError(Errors.UNRELEASED_INSTANCE_ID,
                        "Static member " + memberId + " with instance id " + instanceId
                                + " cannot join the group because the instance id is owned by " + existing.memberId
                                + " member.");
            }
            // The new incarnation takes over the old one's place and partitions.
            ConsumerGroupMember replacement = new ConsumerGroupMember(memberId);
            replacement.restore(existing.subscription());
            SortedMap<Uuid, Set<Integer>> target = group.targetAssignment.getOrDefault(existing.memberId,
                    new TreeMap<>());
            MemberAssignment kept = existing.assignment;
            removeMember(group, existing.memberId, now, effects);
            group.targetAssignment.put(memberId, target);
            effects.write(new TargetAssignmentMember(group.groupId, memberId, target));
            group.updateAssignment(replacement, kept);
            return replacement;
        }
        if (existing == null) {
            throw new HeartbeatError(Errors.UNKNOWN_MEMBER_ID, "Instance id " + instanceId + " is unknown.");
        }
        if (!existing.memberId.equals(memberId)) {
            throw new HeartbeatError(Errors.FENCED_INSTANCE_ID, "Static member " + memberId + " with instance id "
                    + instanceId + " was fenced by member " + existing.memberId + ".");
        }
        checkEpoch(existing, epoch, owned);
        return existing;
    }

    /** A heartbeat may come with the member's epoch, or the previous one if it owns only what it still may. */
    private static void checkEpoch(ConsumerGroupMember member, int received, Map<Uuid, Set<Integer>> owned) {
        int expected = member.assignment.memberEpoch();
        if (received > expected) {
            throw new HeartbeatError(Errors.FENCED_MEMBER_EPOCH,
                    "The consumer group member has a greater member epoch (" + received
                            + ") than the one known by the group coordinator (" + expected
                            + "). The member must abandon all its partitions and rejoin.");
        }
        if (received < expected && (received != member.assignment.previousMemberEpoch() || owned == null
                || !Reconciliation.isSubset(owned, member.assignment.assigned()))) {
            throw new HeartbeatError(Errors.FENCED_MEMBER_EPOCH,
                    "The consumer group member has a smaller member epoch (" + received
                            + ") than the one known by the group coordinator (" + expected
                            + "). The member must abandon all its partitions and rejoin.");
        }
    }

    private static void applyRequest(ConsumerGroupMember member, ConsumerGroupHeartbeatRequestData r,
            String clientId, String clientHost) {
        if (r.instanceId() != null) {
            member.instanceId = r.instanceId();
        }
        if (r.rackId() != null) {
            member.rackId = r.rackId();
        }
        if (r.rebalanceTimeoutMs() != -1) {
            member.rebalanceTimeoutMs = r.rebalanceTimeoutMs();
        }
        if (r.serverAssignor() != null) {
            member.serverAssignor = r.serverAssignor();
        }
        if (r.subscribedTopicNames() != null) {
            member.subscribedTopicNames = new TreeSet<>(r.subscribedTopicNames());
        }
        if (r.subscribedTopicRegex() != null) {
            member.subscribedTopicRegex = r.subscribedTopicRegex();
        }
        member.clientId = clientId == null ? "" : clientId;
        member.clientHost = clientHost == null ? "" : clientHost;
    }

    private ConsumerGroupHeartbeatResponseData leave(ConsumerGroup group, ConsumerGroupHeartbeatRequestData r,
            long now, Effects effects) {
        String memberId = r.memberId();
        ConsumerGroupMember member;
        if (r.instanceId() != null) {
            String existingId = group.staticMembers.get(r.instanceId());
            member = existingId == null ? null : group.members.get(existingId);
            if (member == null) {
                throw new HeartbeatError(Errors.UNKNOWN_MEMBER_ID, "Instance id " + r.instanceId() + " is unknown.");
            }
            if (!member.memberId.equals(memberId)) {
                throw new HeartbeatError(Errors.FENCED_INSTANCE_ID, "Static member " + memberId
                        + " with instance id " + r.instanceId() + " was fenced by member " + member.memberId + ".");
            }
        } else {
            member = group.members.get(memberId);
            if (member == null) {
                throw new HeartbeatError(Errors.UNKNOWN_MEMBER_ID,
                        "Member " + memberId + " is not a member of group " + group.groupId + ".");
            }
        }
        if (r.memberEpoch() == STATIC_LEAVE_EPOCH) {
            // The static member keeps its slot and partitions until its session expires or it comes back.
            MemberAssignment a = member.assignment;
            MemberAssignment left = new MemberAssignment(a.state(), STATIC_LEAVE_EPOCH, a.memberEpoch(), a.assigned(),
                    new TreeMap<>(), MemberAssignment.epochs(a.assigned(), Map.of(), a.partitionEpochs(), 0));
            group.updateAssignment(member, left);
            member.revocationDeadline = Long.MAX_VALUE;
            effects.write(new CurrentAssignment(group.groupId, memberId, left));
        } else {
            fence(group, member.memberId, now, effects);
        }
        return new ConsumerGroupHeartbeatResponseData().setMemberId(memberId).setMemberEpoch(r.memberEpoch())
                .setHeartbeatIntervalMs(0);
    }

    // ---------------------------------------------------------------- rebalance

    private void bumpEpoch(ConsumerGroup group, Effects effects) {
        group.groupEpoch++;
        effects.write(new ConsumerGroupEpoch(group.groupId,
                new GroupEpoch(group.groupEpoch, List.copyOf(group.subscribedTopics.values()))));
    }

    /** The assignor of the group: the one most members asked for, else the first configured. */
    ConsumerGroupAssignor groupAssignor(ConsumerGroup group) {
        Map<String, Integer> votes = new TreeMap<>();
        group.members.values().forEach(m -> {
            if (m.serverAssignor != null) {
                votes.merge(m.serverAssignor, 1, Integer::sum);
            }
        });
        return votes.entrySet().stream().max(Map.Entry.comparingByValue()).flatMap(e -> assignor(e.getKey()))
                .orElse(config.assignors().get(0));
    }

    private void computeTargetAssignment(ConsumerGroup group, Effects effects) {
        Map<Uuid, Integer> partitionCounts = new HashMap<>();
        group.subscribedTopics.values().forEach(t -> partitionCounts.put(t.id(), t.partitions()));
        Map<String, MemberSpec> members = new HashMap<>();
        for (ConsumerGroupMember m : group.members.values()) {
            members.put(m.memberId, new MemberSpec(group.memberTopicIds(m, topics),
                    group.targetAssignment.getOrDefault(m.memberId, new TreeMap<>())));
        }
        SortedMap<String, SortedMap<Uuid, Set<Integer>>> target = groupAssignor(group)
                .assign(new AssignmentSpec(members, partitionCounts));
        target.forEach((memberId, assignment) -> {
            SortedMap<Uuid, Set<Integer>> copy = MemberAssignment.copy(assignment);
            if (!copy.equals(group.targetAssignment.get(memberId))) {
                group.targetAssignment.put(memberId, copy);
                effects.write(new TargetAssignmentMember(group.groupId, memberId, copy));
            }
        });
        group.assignmentEpoch = group.groupEpoch;
        effects.write(new TargetAssignmentEpoch(group.groupId, group.assignmentEpoch));
    }

    private static void reconcile(ConsumerGroup group, ConsumerGroupMember member, Map<Uuid, Set<Integer>> owned,
            long now, Effects effects) {
        MemberAssignment current = member.assignment;
        MemberAssignment next = Reconciliation.next(current, group.assignmentEpoch,
                group.targetAssignment.getOrDefault(member.memberId, new TreeMap<>()),
                (topic, p) -> group.ownerEpoch(member.memberId, topic, p), owned);
        if (!next.equals(current)) {
            group.updateAssignment(member, next);
            effects.write(new CurrentAssignment(group.groupId, member.memberId, next));
        }
        if (next.state() != MemberAssignment.State.UNREVOKED_PARTITIONS) {
            member.revocationDeadline = Long.MAX_VALUE;
        } else if (current.state() != MemberAssignment.State.UNREVOKED_PARTITIONS
                || current.memberEpoch() != next.memberEpoch()) {
            member.revocationDeadline = now + Math.max(0, member.rebalanceTimeoutMs);
        }
    }

    /** Removes a member (left, session expired, did not revoke in time): its records go, the group rebalances. */
    private void fence(ConsumerGroup group, String memberId, long now, Effects effects) {
        removeMember(group, memberId, now, effects);
        group.subscribedTopics = group.resolveSubscribedTopics(topics);
        bumpEpoch(group, effects);
    }

    private static void removeMember(ConsumerGroup group, String memberId, long now, Effects effects) {
        group.removeMember(memberId, now);
        effects.write(new CurrentAssignment(group.groupId, memberId, null));
        effects.write(new TargetAssignmentMember(group.groupId, memberId, null));
        effects.write(new ConsumerMember(group.groupId, memberId, null));
    }

    private static ConsumerGroupHeartbeatResponseData.Assignment responseAssignment(
            Map<Uuid, Set<Integer>> assigned) {
        ConsumerGroupHeartbeatResponseData.Assignment assignment = new ConsumerGroupHeartbeatResponseData.Assignment();
        assigned.forEach((topic, partitions) -> assignment.topicPartitions()
                .add(new ConsumerGroupHeartbeatResponseData.TopicPartitions().setTopicId(topic)
                        .setPartitions(new ArrayList<>(partitions))));
        return assignment;
    }

    // ---------------------------------------------------------------- topics and timers

    /** A new view of the topics: groups whose subscribed topics changed get a new epoch (and rebalance). */
    Effects onTopicsChanged(TopicsView view, boolean live) {
        Effects effects = Effects.empty();
        topics = view;
        if (!live) {
            return effects;
        }
        for (ConsumerGroup group : groups.values()) {
            if (group.members.isEmpty()) {
                continue;
            }
            SortedMap<String, TopicsView.Topic> resolved = group.resolveSubscribedTopics(view);
            if (!resolved.equals(group.subscribedTopics)) {
                group.subscribedTopics = resolved;
                bumpEpoch(group, effects);
            }
        }
        return effects;
    }

    long nextDeadline() {
        long next = Long.MAX_VALUE;
        for (ConsumerGroup group : groups.values()) {
            for (ConsumerGroupMember m : group.members.values()) {
                next = Math.min(next, Math.min(m.sessionDeadline, m.revocationDeadline));
            }
        }
        return next;
    }

    void poll(long now, Effects effects) {
        for (ConsumerGroup group : groups.values()) {
            for (ConsumerGroupMember m : List.copyOf(group.members.values())) {
                boolean revocationExpired = now >= m.revocationDeadline
                        && m.assignment.state() == MemberAssignment.State.UNREVOKED_PARTITIONS;
                if (now >= m.sessionDeadline || revocationExpired) {
                    fence(group, m.memberId, now, effects);
                }
            }
        }
    }

    // ---------------------------------------------------------------- deletion and load

    /** Tombstones for a whole group, and its removal. */
    void delete(String groupId, Effects effects) {
        ConsumerGroup group = groups.remove(groupId);
        if (group == null) {
            return;
        }
        for (String memberId : group.members.keySet()) {
            effects.write(new CurrentAssignment(groupId, memberId, null));
            effects.write(new TargetAssignmentMember(groupId, memberId, null));
            effects.write(new ConsumerMember(groupId, memberId, null));
        }
        effects.write(new TargetAssignmentEpoch(groupId, null));
        effects.write(new ConsumerGroupEpoch(groupId, null));
    }

    /** Applies a consumer-protocol record read at load. */
    void replay(GroupRecord record, long now) {
        String groupId = record.groupId();
        if (record instanceof ConsumerGroupEpoch e && e.value() == null) {
            groups.remove(groupId);
            return;
        }
        ConsumerGroup group = groups.computeIfAbsent(groupId, id -> new ConsumerGroup(id, now));
        if (record instanceof ConsumerGroupEpoch e) {
            group.groupEpoch = e.value().epoch();
            group.subscribedTopics = new TreeMap<>();
            e.value().subscribedTopics().forEach(t -> group.subscribedTopics.put(t.name(), t));
        } else if (record instanceof ConsumerMember m) {
            replayMember(group, m, now);
        } else if (record instanceof TargetAssignmentEpoch t) {
            group.assignmentEpoch = t.value() == null ? 0 : t.value();
        } else if (record instanceof TargetAssignmentMember t) {
            if (t.value() == null) {
                group.targetAssignment.remove(t.memberId());
            } else {
                group.targetAssignment.put(t.memberId(), t.value());
            }
        } else if (record instanceof CurrentAssignment c) {
            ConsumerGroupMember member = group.members.get(c.memberId());
            if (member == null && c.value() != null) {
                member = new ConsumerGroupMember(c.memberId());
                group.putMember(member);
            }
            if (member != null && c.value() != null) {
                group.updateAssignment(member, c.value());
            }
        } else {
            throw new IllegalArgumentException("Not a consumer group record: " + record);
        }
    }

    private static void replayMember(ConsumerGroup group, ConsumerMember m, long now) {
        if (m.value() == null) {
            group.removeMember(m.memberId(), now);
            return;
        }
        ConsumerGroupMember member = group.members.get(m.memberId());
        if (member == null) {
            member = new ConsumerGroupMember(m.memberId());
        }
        member.restore(m.value());
        group.putMember(member);
    }

    /** Ends loading: every member gets a fresh session from now, as Kafka does. */
    void loadComplete(long now) {
        for (ConsumerGroup group : groups.values()) {
            for (ConsumerGroupMember m : group.members.values()) {
                m.sessionDeadline = now + config.sessionTimeoutMs();
                if (m.assignment.state() == MemberAssignment.State.UNREVOKED_PARTITIONS) {
                    m.revocationDeadline = now + Math.max(0, m.rebalanceTimeoutMs);
                }
            }
        }
    }

    // ---------------------------------------------------------------- offsets

    /** Checks one partition of a commit (after the group-level checks passed). */
    @FunctionalInterface
    interface PartitionCheck {
        Errors check(String topic, int partition);

        PartitionCheck ALL_VALID = (topic, partition) -> Errors.NONE;
    }

    /**
     * Kafka 4.4's checks of a commit against a consumer-protocol group: an empty group takes commits from anyone; a
     * member must be known and use OffsetCommit v9+; its epoch may not be newer than the member's; an older epoch is
     * accepted only for partitions the member owns and already had at that epoch. Returns the group-level error,
     * or NONE with the per-partition check in {@code partitions[0]}.
     */
    Errors validateCommit(ConsumerGroup group, String memberId, int memberEpoch, short version,
            PartitionCheck[] partitions) {
        partitions[0] = PartitionCheck.ALL_VALID;
        if (memberEpoch < 0 && group.members.isEmpty()) {
            return Errors.NONE;
        }
        ConsumerGroupMember member = memberId == null ? null : group.members.get(memberId);
        if (member == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (version < 9) {
            return Errors.UNSUPPORTED_VERSION;
        }
        MemberAssignment assignment = member.assignment;
        if (memberEpoch > assignment.memberEpoch()) {
            return Errors.STALE_MEMBER_EPOCH;
        }
        if (memberEpoch < assignment.memberEpoch()) {
            partitions[0] = (topic, partition) -> {
                Integer since = topics.topic(topic).map(t -> assignment.partitionEpoch(t.id(), partition))
                        .orElse(null);
                return since != null && memberEpoch >= since ? Errors.NONE : Errors.STALE_MEMBER_EPOCH;
            };
        }
        return Errors.NONE;
    }

    /** Kafka's checks of an offset fetch that names a member. */
    Errors validateFetch(ConsumerGroup group, String memberId, int memberEpoch) {
        if (memberId == null && memberEpoch < 0) {
            return Errors.NONE;
        }
        ConsumerGroupMember member = memberId == null ? null : group.members.get(memberId);
        if (member == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        return memberEpoch == member.assignment.memberEpoch() ? Errors.NONE : Errors.STALE_MEMBER_EPOCH;
    }

    boolean isSubscribed(ConsumerGroup group, String topic) {
        return group.subscribedTopicNames(topics).contains(topic);
    }
}
