package io.brook.broker.group;

import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.common.Uuid;

/**
 * Where a consumer-protocol member is in its reconciliation: its epoch, the partitions it owns and those it must still
 * give up. Immutable.
 *
 * @param state see {@link State}
 * @param memberEpoch the epoch the member is at; -2 for a static member that left and keeps its slot
 * @param previousMemberEpoch the epoch before the last change (a heartbeat that missed the change may use it)
 * @param assigned partitions the member owns and may consume, by topic id
 * @param pendingRevocation partitions the member owns but must revoke before it may advance
 */
public record MemberAssignment(State state, int memberEpoch, int previousMemberEpoch,
        SortedMap<Uuid, Set<Integer>> assigned, SortedMap<Uuid, Set<Integer>> pendingRevocation) {

    /** As Kafka's member states, named as ConsumerGroupDescribe does not show them but logs do. */
    public enum State {
        /** Owns exactly its target (at the member epoch). */
        STABLE,
        /** Must revoke {@link #pendingRevocation} before it gets anything new. */
        UNREVOKED_PARTITIONS,
        /** At the target epoch, but waits for partitions other members have not released yet. */
        UNRELEASED_PARTITIONS
    }

    /** A member that just joined: epoch 0, nothing owned. */
    public static MemberAssignment initial() {
        return new MemberAssignment(State.STABLE, 0, 0, new TreeMap<>(), new TreeMap<>());
    }

    public MemberAssignment withEpoch(int epoch) {
        return new MemberAssignment(state, epoch, memberEpoch, assigned, pendingRevocation);
    }

    /** A deep, sorted copy of an assignment map. */
    public static SortedMap<Uuid, Set<Integer>> copy(Map<Uuid, Set<Integer>> partitions) {
        SortedMap<Uuid, Set<Integer>> copy = new TreeMap<>();
        partitions.forEach((topic, p) -> {
            if (!p.isEmpty()) {
                copy.put(topic, new TreeSet<>(p));
            }
        });
        return copy;
    }

    static int count(Map<Uuid, Set<Integer>> partitions) {
        return partitions.values().stream().mapToInt(Set::size).sum();
    }
}
