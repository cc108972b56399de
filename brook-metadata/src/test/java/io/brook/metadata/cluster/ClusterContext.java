package io.brook.metadata.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;

import io.brook.metadata.BrokerRegistration;
import io.brook.metadata.Endpoint;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.cluster.MetadataCommand.IsrMember;

/**
 * Drives {@link MetadataCommandApplier} the way the quorum would: one image, commands applied at increasing log
 * indexes, replies checked.
 */
final class ClusterContext {

    private MetadataImage image = MetadataImage.EMPTY;
    private long nextIndex = 1;

    MetadataImage image() {
        return image;
    }

    CommandReply apply(MetadataCommand command) {
        MetadataCommandApplier.Applied applied = MetadataCommandApplier.apply(image, nextIndex++, command);
        image = applied.image();
        return applied.reply();
    }

    /** Applies and expects no whole-command failure. */
    <T extends CommandReply> T ok(MetadataCommand command, Class<T> type) {
        CommandReply reply = apply(command);
        assertThat(reply).isInstanceOf(type);
        return type.cast(reply);
    }

    Errors error(MetadataCommand command) {
        CommandReply reply = apply(command);
        assertThat(reply).isInstanceOf(CommandReply.Failed.class);
        return ((CommandReply.Failed) reply).error();
    }

    long register(int id, String rack) {
        return registerIncarnation(id, Uuid.randomUuid(), rack);
    }

    long registerIncarnation(int id, Uuid incarnation, String rack) {
        return ok(new MetadataCommand.RegisterBroker(id, incarnation,
                List.of(new Endpoint("PLAINTEXT", "localhost", 9092 + id, "PLAINTEXT")), rack),
                CommandReply.BrokerRegistered.class).brokerEpoch();
    }

    /** Registers and unfences brokers with the given ids, without racks. */
    ClusterContext brokers(int... ids) {
        for (int id : ids) {
            unfence(id, register(id, null));
        }
        return this;
    }

    void unfence(int id, long epoch) {
        ok(new MetadataCommand.UnfenceBroker(id, epoch), CommandReply.Done.class);
    }

    BrokerRegistration broker(int id) {
        return image.broker(id).orElseThrow();
    }

    void fence(int id) {
        ok(new MetadataCommand.FenceBroker(id, broker(id).epoch()), CommandReply.Done.class);
    }

    void unfence(int id) {
        unfence(id, broker(id).epoch());
    }

    CommandReply.TopicResult createTopic(String name, int partitions, int replicationFactor, long seed) {
        return createTopic(new MetadataCommand.NewTopic(name, Uuid.randomUuid(), partitions,
                (short) replicationFactor, Map.of(), Map.of()), seed);
    }

    CommandReply.TopicResult createTopic(MetadataCommand.NewTopic topic, long seed) {
        return ok(new MetadataCommand.CreateTopics(List.of(topic), seed), CommandReply.TopicResults.class).topics()
                .get(0);
    }

    /** Creates a topic with the given replicas for its partitions 0, 1, ... (all brokers must be registered). */
    void createTopicWithReplicas(String name, List<List<Integer>> replicas) {
        Map<Integer, List<Integer>> assignments = new java.util.HashMap<>();
        for (int p = 0; p < replicas.size(); p++) {
            assignments.put(p, replicas.get(p));
        }
        CommandReply.TopicResult result = createTopic(new MetadataCommand.NewTopic(name, Uuid.randomUuid(), -1,
                (short) -1, assignments, Map.of()), 0);
        assertThat(result.error()).isEqualTo(Errors.NONE);
    }

    PartitionRegistration partition(String topic, int partition) {
        return image.topic(topic).orElseThrow().partition(partition).orElseThrow();
    }

    Uuid topicId(String topic) {
        return image.topic(topic).orElseThrow().id();
    }

    /** The current leader of the partition shrinks or expands its ISR. */
    CommandReply.AlterPartitionResult alterIsr(String topic, int partition, List<Integer> isr) {
        PartitionRegistration current = partition(topic, partition);
        return alterIsr(current.leader(), topic, partition, current.leaderEpoch(), current.partitionEpoch(), isr);
    }

    CommandReply.AlterPartitionResult alterIsr(int brokerId, String topic, int partition, int leaderEpoch,
            int partitionEpoch, List<Integer> isr) {
        List<IsrMember> members = isr.stream().map(b -> new IsrMember(b, -1)).toList();
        return ok(new MetadataCommand.AlterPartition(brokerId, broker(brokerId).epoch(),
                List.of(new MetadataCommand.PartitionIsrChange(topicId(topic), partition, leaderEpoch, partitionEpoch,
                        members))),
                CommandReply.AlterPartitionResults.class).partitions().get(0);
    }
}
