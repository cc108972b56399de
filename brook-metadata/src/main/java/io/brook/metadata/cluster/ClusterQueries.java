package io.brook.metadata.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.brook.metadata.MetadataImage;
import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.TopicImage;
import io.brook.metadata.cluster.MetadataCommand.TopicPartitionRef;

/** Read-only questions about a cluster image, answerable on any node. Stateless. */
public final class ClusterQueries {

    private ClusterQueries() {
    }

    /** An ongoing reassignment, as ListPartitionReassignments reports it. */
    public record OngoingReassignment(String topic, int partition, List<Integer> replicas,
            List<Integer> addingReplicas, List<Integer> removingReplicas) {
    }

    /**
     * Ongoing reassignments of the given partitions (unknown ones are skipped, as Kafka does), or of every partition
     * when {@code partitions} is null; ordered by topic name, then partition when listing all.
     */
    public static List<OngoingReassignment> listReassignments(MetadataImage image,
            List<TopicPartitionRef> partitions) {
        List<OngoingReassignment> result = new ArrayList<>();
        List<TopicPartitionRef> refs = partitions != null ? partitions : allPartitions(image);
        for (TopicPartitionRef ref : refs) {
            image.topic(ref.topic()).flatMap(t -> t.partition(ref.partition()))
                    .filter(PartitionRegistration::reassigning)
                    .ifPresent(p -> result.add(new OngoingReassignment(ref.topic(), ref.partition(), p.replicas(),
                            p.addingReplicas(), p.removingReplicas())));
        }
        return result;
    }

    /** Whether the broker leads no partition: a broker in controlled shutdown may then stop. */
    public static boolean leadsNothing(MetadataImage image, int brokerId) {
        for (TopicImage topic : image.topicsByName().values()) {
            for (PartitionRegistration partition : topic.partitions().values()) {
                if (partition.leader() == brokerId) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Every partition of every topic, topics by name, partitions by index. */
    public static List<TopicPartitionRef> allPartitions(MetadataImage image) {
        List<TopicPartitionRef> refs = new ArrayList<>();
        for (TopicImage topic : new TreeMap<>(image.topicsByName()).values()) {
            for (Map.Entry<Integer, PartitionRegistration> e : new TreeMap<>(topic.partitions()).entrySet()) {
                refs.add(new TopicPartitionRef(topic.name(), e.getKey()));
            }
        }
        return refs;
    }
}
