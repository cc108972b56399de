package io.brook.metadata.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.cluster.ClusterQueries.OngoingReassignment;
import io.brook.metadata.cluster.MetadataCommand.ElectLeaders;
import io.brook.metadata.cluster.MetadataCommand.ElectionType;
import io.brook.metadata.cluster.MetadataCommand.Reassignment;
import io.brook.metadata.cluster.MetadataCommand.TopicPartitionRef;

class PartitionControlTest {

    private final ClusterContext cluster = new ClusterContext().brokers(1, 2, 3, 4);

    @BeforeEach
    void createTopic() {
        cluster.createTopicWithReplicas("t", List.of(List.of(1, 2, 3)));
    }

    @Test
    void shouldShrinkAndExpandIsrBumpingOnlyThePartitionEpoch() {
        CommandReply.AlterPartitionResult shrunk = cluster.alterIsr("t", 0, List.of(1, 2));

        assertThat(shrunk.error()).isEqualTo(Errors.NONE);
        assertThat(shrunk.isr()).containsExactly(1, 2);
        assertThat(shrunk.leaderEpoch()).isZero();
        assertThat(shrunk.partitionEpoch()).isEqualTo(1);

        CommandReply.AlterPartitionResult expanded = cluster.alterIsr("t", 0, List.of(1, 2, 3));
        assertThat(expanded.partitionEpoch()).isEqualTo(2);
        assertThat(cluster.partition("t", 0).isr()).containsExactly(1, 2, 3);
    }

    @Test
    void shouldRejectStaleOrInvalidIsrChangesWithKafkasErrors() {
        cluster.fence(1);
        cluster.unfence(1);
        PartitionRegistration p = cluster.partition("t", 0);
        assertThat(p.leader()).isEqualTo(2);
        assertThat(p.leaderEpoch()).isEqualTo(1);

        assertThat(alter(1, 0, 1, List.of(1, 2))).isEqualTo(Errors.FENCED_LEADER_EPOCH);
        assertThat(alter(2, 5, p.partitionEpoch(), List.of(2, 3))).isEqualTo(Errors.NOT_CONTROLLER);
        assertThat(alter(2, 1, p.partitionEpoch() + 1, List.of(2, 3))).isEqualTo(Errors.NOT_CONTROLLER);
        assertThat(alter(3, 1, p.partitionEpoch(), List.of(2, 3))).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(alter(2, 1, p.partitionEpoch() - 1, List.of(2, 3))).isEqualTo(Errors.INVALID_UPDATE_VERSION);
        assertThat(alter(2, 1, p.partitionEpoch(), List.of(3))).as("without the leader")
                .isEqualTo(Errors.INVALID_REQUEST);
        assertThat(alter(2, 1, p.partitionEpoch(), List.of(2, 4))).as("not a replica")
                .isEqualTo(Errors.INVALID_REQUEST);
        cluster.fence(3);
        PartitionRegistration afterFence = cluster.partition("t", 0);
        assertThat(alter(2, 1, afterFence.partitionEpoch(), List.of(2, 3))).isEqualTo(Errors.INELIGIBLE_REPLICA);
        assertThat(cluster.partition("t", 0)).isEqualTo(afterFence);
    }

    @Test
    void shouldRejectIsrMembersWithAnotherBrokerEpoch() {
        PartitionRegistration p = cluster.partition("t", 0);

        CommandReply.AlterPartitionResults results = cluster.ok(new MetadataCommand.AlterPartition(1,
                cluster.broker(1).epoch(), List.of(new MetadataCommand.PartitionIsrChange(cluster.topicId("t"), 0,
                        p.leaderEpoch(), p.partitionEpoch(), List.of(new MetadataCommand.IsrMember(1, -1),
                                new MetadataCommand.IsrMember(2, 12345))))),
                CommandReply.AlterPartitionResults.class);

        assertThat(results.partitions().get(0).error()).isEqualTo(Errors.INELIGIBLE_REPLICA);
        assertThat(cluster.error(new MetadataCommand.AlterPartition(1, 999, List.of())))
                .isEqualTo(Errors.STALE_BROKER_EPOCH);
    }

    @Test
    void shouldElectThePreferredLeaderOnlyWhenItIsInSyncAndAvailable() {
        assertThat(elect(ElectionType.PREFERRED)).isEqualTo(Errors.ELECTION_NOT_NEEDED);
        cluster.fence(1);
        assertThat(elect(ElectionType.PREFERRED)).isEqualTo(Errors.PREFERRED_LEADER_NOT_AVAILABLE);
        cluster.unfence(1);
        assertThat(elect(ElectionType.PREFERRED)).as("1 came back but is not in the ISR yet")
                .isEqualTo(Errors.PREFERRED_LEADER_NOT_AVAILABLE);

        cluster.alterIsr("t", 0, List.of(2, 3, 1));
        int epochBefore = cluster.partition("t", 0).leaderEpoch();
        assertThat(elect(ElectionType.PREFERRED)).isEqualTo(Errors.NONE);

        assertThat(cluster.partition("t", 0).leader()).isEqualTo(1);
        assertThat(cluster.partition("t", 0).leaderEpoch()).isEqualTo(epochBefore + 1);
    }

    @Test
    void shouldElectUncleanlyOnlyOfflinePartitionsWithALiveReplica() {
        assertThat(elect(ElectionType.UNCLEAN)).isEqualTo(Errors.ELECTION_NOT_NEEDED);
        cluster.alterIsr("t", 0, List.of(1));
        cluster.fence(1);
        assertThat(cluster.partition("t", 0).hasLeader()).isFalse();

        assertThat(elect(ElectionType.UNCLEAN)).isEqualTo(Errors.NONE);
        assertThat(cluster.partition("t", 0).leader()).isEqualTo(2);
        assertThat(cluster.partition("t", 0).isr()).containsExactly(2);

        cluster.fence(2);
        cluster.fence(3);
        assertThat(elect(ElectionType.UNCLEAN)).isEqualTo(Errors.ELIGIBLE_LEADERS_NOT_AVAILABLE);
    }

    @Test
    void shouldReportUnknownPartitionsAndOmitUnneededElectionsWhenAskedForAll() {
        CommandReply.PartitionResults unknown = cluster.ok(new ElectLeaders(ElectionType.PREFERRED,
                List.of(new TopicPartitionRef("t", 9))), CommandReply.PartitionResults.class);
        CommandReply.PartitionResults all = cluster.ok(new ElectLeaders(ElectionType.PREFERRED, null),
                CommandReply.PartitionResults.class);

        assertThat(unknown.partitions().get(0).error()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(all.partitions()).isEmpty();
    }

    @Test
    void shouldCompleteAReassignmentOnceTheNewReplicaIsInSync() {
        assertThat(reassign(List.of(2, 3, 4))).isEqualTo(Errors.NONE);

        PartitionRegistration moving = cluster.partition("t", 0);
        assertThat(moving.replicas()).containsExactly(2, 3, 4, 1);
        assertThat(moving.addingReplicas()).containsExactly(4);
        assertThat(moving.removingReplicas()).containsExactly(1);
        assertThat(moving.leader()).isEqualTo(1);
        assertThat(ClusterQueries.listReassignments(cluster.image(), null))
                .containsExactly(new OngoingReassignment("t", 0, List.of(2, 3, 4, 1), List.of(4), List.of(1)));

        cluster.alterIsr("t", 0, List.of(1, 2, 3, 4));

        PartitionRegistration done = cluster.partition("t", 0);
        assertThat(done.replicas()).containsExactly(2, 3, 4);
        assertThat(done.isr()).containsExactly(2, 3, 4);
        assertThat(done.reassigning()).isFalse();
        assertThat(done.leader()).isEqualTo(2);
        assertThat(done.leaderEpoch()).isEqualTo(moving.leaderEpoch() + 1);
        assertThat(ClusterQueries.listReassignments(cluster.image(), null)).isEmpty();
    }

    @Test
    void shouldRevertToTheOriginalReplicasWhenCancelled() {
        reassign(List.of(2, 3, 4));
        cluster.alterIsr("t", 0, List.of(1, 2));

        assertThat(reassign(null)).isEqualTo(Errors.NONE);

        PartitionRegistration reverted = cluster.partition("t", 0);
        // As in Kafka, a revert keeps the in-flight order (target first) minus the adding replicas.
        assertThat(reverted.replicas()).containsExactly(2, 3, 1);
        assertThat(reverted.isr()).containsExactly(1, 2);
        assertThat(reverted.reassigning()).isFalse();
        assertThat(reassign(null)).isEqualTo(Errors.NO_REASSIGNMENT_IN_PROGRESS);
    }

    @Test
    void shouldApplyAShrinkingReassignmentAtOnceAndValidateTargets() {
        assertThat(reassign(List.of(3, 2))).isEqualTo(Errors.NONE);

        PartitionRegistration shrunk = cluster.partition("t", 0);
        assertThat(shrunk.replicas()).containsExactly(3, 2);
        assertThat(shrunk.isr()).containsExactly(2, 3);
        assertThat(shrunk.leader()).as("the removed leader hands over to the first target replica").isEqualTo(3);
        assertThat(reassign(List.of())).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
        assertThat(reassign(List.of(2, 2))).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
        assertThat(reassign(List.of(2, 9))).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
        assertThat(cluster.ok(new MetadataCommand.AlterPartitionReassignments(List.of(new Reassignment("x", 0,
                List.of(1)))), CommandReply.PartitionResults.class).partitions().get(0).error())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    }

    private Errors alter(int brokerId, int leaderEpoch, int partitionEpoch, List<Integer> isr) {
        return cluster.alterIsr(brokerId, "t", 0, leaderEpoch, partitionEpoch, isr).error();
    }

    private Errors elect(ElectionType type) {
        return cluster.ok(new ElectLeaders(type, List.of(new TopicPartitionRef("t", 0))),
                CommandReply.PartitionResults.class).partitions().get(0).error();
    }

    private Errors reassign(List<Integer> target) {
        return cluster.ok(new MetadataCommand.AlterPartitionReassignments(List.of(new Reassignment("t", 0, target))),
                CommandReply.PartitionResults.class).partitions().get(0).error();
    }
}
