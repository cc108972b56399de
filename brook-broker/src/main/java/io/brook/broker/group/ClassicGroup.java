package io.brook.broker.group;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;

import io.brook.broker.group.GroupRecord.CommittedOffset;

/** One classic group: members, generation, state and committed offsets. Mutable; owned by its shard's thread. */
final class ClassicGroup {

    final String groupId;
    GroupState state = GroupState.EMPTY;
    long stateTimestamp;
    int generation;
    String protocolType = "";
    String protocolName;
    String leader;
    final Map<String, GroupMember> members = new LinkedHashMap<>();
    /** Dynamic members told MEMBER_ID_REQUIRED, with the deadline of their second join. */
    final Map<String, Long> pendingMembers = new HashMap<>();
    final Map<String, String> staticMembers = new HashMap<>();
    final Map<TopicPartition, CommittedOffset> offsets = new LinkedHashMap<>();
    /** The replay order (log order) of each committed offset's record; see {@link PendingTransactionalOffsets}. */
    final Map<TopicPartition, Long> offsetOrder = new HashMap<>();
    /** When the current PreparingRebalance ends at the latest (ms), or -1. */
    long joinDeadline = -1;
    /** For the initial delay of an empty group: the hard cap of {@link #joinDeadline}, or -1 when not delaying. */
    long initialDelayCap = -1;
    /** When members that have not synced are removed, or -1. */
    long syncDeadline = -1;

    ClassicGroup(String groupId, long now) {
        this.groupId = groupId;
        this.stateTimestamp = now;
    }

    void transition(GroupState next, long now) {
        state = next;
        stateTimestamp = now;
    }

    boolean is(GroupState s) {
        return state == s;
    }

    void add(GroupMember member) {
        if (members.isEmpty()) {
            protocolType = protocolType == null ? "" : protocolType;
        }
        members.put(member.memberId, member);
        if (member.isStatic()) {
            staticMembers.put(member.instanceId, member.memberId);
        }
        if (leader == null) {
            leader = member.memberId;
        }
    }

    GroupMember remove(String memberId) {
        GroupMember member = members.remove(memberId);
        if (member != null && member.isStatic()) {
            staticMembers.remove(member.instanceId);
        }
        if (memberId.equals(leader)) {
            leader = members.isEmpty() ? null : members.keySet().iterator().next();
        }
        return member;
    }

    boolean allMembersJoined() {
        return pendingMembers.isEmpty() && members.values().stream().allMatch(m -> m.awaitingJoin != null);
    }

    int maxRebalanceTimeoutMs() {
        return members.values().stream().mapToInt(m -> m.rebalanceTimeoutMs).max().orElse(0);
    }

    /** True if every member supports one of {@code protocols} (or the group has no members yet). */
    boolean supportsAny(String type, Set<String> protocols) {
        if (members.isEmpty()) {
            return !type.isEmpty() && !protocols.isEmpty();
        }
        if (!type.equals(protocolType)) {
            return false;
        }
        return candidateProtocols().stream().anyMatch(protocols::contains);
    }

    /** Protocols every member supports. */
    Set<String> candidateProtocols() {
        Set<String> common = null;
        for (GroupMember member : members.values()) {
            if (common == null) {
                common = new HashSet<>(member.protocols.keySet());
            } else {
                common.retainAll(member.protocols.keySet());
            }
        }
        return common == null ? Set.of() : common;
    }

    /** Kafka's vote: each member votes for its most preferred common protocol; the most votes win. */
    String selectProtocol() {
        Set<String> candidates = candidateProtocols();
        Map<String, Integer> votes = new LinkedHashMap<>();
        for (GroupMember member : members.values()) {
            for (String protocol : member.protocols.keySet()) {
                if (candidates.contains(protocol)) {
                    votes.merge(protocol, 1, Integer::sum);
                    break;
                }
            }
        }
        return votes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
    }

    List<GroupRecord.MemberSnapshot> memberSnapshots() {
        return members.values().stream()
                .map(m -> new GroupRecord.MemberSnapshot(m.memberId, m.instanceId, m.clientId, m.clientHost,
                        m.rebalanceTimeoutMs, m.sessionTimeoutMs, m.metadata(protocolName), m.assignment))
                .toList();
    }

    GroupRecord.GroupSnapshot snapshot() {
        return new GroupRecord.GroupSnapshot(protocolType, generation, protocolName, leader, stateTimestamp,
                memberSnapshots());
    }
}
