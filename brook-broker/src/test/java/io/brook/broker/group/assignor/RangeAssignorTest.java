package io.brook.broker.group.assignor;

import static io.brook.broker.group.assignor.AssignorTestSupport.assertValid;
import static io.brook.broker.group.assignor.AssignorTestSupport.spec;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

import io.brook.broker.group.assignor.ConsumerGroupAssignor.AssignmentSpec;

class RangeAssignorTest {

    private static final Uuid FOO = new Uuid(0, 1);
    private static final Uuid BAR = new Uuid(0, 2);
    private final RangeAssignor assignor = new RangeAssignor();

    @Test
    void shouldGiveContiguousRangesWithTheRemainderToTheFirstMembers() {
        AssignmentSpec spec = spec(Map.of(FOO, 7), Map.of("b", Set.of(FOO), "a", Set.of(FOO), "c", Set.of(FOO)),
                Map.of());

        SortedMap<String, SortedMap<Uuid, Set<Integer>>> result = assignor.assign(spec);

        assertValid(spec, result);
        assertThat(result.get("a").get(FOO)).containsExactly(0, 1, 2);
        assertThat(result.get("b").get(FOO)).containsExactly(3, 4);
        assertThat(result.get("c").get(FOO)).containsExactly(5, 6);
    }

    @Test
    void shouldCoPartitionTopicsWithTheSamePartitionCount() {
        AssignmentSpec spec = spec(Map.of(FOO, 4, BAR, 4), Map.of("a", Set.of(FOO, BAR), "b", Set.of(FOO, BAR)),
                Map.of());

        SortedMap<String, SortedMap<Uuid, Set<Integer>>> result = assignor.assign(spec);

        assertValid(spec, result);
        for (String m : Set.of("a", "b")) {
            assertThat(result.get(m).get(FOO)).isEqualTo(result.get(m).get(BAR));
        }
    }

    @Test
    void shouldLeaveExtraMembersEmptyAndOnlyAssignSubscribers() {
        AssignmentSpec spec = spec(Map.of(FOO, 2, BAR, 1),
                Map.of("a", Set.of(FOO), "b", Set.of(FOO), "c", Set.of(FOO, BAR)), Map.of());

        SortedMap<String, SortedMap<Uuid, Set<Integer>>> result = assignor.assign(spec);

        assertValid(spec, result);
        assertThat(result.get("c")).containsExactly(Map.entry(BAR, Set.of(0)));
        assertThat(result.get("a").get(FOO)).containsExactly(0);
        assertThat(result.get("b").get(FOO)).containsExactly(1);
    }
}
