package io.brook.metadata.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

import io.brook.metadata.PartitionRegistration;

/**
 * Computes a partition's next registration from a target replica set and ISR, electing its leader as Kafka's
 * controller does (without eligible leader replicas):
 *
 * <ul>
 * <li>the current leader stays if it is still a replica, in the ISR and eligible;
 * <li>else the first replica, in replicas order, that is in the ISR and eligible leads;
 * <li>else, when unclean election is allowed, the first eligible replica leads and becomes the whole ISR;
 * <li>else the partition goes offline (leader -1) and keeps its ISR, so that the last in-sync replica can lead
 * again when it comes back.
 * </ul>
 *
 * The leader epoch goes up on every leader change, the partition epoch on every change at all. Stateless.
 */
final class PartitionChange {

    private PartitionChange() {
    }

    /**
     * @param eligible whether a broker may lead or be in the ISR (registered, unfenced, not shutting down)
     * @return the next registration, or {@code current} itself when nothing changes
     */
    static PartitionRegistration build(PartitionRegistration current, List<Integer> replicas, List<Integer> isr,
            List<Integer> adding, List<Integer> removing, IntPredicate eligible, boolean uncleanAllowed) {
        int leader = current.leader();
        List<Integer> newIsr = isr;
        boolean leaderStays = leader != PartitionRegistration.NO_LEADER && replicas.contains(leader)
                && isr.contains(leader) && eligible.test(leader);
        if (!leaderStays) {
            leader = firstMatching(replicas, r -> isr.contains(r) && eligible.test(r));
            if (leader == PartitionRegistration.NO_LEADER && uncleanAllowed) {
                leader = firstMatching(replicas, r -> eligible.test(r) && !removing.contains(r));
                if (leader != PartitionRegistration.NO_LEADER) {
                    newIsr = List.of(leader);
                }
            }
        }
        return next(current, replicas, newIsr, adding, removing, leader);
    }

    /** The same replicas and ISR, re-electing only if the leader must change. */
    static PartitionRegistration reelect(PartitionRegistration current, IntPredicate eligible,
            boolean uncleanAllowed) {
        return build(current, current.replicas(), current.isr(), current.addingReplicas(),
                current.removingReplicas(), eligible, uncleanAllowed);
    }

    /**
     * Takes {@code brokerId} out of the ISR (unless it is the last member, as Kafka keeps it so that it can lead
     * again) and moves the leadership off it if it can no longer lead.
     */
    static PartitionRegistration withoutBroker(PartitionRegistration current, int brokerId, IntPredicate eligible,
            boolean uncleanAllowed) {
        List<Integer> isr = without(current.isr(), brokerId);
        if (isr.isEmpty()) {
            isr = current.isr();
        }
        return build(current, current.replicas(), isr, current.addingReplicas(), current.removingReplicas(),
                eligible, uncleanAllowed);
    }

    /** The registration with exactly these fields, bumping the epochs as needed; {@code current} if unchanged. */
    static PartitionRegistration next(PartitionRegistration current, List<Integer> replicas, List<Integer> isr,
            List<Integer> adding, List<Integer> removing, int leader) {
        if (replicas.equals(current.replicas()) && isr.equals(current.isr())
                && adding.equals(current.addingReplicas()) && removing.equals(current.removingReplicas())
                && leader == current.leader()) {
            return current;
        }
        int leaderEpoch = leader == current.leader() ? current.leaderEpoch() : current.leaderEpoch() + 1;
        return new PartitionRegistration(replicas, isr, adding, removing, leader, leaderEpoch,
                current.partitionEpoch() + 1);
    }

    static int firstMatching(List<Integer> replicas, IntPredicate predicate) {
        for (int replica : replicas) {
            if (predicate.test(replica)) {
                return replica;
            }
        }
        return PartitionRegistration.NO_LEADER;
    }

    static List<Integer> without(List<Integer> list, int value) {
        List<Integer> result = new ArrayList<>(list);
        result.remove(Integer.valueOf(value));
        return List.copyOf(result);
    }
}
