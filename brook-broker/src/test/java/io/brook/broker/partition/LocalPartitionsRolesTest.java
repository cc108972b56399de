package io.brook.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import io.brook.broker.config.BrokerConfig;
import io.brook.broker.testing.FakeLogManager;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.TopicImage;

/** Node 2's view of partitions whose registrations make it leader, follower or nothing. */
class LocalPartitionsRolesTest {

    private static final Uuid ID = Uuid.randomUuid();
    private final FakeLogManager logs = new FakeLogManager();
    private final LocalPartitions partitions = new LocalPartitions(logs,
            new LogConfigResolver(BrokerConfig.parse(Map.of())), 2);
    private final List<String> events = new ArrayList<>();

    LocalPartitionsRolesTest() {
        partitions.setRoleListener(new PartitionRoleListener() {
            @Override
            public void onRegistration(Partition previous, Partition current) {
                events.add((current.isLeader() ? "leader " : "follower ") + current.topicPartition() + " epoch "
                        + current.leaderEpoch());
            }

            @Override
            public void onRemoved(Partition removed) {
                events.add("removed " + removed.topicPartition());
            }
        });
    }

    private static PartitionRegistration registration(List<Integer> replicas, int leader, int epoch) {
        return new PartitionRegistration(replicas, replicas, List.of(), List.of(), leader, epoch, epoch);
    }

    private static MetadataImage image(Map<Integer, PartitionRegistration> registrations) {
        TopicImage topic = new TopicImage("t", ID, registrations.size(), (short) 2, Map.of(),
                new HashMap<>(registrations));
        return new MetadataImage(Map.of("t", topic), Map.of(ID, topic), Map.of());
    }

    @Test
    void shouldHostOnlyAssignedPartitionsInTheRoleTheirRegistrationGives() {
        partitions.reconcile(image(Map.of(0, registration(List.of(1, 2), 1, 0), 1, registration(List.of(2, 3), 2, 0),
                2, registration(List.of(1, 3), 1, 0))));

        assertThat(events).containsExactlyInAnyOrder("follower t-0 epoch 0", "leader t-1 epoch 0");
        assertThat(partitions.get(new TopicPartition("t", 2))).isEmpty();
        LocalPartitions.Lookup follower = partitions.lookup(image(Map.of(0, registration(List.of(1, 2), 1, 0))),
                "t", 0);
        assertThat(follower.error()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
        assertThat(follower.hosted()).isNotNull();
    }

    @Test
    void shouldReportALeaderChangeAndDeleteTheLogOfAReplicaMovedAway() {
        partitions.reconcile(image(Map.of(0, registration(List.of(1, 2), 1, 0))));
        partitions.reconcile(image(Map.of(0, registration(List.of(1, 2), 2, 1))));
        partitions.reconcile(image(Map.of(0, registration(List.of(1, 3), 1, 2))));

        assertThat(events).containsExactly("follower t-0 epoch 0", "leader t-0 epoch 1", "removed t-0");
        assertThat(logs.get(new TopicPartition("t", 0))).isEmpty();
    }

    @Test
    void shouldNotDeleteALogForATopicWithoutRegistrations() {
        partitions.reconcile(image(Map.of(0, registration(List.of(1, 2), 1, 0))));
        TopicImage bare = new TopicImage("t", ID, 1, (short) 1, Map.of());

        partitions.reconcile(new MetadataImage(Map.of("t", bare), Map.of(ID, bare), Map.of()));

        assertThat(logs.get(new TopicPartition("t", 0))).isPresent();
        assertThat(events).doesNotContain("removed t-0");
    }
}
