package io.brook.broker.group.assignor;

import static io.brook.broker.group.assignor.AssignorTestSupport.assertValid;
import static io.brook.broker.group.assignor.AssignorTestSupport.count;
import static io.brook.broker.group.assignor.AssignorTestSupport.spec;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

import io.brook.broker.group.assignor.ConsumerGroupAssignor.AssignmentSpec;

class UniformAssignorTest {

    private static final Uuid FOO = new Uuid(0, 1);
    private static final Uuid BAR = new Uuid(0, 2);
    private final UniformAssignor assignor = new UniformAssignor();

    @Test
    void shouldSpreadPartitionsEvenlyWhenSubscriptionsAreIdentical() {
        AssignmentSpec spec = spec(Map.of(FOO, 6, BAR, 5),
                Map.of("a", Set.of(FOO, BAR), "b", Set.of(FOO, BAR), "c", Set.of(FOO, BAR)), Map.of());

        SortedMap<String, SortedMap<Uuid, Set<Integer>>> result = assignor.assign(spec);

        assertValid(spec, result);
        assertThat(result.values().stream().mapToInt(AssignorTestSupport::count)).containsOnly(4, 4, 3);
    }

    @Test
    void shouldMoveOnlyWhatIsNeededWhenAMemberJoins() {
        AssignmentSpec first = spec(Map.of(FOO, 6), Map.of("a", Set.of(FOO), "b", Set.of(FOO)), Map.of());
        SortedMap<String, SortedMap<Uuid, Set<Integer>>> before = assignor.assign(first);

        AssignmentSpec second = spec(Map.of(FOO, 6), Map.of("a", Set.of(FOO), "b", Set.of(FOO), "c", Set.of(FOO)),
                new HashMap<>(before));
        SortedMap<String, SortedMap<Uuid, Set<Integer>>> after = assignor.assign(second);

        assertValid(second, after);
        assertThat(count(after.get("c"))).isEqualTo(2);
        // a and b each gave up exactly one partition and kept the rest
        assertThat(before.get("a").get(FOO)).containsAll(after.get("a").get(FOO)).hasSize(3);
        assertThat(after.get("a").get(FOO)).hasSize(2);
        assertThat(before.get("b").get(FOO)).containsAll(after.get("b").get(FOO));
        assertThat(after.get("b").get(FOO)).hasSize(2);
    }

    @Test
    void shouldKeepSurvivorsPartitionsWhenAMemberLeaves() {
        AssignmentSpec first = spec(Map.of(FOO, 7),
                Map.of("a", Set.of(FOO), "b", Set.of(FOO), "c", Set.of(FOO)), Map.of());
        SortedMap<String, SortedMap<Uuid, Set<Integer>>> before = assignor.assign(first);

        AssignmentSpec second = spec(Map.of(FOO, 7), Map.of("a", Set.of(FOO), "b", Set.of(FOO)),
                new HashMap<>(before));
        SortedMap<String, SortedMap<Uuid, Set<Integer>>> after = assignor.assign(second);

        assertValid(second, after);
        assertThat(after.get("a").get(FOO)).containsAll(before.get("a").get(FOO));
        assertThat(after.get("b").get(FOO)).containsAll(before.get("b").get(FOO));
        assertThat(count(after.get("a")) + count(after.get("b"))).isEqualTo(7);
        assertThat(Math.abs(count(after.get("a")) - count(after.get("b")))).isLessThanOrEqualTo(1);
    }

    @Test
    void shouldGivePartitionsOnlyToSubscribersWhenSubscriptionsDiffer() {
        AssignmentSpec spec = spec(Map.of(FOO, 4, BAR, 2), Map.of("a", Set.of(FOO), "b", Set.of(FOO, BAR)),
                Map.of());

        SortedMap<String, SortedMap<Uuid, Set<Integer>>> result = assignor.assign(spec);

        assertValid(spec, result);
        assertThat(count(result.get("a"))).isEqualTo(3);
        assertThat(count(result.get("b"))).isEqualTo(3);
        assertThat(result.get("b").get(BAR)).containsExactly(0, 1);
    }

    @Test
    void shouldDropPreviousPartitionsWhenTheTopicShrinksOrIsUnsubscribed() {
        SortedMap<Uuid, Set<Integer>> previous = new TreeMap<>(Map.of(FOO, Set.of(0, 1, 2, 3), BAR, Set.of(0)));
        AssignmentSpec spec = spec(Map.of(FOO, 2), Map.of("a", Set.of(FOO)), Map.of("a", previous));

        SortedMap<String, SortedMap<Uuid, Set<Integer>>> result = assignor.assign(spec);

        assertThat(result.get("a")).containsExactly(Map.entry(FOO, Set.of(0, 1)));
    }

    @Test
    void shouldGiveTheSameResultWhateverTheInputOrder() {
        Map<String, Set<Uuid>> forward = new LinkedHashMap<>();
        Map<String, Set<Uuid>> backward = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            forward.put("m" + i, Set.of(FOO, BAR));
            backward.put("m" + (4 - i), Set.of(FOO, BAR));
        }

        assertThat(assignor.assign(spec(Map.of(FOO, 9, BAR, 4), forward, Map.of())))
                .isEqualTo(assignor.assign(spec(Map.of(BAR, 4, FOO, 9), backward, Map.of())));
    }

    @Test
    void shouldStayValidBalancedAndStickyOverRandomMembershipChanges() {
        Random random = new Random(42);
        Map<String, SortedMap<Uuid, Set<Integer>>> previous = new HashMap<>();
        Set<String> members = new TreeSet<>(Set.of("m0", "m1"));
        for (int round = 0; round < 200; round++) {
            if (random.nextBoolean() || members.size() < 2) {
                members.add("m" + random.nextInt(20));
            } else {
                members.remove(members.iterator().next());
            }
            Map<String, Set<Uuid>> subscriptions = new HashMap<>();
            members.forEach(m -> subscriptions.put(m, Set.of(FOO, BAR)));
            AssignmentSpec spec = spec(Map.of(FOO, 12, BAR, 7), subscriptions, previous);

            SortedMap<String, SortedMap<Uuid, Set<Integer>>> result = assignor.assign(spec);

            assertValid(spec, result);
            int min = result.values().stream().mapToInt(AssignorTestSupport::count).min().orElseThrow();
            int max = result.values().stream().mapToInt(AssignorTestSupport::count).max().orElseThrow();
            assertThat(max - min).isLessThanOrEqualTo(1);
            // sticky: a member that stays keeps min(its previous count, its new count) of its previous partitions
            for (String m : members) {
                if (previous.containsKey(m)) {
                    int kept = 0;
                    for (var e : previous.get(m).entrySet()) {
                        Set<Integer> now = result.get(m).getOrDefault(e.getKey(), Set.of());
                        kept += (int) e.getValue().stream().filter(now::contains).count();
                    }
                    assertThat(kept).isEqualTo(Math.min(count(previous.get(m)), count(result.get(m))));
                }
            }
            previous = new HashMap<>(result);
        }
    }
}
