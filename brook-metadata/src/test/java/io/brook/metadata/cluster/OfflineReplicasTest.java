package io.brook.metadata.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.cluster.MetadataCommand.MarkReplicasOffline;
import io.brook.metadata.cluster.MetadataCommand.ReplicaRef;

/** MarkReplicasOffline: a broker's log dir failed, so its replicas of some partitions can neither lead nor be in sync. */
class OfflineReplicasTest {

    private final ClusterContext cluster = new ClusterContext().brokers(1, 2, 3);

    private void markOffline(int brokerId, String topic, int... partitions) {
        List<ReplicaRef> refs = java.util.Arrays.stream(partitions)
                .mapToObj(p -> new ReplicaRef(cluster.topicId(topic), p)).toList();
        cluster.ok(new MarkReplicasOffline(brokerId, cluster.broker(brokerId).epoch(), refs),
                CommandReply.Done.class);
    }

    @Test
    void shouldMoveLeadershipAndShrinkTheIsrOfOnlyTheListedPartitions() {
        cluster.createTopicWithReplicas("t", List.of(List.of(1, 2, 3), List.of(1, 2, 3), List.of(2, 1, 3)));

        markOffline(1, "t", 0, 2);

        PartitionRegistration led = cluster.partition("t", 0);
        assertThat(led.leader()).isEqualTo(2);
        assertThat(led.isr()).containsExactly(2, 3);
        assertThat(led.leaderEpoch()).isEqualTo(1);
        PartitionRegistration followed = cluster.partition("t", 2);
        assertThat(followed.leader()).isEqualTo(2);
        assertThat(followed.isr()).containsExactly(2, 3);
        assertThat(followed.leaderEpoch()).isZero();
        PartitionRegistration untouched = cluster.partition("t", 1);
        assertThat(untouched.leader()).isEqualTo(1);
        assertThat(untouched.isr()).containsExactly(1, 2, 3);
        assertThat(cluster.broker(1).eligible()).as("the broker keeps serving its other dirs").isTrue();
    }

    @Test
    void shouldTakeThePartitionOfflineKeepingItsIsrWhenTheBrokerWasTheLastInSyncReplica() {
        cluster.createTopicWithReplicas("t", List.of(List.of(1, 2)));
        cluster.alterIsr("t", 0, List.of(1));

        markOffline(1, "t", 0);

        PartitionRegistration p = cluster.partition("t", 0);
        assertThat(p.leader()).isEqualTo(PartitionRegistration.NO_LEADER);
        assertThat(p.isr()).containsExactly(1);
    }

    @Test
    void shouldRefuseAStaleBrokerEpoch() {
        cluster.createTopicWithReplicas("t", List.of(List.of(1, 2)));

        assertThat(cluster.error(new MarkReplicasOffline(1, 12345,
                List.of(new ReplicaRef(cluster.topicId("t"), 0))))).isEqualTo(Errors.STALE_BROKER_EPOCH);
        assertThat(cluster.partition("t", 0).leader()).isEqualTo(1);
    }
}
