package io.brook.broker.group.assignor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

import org.apache.kafka.common.Uuid;

import io.brook.broker.group.assignor.ConsumerGroupAssignor.AssignmentSpec;
import io.brook.broker.group.assignor.ConsumerGroupAssignor.MemberSpec;

/** Builds specs and checks the properties every assignment must have. */
final class AssignorTestSupport {

    private AssignorTestSupport() {
    }

    static AssignmentSpec spec(Map<Uuid, Integer> partitions, Map<String, Set<Uuid>> subscriptions,
            Map<String, SortedMap<Uuid, Set<Integer>>> previous) {
        Map<String, MemberSpec> members = new HashMap<>();
        subscriptions.forEach((m, topics) -> members.put(m,
                new MemberSpec(topics, previous.containsKey(m) ? previous.get(m) : Map.of())));
        return new AssignmentSpec(members, partitions);
    }

    /** Every partition of a subscribed topic is assigned exactly once, only to a subscriber. */
    static void assertValid(AssignmentSpec spec, Map<String, SortedMap<Uuid, Set<Integer>>> result) {
        assertThat(result.keySet()).isEqualTo(spec.members().keySet());
        Set<String> seen = new HashSet<>();
        result.forEach((member, topics) -> topics.forEach((topic, partitions) -> {
            assertThat(spec.members().get(member).subscribedTopics()).contains(topic);
            for (int p : partitions) {
                assertThat(p).isBetween(0, spec.partitionCounts().get(topic) - 1);
                assertThat(seen.add(topic + "-" + p)).as("partition %s-%d assigned twice", topic, p).isTrue();
            }
        }));
        spec.partitionCounts().forEach((topic, count) -> {
            boolean subscribed = spec.members().values().stream().anyMatch(m -> m.subscribedTopics().contains(topic));
            for (int p = 0; subscribed && p < count; p++) {
                assertThat(seen).contains(topic + "-" + p);
            }
        });
    }

    static int count(Map<Uuid, Set<Integer>> assignment) {
        return assignment.values().stream().mapToInt(Set::size).sum();
    }
}
