package io.brook.metadata;

import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.Uuid;

/**
 * One topic.
 *
 * @param name topic name
 * @param id topic id (a random Uuid assigned at creation, as in Kafka)
 * @param partitionCount number of partitions, numbered 0..n-1
 * @param replicationFactor replicas per partition (1 on a single node)
 * @param configs topic-level config overrides only; defaults come from the broker
 * @param partitions each partition's assignment and leadership by partition index; empty for the single-node store,
 *     which keeps no assignments (every partition lives on the one node), else one entry per partition
 */
public record TopicImage(String name, Uuid id, int partitionCount, short replicationFactor,
        Map<String, String> configs, Map<Integer, PartitionRegistration> partitions) {

    public TopicImage {
        partitions = Map.copyOf(partitions);
        if (!partitions.isEmpty() && partitions.size() != partitionCount) {
            throw new IllegalArgumentException("Topic " + name + " has " + partitionCount + " partitions but "
                    + partitions.size() + " registrations");
        }
    }

    /** A topic without partition registrations (the single-node store's form). */
    public TopicImage(String name, Uuid id, int partitionCount, short replicationFactor, Map<String, String> configs) {
        this(name, id, partitionCount, replicationFactor, configs, Map.of());
    }

    public Optional<PartitionRegistration> partition(int index) {
        return Optional.ofNullable(partitions.get(index));
    }
}
