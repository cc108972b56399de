package io.brook.metadata.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

import io.brook.metadata.BrokerRegistration;

class ReplicaPlacerTest {

    @Test
    void shouldSpreadLeadersAndReplicasEvenlyWhenPartitionsAreAMultipleOfBrokers() {
        for (long seed = 0; seed < 20; seed++) {
            List<List<Integer>> placement = ReplicaPlacer.place(brokers(6, null), 12, 3, 0, new Random(seed));

            assertThat(placement).hasSize(12).allSatisfy(replicas -> {
                assertThat(replicas).hasSize(3).doesNotHaveDuplicates();
            });
            assertThat(count(placement, true).values()).containsOnly(2);
            assertThat(count(placement, false).values()).containsOnly(6);
        }
    }

    @Test
    void shouldPlaceEachPartitionOnDistinctRacksWhenThereAreEnoughRacks() {
        List<BrokerRegistration> brokers = new ArrayList<>();
        String[] racks = {"a", "a", "b", "b", "c", "c"};
        for (int id = 1; id <= 6; id++) {
            brokers.add(broker(id, racks[id - 1]));
        }
        for (long seed = 0; seed < 20; seed++) {
            List<List<Integer>> placement = ReplicaPlacer.place(brokers, 9, 3, 0, new Random(seed));

            for (List<Integer> replicas : placement) {
                Set<String> used = new HashSet<>();
                replicas.forEach(id -> used.add(racks[id - 1]));
                assertThat(used).as("racks of %s", replicas).hasSize(3);
            }
            assertThat(count(placement, true).values()).allSatisfy(n -> assertThat(n).isBetween(1, 2));
        }
    }

    @Test
    void shouldUseEveryRackAndThenDoubleUpWhenReplicasOutnumberRacks() {
        List<BrokerRegistration> brokers = List.of(broker(1, "a"), broker(2, "a"), broker(3, "b"), broker(4, "b"));

        List<List<Integer>> placement = ReplicaPlacer.place(brokers, 4, 3, 0, new Random(7));

        assertThat(placement).allSatisfy(replicas -> {
            assertThat(replicas).hasSize(3).doesNotHaveDuplicates();
            assertThat(replicas.stream().map(id -> id <= 2 ? "a" : "b").distinct()).hasSize(2);
        });
    }

    @Test
    void shouldPlaceIdenticallyGivenTheSameSeedAndDifferentlyGivenOthers() {
        List<BrokerRegistration> brokers = brokers(5, null);
        List<List<Integer>> first = ReplicaPlacer.place(brokers, 10, 2, 0, new Random(42));
        List<List<Integer>> again = ReplicaPlacer.place(brokers, 10, 2, 0, new Random(42));
        Set<List<List<Integer>>> variants = new HashSet<>();
        for (long seed = 0; seed < 10; seed++) {
            variants.add(ReplicaPlacer.place(brokers, 10, 2, 0, new Random(seed)));
        }

        assertThat(again).isEqualTo(first);
        assertThat(variants).hasSizeGreaterThan(1);
    }

    @Test
    void shouldRefuseMoreReplicasThanBrokers() {
        assertThatThrownBy(() -> ReplicaPlacer.place(brokers(2, null), 1, 3, 0, new Random(0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Map<Integer, Integer> count(List<List<Integer>> placement, boolean leadersOnly) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (List<Integer> replicas : placement) {
            for (int id : leadersOnly ? replicas.subList(0, 1) : replicas) {
                counts.merge(id, 1, Integer::sum);
            }
        }
        return counts;
    }

    private static List<BrokerRegistration> brokers(int n, String rack) {
        List<BrokerRegistration> brokers = new ArrayList<>();
        for (int id = 1; id <= n; id++) {
            brokers.add(broker(id, rack));
        }
        return brokers;
    }

    private static BrokerRegistration broker(int id, String rack) {
        return new BrokerRegistration(id, Uuid.randomUuid(), id, List.of(), rack, false, false);
    }
}
