package io.brook.broker.group.assignor;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.common.Uuid;

/**
 * Balanced and sticky. Three steps, each deterministic (members in id order, partitions in topic id and index order):
 * <ol>
 * <li>every member keeps the partitions of its previous target that still exist and that it still subscribes to;
 * <li>partitions nobody kept go, one by one, to the least loaded member subscribed to their topic;
 * <li>while some member has two or more partitions more than another member that could take one of them, one such
 * partition moves from the most to the least loaded.
 * </ol>
 * With identical subscriptions this ends with counts differing by at most one, moving only partitions that must move.
 * With different subscriptions the last step only moves partitions to members subscribed to them, so the result is
 * balanced as far as single moves can make it.
 */
public final class UniformAssignor implements ConsumerGroupAssignor {

    public static final String NAME = "uniform";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SortedMap<String, SortedMap<Uuid, Set<Integer>>> assign(AssignmentSpec spec) {
        Map<String, TreeSet<Tp>> owned = new TreeMap<>();
        Map<Tp, String> owner = new HashMap<>();
        for (String memberId : new TreeSet<>(spec.members().keySet())) {
            MemberSpec member = spec.members().get(memberId);
            TreeSet<Tp> kept = new TreeSet<>(ORDER);
            member.previousTarget().forEach((topicId, partitions) -> {
                Integer count = spec.partitionCounts().get(topicId);
                if (count != null && member.subscribedTopics().contains(topicId)) {
                    for (int p : partitions) {
                        Tp tp = new Tp(topicId, p);
                        if (p < count && !owner.containsKey(tp)) {
                            kept.add(tp);
                            owner.put(tp, memberId);
                        }
                    }
                }
            });
            owned.put(memberId, kept);
        }
        for (Uuid topicId : new TreeSet<>(spec.partitionCounts().keySet())) {
            for (int p = 0; p < spec.partitionCounts().get(topicId); p++) {
                Tp tp = new Tp(topicId, p);
                if (!owner.containsKey(tp)) {
                    String least = leastLoaded(spec, owned, topicId, Integer.MAX_VALUE);
                    if (least != null) {
                        owned.get(least).add(tp);
                        owner.put(tp, least);
                    }
                }
            }
        }
        balance(spec, owned);
        SortedMap<String, SortedMap<Uuid, Set<Integer>>> result = new TreeMap<>();
        owned.forEach((memberId, partitions) -> {
            SortedMap<Uuid, Set<Integer>> byTopic = new TreeMap<>();
            partitions.forEach(tp -> byTopic.computeIfAbsent(tp.topicId(), t -> new TreeSet<>()).add(tp.partition()));
            result.put(memberId, byTopic);
        });
        return result;
    }

    /** A partition of a topic named by id. */
    private record Tp(Uuid topicId, int partition) {
    }

    private static final Comparator<Tp> ORDER = Comparator.comparing(Tp::topicId)
            .thenComparingInt(Tp::partition);

    /** The member with fewest partitions (then smallest id) subscribed to the topic and holding fewer than max. */
    private static String leastLoaded(AssignmentSpec spec, Map<String, TreeSet<Tp>> owned, Uuid topicId,
            int max) {
        String best = null;
        int bestCount = max;
        for (Map.Entry<String, TreeSet<Tp>> e : owned.entrySet()) {
            int count = e.getValue().size();
            if (count < bestCount && spec.members().get(e.getKey()).subscribedTopics().contains(topicId)) {
                best = e.getKey();
                bestCount = count;
            }
        }
        return best;
    }

    /** Moves single partitions from the most loaded members to less loaded ones that subscribe to them. */
    private static void balance(AssignmentSpec spec, Map<String, TreeSet<Tp>> owned) {
        boolean moved = true;
        while (moved) {
            moved = false;
            String[] byLoadDescending = owned.keySet().stream()
                    .sorted(Comparator.comparingInt((String m) -> -owned.get(m).size())
                            .thenComparing(Comparator.naturalOrder()))
                    .toArray(String[]::new);
            for (String from : byLoadDescending) {
                int fromCount = owned.get(from).size();
                // the last partitions in order move first, so the ones kept stay the low-numbered ones
                for (Tp tp : owned.get(from).descendingSet()) {
                    String to = leastLoaded(spec, owned, tp.topicId(), fromCount - 1);
                    if (to != null) {
                        owned.get(from).remove(tp);
                        owned.get(to).add(tp);
                        moved = true;
                        break;
                    }
                }
                if (moved) {
                    break;
                }
            }
        }
    }
}
