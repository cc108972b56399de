package io.brook.metadata.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.brook.metadata.cluster.MetadataCommand.TopicPartitionRef;

class PreferredLeaderImbalanceTest {

    private final ClusterContext cluster = new ClusterContext();

    @BeforeEach
    void threeBrokersAndATopicLedByEach() {
        cluster.brokers(1, 2, 3);
        cluster.createTopicWithReplicas("t", List.of(List.of(1, 2, 3), List.of(2, 3, 1), List.of(3, 1, 2)));
    }

    @Test
    void shouldFindNothingWhenEveryPartitionIsLedByItsPreferredReplica() {
        assertThat(PreferredLeaderImbalance.electable(cluster.image(), 1_000)).isEmpty();
    }

    @Test
    void shouldNotElectAPreferredReplicaThatIsFencedOrOutOfTheIsr() {
        // given broker 1 fenced: its partition moved to 2 and it left the ISRs
        cluster.fence(1);
        assertThat(cluster.partition("t", 0).leader()).isNotEqualTo(1);
        assertThat(PreferredLeaderImbalance.electable(cluster.image(), 1_000)).isEmpty();

        // when it comes back but has not caught up yet
        cluster.unfence(1);

        // then it is still not electable
        assertThat(PreferredLeaderImbalance.electable(cluster.image(), 1_000)).isEmpty();
    }

    @Test
    void shouldElectThePreferredReplicaOnceItIsBackInTheIsr() {
        // given broker 1 fenced, back, and caught up (its leader expanded the ISR)
        cluster.fence(1);
        cluster.unfence(1);
        cluster.alterIsr("t", 0, List.of(2, 3, 1));

        // when the controller looks for imbalance
        List<TopicPartitionRef> electable = PreferredLeaderImbalance.electable(cluster.image(), 1_000);

        // then partition 0 goes back to broker 1
        assertThat(electable).containsExactly(new TopicPartitionRef("t", 0));
        cluster.ok(new MetadataCommand.ElectLeaders(MetadataCommand.ElectionType.PREFERRED, electable),
                CommandReply.PartitionResults.class);
        assertThat(cluster.partition("t", 0).leader()).isEqualTo(1);
        assertThat(PreferredLeaderImbalance.electable(cluster.image(), 1_000)).isEmpty();
    }

    @Test
    void shouldElectAtMostTheGivenNumberPerPass() {
        // given two partitions away from their preferred leader 1 and 3 once both are back in sync
        cluster.createTopicWithReplicas("u", List.of(List.of(1, 2), List.of(1, 3)));
        cluster.fence(1);
        cluster.unfence(1);
        cluster.alterIsr("u", 0, List.of(2, 1));
        cluster.alterIsr("u", 1, List.of(3, 1));

        // then one pass of at most one election names the first of them only
        assertThat(PreferredLeaderImbalance.electable(cluster.image(), 1))
                .containsExactly(new TopicPartitionRef("u", 0));
    }
}
