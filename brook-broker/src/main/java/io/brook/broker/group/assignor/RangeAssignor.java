package io.brook.broker.group.assignor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.common.Uuid;

/**
 * Co-partitioned ranges: for each topic, the members subscribed to it (sorted by member id) get contiguous ranges of
 * its partitions, the first {@code partitions % members} one partition more. Members subscribed to the same topics
 * with the same partition counts therefore get the same partition numbers of each, which is what joins over
 * co-partitioned topics need. Not sticky across membership changes.
 */
public final class RangeAssignor implements ConsumerGroupAssignor {

    public static final String NAME = "range";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SortedMap<String, SortedMap<Uuid, Set<Integer>>> assign(AssignmentSpec spec) {
        SortedMap<String, SortedMap<Uuid, Set<Integer>>> result = new TreeMap<>();
        spec.members().keySet().forEach(m -> result.put(m, new TreeMap<>()));
        for (Map.Entry<Uuid, Integer> topic : new TreeMap<>(spec.partitionCounts()).entrySet()) {
            List<String> subscribers = new ArrayList<>();
            for (String memberId : result.keySet()) {
                if (spec.members().get(memberId).subscribedTopics().contains(topic.getKey())) {
                    subscribers.add(memberId);
                }
            }
            if (subscribers.isEmpty()) {
                continue;
            }
            int partitions = topic.getValue();
            int quota = partitions / subscribers.size();
            int extra = partitions % subscribers.size();
            int next = 0;
            for (int i = 0; i < subscribers.size(); i++) {
                int count = quota + (i < extra ? 1 : 0);
                if (count == 0) {
                    continue;
                }
                Set<Integer> range = new TreeSet<>();
                for (int p = next; p < next + count; p++) {
                    range.add(p);
                }
                next += count;
                result.get(subscribers.get(i)).put(topic.getKey(), range);
            }
        }
        return result;
    }
}
