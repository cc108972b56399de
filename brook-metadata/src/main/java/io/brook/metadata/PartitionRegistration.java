package io.brook.metadata;

import java.util.List;

/**
 * One partition's replica assignment and leadership, as Kafka's controller records it.
 *
 * <p>During a reassignment {@code replicas} holds the target replicas followed by the ones being removed; {@code
 * addingReplicas} are in the target but not in the original assignment, {@code removingReplicas} the reverse. The
 * reassignment completes when every adding replica is in the ISR.
 *
 * @param replicas ordered replicas; the first is the preferred leader
 * @param isr in-sync replicas, a subset of {@code replicas}
 * @param addingReplicas replicas being added by an ongoing reassignment
 * @param removingReplicas replicas being removed by an ongoing reassignment
 * @param leader the leader's broker id, or {@link #NO_LEADER} when the partition is offline
 * @param leaderEpoch bumped on every leader change (including to and from {@link #NO_LEADER})
 * @param partitionEpoch bumped on every change of this registration; AlterPartition must name the current one
 */
public record PartitionRegistration(List<Integer> replicas, List<Integer> isr, List<Integer> addingReplicas,
        List<Integer> removingReplicas, int leader, int leaderEpoch, int partitionEpoch) {

    public static final int NO_LEADER = -1;

    public PartitionRegistration {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
        addingReplicas = List.copyOf(addingReplicas);
        removingReplicas = List.copyOf(removingReplicas);
    }

    /** A new partition: every replica in the ISR, the first one leading, epochs zero. */
    public static PartitionRegistration initial(List<Integer> replicas, List<Integer> isr, int leader) {
        return new PartitionRegistration(replicas, isr, List.of(), List.of(), leader, 0, 0);
    }

    public boolean hasLeader() {
        return leader != NO_LEADER;
    }

    public boolean reassigning() {
        return !addingReplicas.isEmpty() || !removingReplicas.isEmpty();
    }

    public int preferredLeader() {
        return replicas.get(0);
    }
}
