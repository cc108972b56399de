package io.brook.metadata.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import io.brook.metadata.BrokerRegistration;

/**
 * Places new partitions' replicas on brokers, the way Kafka's striped round-robin does: leaders go round the brokers
 * from a random start, each follower sits a (random, then rotating) shift after its leader, so leaders and replicas
 * spread evenly. With racks, the broker list is ordered so that neighbours are on different racks, and a partition's
 * followers skip racks it already uses while some rack is unused.
 *
 * <p>Deterministic given the {@link Random}: the submitter seeds it and carries the seed in the command. Stateless.
 */
final class ReplicaPlacer {

    private ReplicaPlacer() {
    }

    /**
     * @param brokers the brokers that may receive replicas (at least {@code replicationFactor} of them)
     * @param firstPartition the index of the first new partition (so that adding partitions continues the stripe)
     * @return for each new partition, its ordered replicas
     */
    static List<List<Integer>> place(List<BrokerRegistration> brokers, int count, int replicationFactor,
            int firstPartition, Random random) {
        if (replicationFactor > brokers.size()) {
            throw new IllegalArgumentException("replication factor " + replicationFactor + " > " + brokers.size()
                    + " brokers");
        }
        List<BrokerRegistration> ordered = rackAlternating(brokers);
        int n = ordered.size();
        int start = random.nextInt(n);
        int shift = random.nextInt(n);
        int racks = (int) ordered.stream().map(ReplicaPlacer::rackOf).distinct().count();
        List<List<Integer>> result = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int p = firstPartition + i;
            // Every full round of leaders moves the followers one step, so no two brokers always pair up.
            int roundShift = shift + p / n;
            int first = (start + p) % n;
            result.add(replicasOf(ordered, first, roundShift, replicationFactor, racks));
        }
        return result;
    }

    private static List<Integer> replicasOf(List<BrokerRegistration> ordered, int first, int shift,
            int replicationFactor, int racks) {
        int n = ordered.size();
        List<Integer> replicas = new ArrayList<>(replicationFactor);
        Set<String> usedRacks = new HashSet<>();
        BrokerRegistration leader = ordered.get(first);
        replicas.add(leader.id());
        usedRacks.add(rackOf(leader));
        // Two passes over the followers' candidate positions: first only unused racks, then anything left.
        for (int pass = 0; pass < 2 && replicas.size() < replicationFactor; pass++) {
            for (int k = 0; k < n - 1 && replicas.size() < replicationFactor; k++) {
                BrokerRegistration candidate = ordered.get((first + 1 + (shift + k) % (n - 1)) % n);
                if (replicas.contains(candidate.id())) {
                    continue;
                }
                boolean acceptable = !usedRacks.contains(rackOf(candidate)) || usedRacks.size() >= racks;
                if (pass == 1 || acceptable) {
                    replicas.add(candidate.id());
                    usedRacks.add(rackOf(candidate));
                }
            }
        }
        return replicas;
    }

    /** Brokers ordered rack by rack in turn (rack a's first, rack b's first, ..., rack a's second, ...). */
    static List<BrokerRegistration> rackAlternating(List<BrokerRegistration> brokers) {
        Map<String, List<BrokerRegistration>> byRack = new TreeMap<>();
        brokers.stream().sorted((a, b) -> Integer.compare(a.id(), b.id()))
                .forEach(b -> byRack.computeIfAbsent(rackOf(b), r -> new ArrayList<>()).add(b));
        List<BrokerRegistration> ordered = new ArrayList<>(brokers.size());
        for (int i = 0; ordered.size() < brokers.size(); i++) {
            for (List<BrokerRegistration> rack : byRack.values()) {
                if (i < rack.size()) {
                    ordered.add(rack.get(i));
                }
            }
        }
        return ordered;
    }

    /** A broker without {@code broker.rack} counts as its own rack-less group. */
    private static String rackOf(BrokerRegistration broker) {
        return broker.rack() == null ? "" : broker.rack();
    }
}
