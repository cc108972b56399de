package io.brook.broker.group;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.common.Uuid;

import io.brook.broker.group.MemberAssignment.State;

/**
 * The next step of a member towards its target assignment, as Kafka's consumer protocol reconciles: a member first
 * revokes what it must give up (staying at its epoch), then moves to the target epoch with the partitions it keeps
 * plus the new ones nobody else owns; partitions still owned by others are handed over later (unreleased). A pure
 * function of the member's state, the target and who owns what.
 */
public final class Reconciliation {

    /** The epoch at which another member owns a partition, or -1 when it is free. */
    @FunctionalInterface
    public interface PartitionOwnership {
        int ownerEpoch(Uuid topicId, int partition);
    }

    private Reconciliation() {
    }

    /**
     * @param current the member's state
     * @param targetEpoch the group's assignment epoch
     * @param target the member's target assignment
     * @param others which partitions other members still own
     * @param owned what the member reports it owns, or null when the heartbeat did not say; it only tells whether
     *        the member revoked what it was already asked to (in UNREVOKED_PARTITIONS)
     */
    public static MemberAssignment next(MemberAssignment current, int targetEpoch, Map<Uuid, Set<Integer>> target,
            PartitionOwnership others, Map<Uuid, Set<Integer>> owned) {
        return switch (current.state()) {
            case STABLE -> current.memberEpoch() != targetEpoch
                    ? compute(current, current.memberEpoch(), targetEpoch, target, others)
                    : current;
            case UNREVOKED_PARTITIONS -> {
                // A heartbeat without owned partitions says nothing about the revocation: the Java client sends
                // them only once its revocation callback has run, so until then the member still owns them.
                if (owned == null || intersects(owned, current.pendingRevocation())) {
                    yield current;
                }
                // Revoked: the member moves on from its own epoch (Kafka 4.4), revoking more first if the target
                // moved on meanwhile.
                yield compute(current, current.memberEpoch(), targetEpoch, target, others);
            }
            case UNRELEASED_PARTITIONS -> compute(current, current.memberEpoch(), targetEpoch, target, others);
        };
    }

    private static MemberAssignment compute(MemberAssignment current, int memberEpoch, int targetEpoch,
            Map<Uuid, Set<Integer>> target, PartitionOwnership others) {
        SortedMap<Uuid, Set<Integer>> kept = new TreeMap<>();
        SortedMap<Uuid, Set<Integer>> revoke = new TreeMap<>();
        SortedMap<Uuid, Set<Integer>> add = new TreeMap<>();
        boolean unreleased = false;
        Set<Uuid> topics = new HashSet<>(target.keySet());
        topics.addAll(current.assigned().keySet());
        for (Uuid topic : topics) {
            Set<Integer> wanted = target.getOrDefault(topic, Set.of());
            Set<Integer> have = current.assigned().getOrDefault(topic, Set.of());
            Set<Integer> keep = new TreeSet<>(have);
            keep.retainAll(wanted);
            Set<Integer> drop = new TreeSet<>(have);
            drop.removeAll(keep);
            Set<Integer> gain = new TreeSet<>(wanted);
            gain.removeAll(keep);
            unreleased |= gain.removeIf(p -> others.ownerEpoch(topic, p) != -1);
            putIfNotEmpty(kept, topic, keep);
            putIfNotEmpty(revoke, topic, drop);
            putIfNotEmpty(add, topic, gain);
        }
        // Unlike Kafka's CurrentAssignmentBuilder, an owned list without these partitions does not skip the
        // revocation: they are in the assignment last sent to the member, so the list is the client's local state
        // of a reconciliation still under way (the Java client acknowledges a partly resolved assignment, or resends
        // its local one after a failed heartbeat), and it may still take them. The member must first be told to
        // drop them; only then does an owned list without them prove they are free (UNREVOKED_PARTITIONS above).
        if (!revoke.isEmpty()) {
            return advance(current, State.UNREVOKED_PARTITIONS, memberEpoch, kept, revoke);
        }
        if (!add.isEmpty()) {
            add.forEach((topic, p) -> kept.computeIfAbsent(topic, t -> new TreeSet<>()).addAll(p));
        }
        return advance(current, unreleased ? State.UNRELEASED_PARTITIONS : State.STABLE, targetEpoch, kept,
                new TreeMap<>());
    }

    private static MemberAssignment advance(MemberAssignment current, State state, int epoch,
            SortedMap<Uuid, Set<Integer>> assigned, SortedMap<Uuid, Set<Integer>> pendingRevocation) {
        // As Kafka's member builder, every step makes the epoch the member was at its previous one, even when the
        // epoch stays: a heartbeat at an older epoch is then refused while the member must revoke.
        return new MemberAssignment(state, epoch, current.memberEpoch(), assigned, pendingRevocation,
                MemberAssignment.epochs(assigned, pendingRevocation, current.partitionEpochs(), epoch));
    }

    private static void putIfNotEmpty(Map<Uuid, Set<Integer>> map, Uuid topic, Set<Integer> partitions) {
        if (!partitions.isEmpty()) {
            map.put(topic, partitions);
        }
    }

    /** Whether the two share a partition. */
    static boolean intersects(Map<Uuid, Set<Integer>> a, Map<Uuid, Set<Integer>> b) {
        for (Map.Entry<Uuid, Set<Integer>> e : a.entrySet()) {
            Set<Integer> other = b.get(e.getKey());
            if (other != null && e.getValue().stream().anyMatch(other::contains)) {
                return true;
            }
        }
        return false;
    }

    /** Whether every partition of {@code sub} is in {@code of}. */
    static boolean isSubset(Map<Uuid, Set<Integer>> sub, Map<Uuid, Set<Integer>> of) {
        for (Map.Entry<Uuid, Set<Integer>> e : sub.entrySet()) {
            Set<Integer> other = of.getOrDefault(e.getKey(), Set.of());
            if (!other.containsAll(e.getValue())) {
                return false;
            }
        }
        return true;
    }
}
