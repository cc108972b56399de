package io.brook.broker.group;

import java.util.List;
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
 * @param partitionEpochs for every owned partition (assigned or pending revocation), the member epoch at which the
 *        member got it: a commit made at an older epoch than the member's is accepted for the partitions it already
 *        had then (Kafka 4.4)
 */
public record MemberAssignment(State state, int memberEpoch, int previousMemberEpoch,
        SortedMap<Uuid, Set<Integer>> assigned, SortedMap<Uuid, Set<Integer>> pendingRevocation,
        SortedMap<Uuid, SortedMap<Integer, Integer>> partitionEpochs) {

    /** An assignment whose partitions were all received at {@code memberEpoch}. */
    public MemberAssignment(State state, int memberEpoch, int previousMemberEpoch,
            SortedMap<Uuid, Set<Integer>> assigned,
            SortedMap<Uuid, Set<Integer>> pendingRevocation) {
        this(state, memberEpoch, previousMemberEpoch, assigned, pendingRevocation,
                epochs(assigned, pendingRevocation, null, memberEpoch));
    }

    /**
     * The epochs of the partitions in {@code assigned} and {@code pendingRevocation}: as in {@code previous} for those
     * already owned, else {@code epoch}.
     */
    static SortedMap<Uuid, SortedMap<Integer, Integer>> epochs(Map<Uuid, Set<Integer>> assigned,
            Map<Uuid, Set<Integer>> pendingRevocation, Map<Uuid, SortedMap<Integer, Integer>> previous, int epoch) {
        SortedMap<Uuid, SortedMap<Integer, Integer>> epochs = new TreeMap<>();
        for (Map<Uuid, Set<Integer>> owned : List.of(assigned, pendingRevocation)) {
            owned.forEach((topic, partitions) -> {
                Map<Integer, Integer> before = previous == null
                        ? Map.of()
                        : previous.getOrDefault(topic, new TreeMap<>());
                partitions.forEach(p -> epochs.computeIfAbsent(topic, t -> new TreeMap<>()).put(p,
                        before.getOrDefault(p, epoch)));
            });
        }
        return epochs;
    }

    /** The epoch at which the member got a partition it owns, or null if it does not own it. */
    public Integer partitionEpoch(Uuid topic, int partition) {
        SortedMap<Integer, Integer> byPartition = partitionEpochs.get(topic);
        return byPartition == null ? null : byPartition.get(partition);
    }

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
