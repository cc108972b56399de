package io.brook.metadata.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;

import io.brook.metadata.BrokerRegistration;
import io.brook.metadata.DynamicBrokerConfigs;
import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.TopicConfigs;
import io.brook.metadata.TopicImage;
import io.brook.metadata.TopicNames;
import io.brook.metadata.cluster.CommandReply.TopicResult;
import io.brook.metadata.cluster.MetadataCommand.AlterBrokerConfigs;
import io.brook.metadata.cluster.MetadataCommand.AlterTopicConfigs;
import io.brook.metadata.cluster.MetadataCommand.CreatePartitions;
import io.brook.metadata.cluster.MetadataCommand.CreateTopics;
import io.brook.metadata.cluster.MetadataCommand.DeleteTopics;
import io.brook.metadata.cluster.MetadataCommand.ImportLegacyMetadata;
import io.brook.metadata.cluster.MetadataCommand.LegacyTopic;
import io.brook.metadata.cluster.MetadataCommand.NewTopic;
import io.brook.metadata.cluster.MetadataCommand.PartitionsIncrease;

/**
 * Topic and config commands (Kafka's ReplicationControlManager topic side and ConfigurationControlManager), with the
 * same validation and messages as the single-node store. Stateless.
 */
final class TopicControl {

    private TopicControl() {
    }

    static CommandReply createTopics(ImageBuilder image, CreateTopics command) {
        Random random = new Random(command.placementSeed());
        List<TopicResult> results = new ArrayList<>();
        for (NewTopic topic : command.topics()) {
            results.add(createTopic(image, topic, random));
        }
        return new CommandReply.TopicResults(results);
    }

    private static TopicResult createTopic(ImageBuilder image, NewTopic request, Random random) {
        String name = request.name();
        try {
            TopicNames.validateNew(name, image.topicsSorted().stream().map(TopicImage::name).toList());
        } catch (ApiException e) {
            return failed(name, null, Errors.forException(e), e.getMessage());
        }
        if (image.topic(name).isPresent()) {
            return failed(name, null, Errors.TOPIC_ALREADY_EXISTS, "Topic '" + name + "' already exists.");
        }
        Uuid id = request.topicId();
        if (id == null || id.equals(Uuid.ZERO_UUID) || id.equals(Uuid.METADATA_TOPIC_ID) || image.hasTopicId(id)) {
            return failed(name, null, Errors.INVALID_REQUEST, "Topic id " + id + " is reserved or in use.");
        }
        Map<Integer, List<Integer>> manual = request.assignments() == null ? Map.of() : request.assignments();
        List<List<Integer>> assignment;
        if (!manual.isEmpty()) {
            if (request.numPartitions() != -1) {
                return failed(name, null, Errors.INVALID_REQUEST,
                        "A manual partition assignment was specified, but numPartitions was not set to -1.");
            }
            if (request.replicationFactor() != -1) {
                return failed(name, null, Errors.INVALID_REQUEST,
                        "A manual partition assignment was specified, but replicationFactor was not set to -1.");
            }
            List<List<Integer>> ordered = new ArrayList<>();
            for (int p = 0; p < manual.size(); p++) {
                List<Integer> replicas = manual.get(p);
                if (replicas == null) {
                    return failed(name, null, Errors.INVALID_REPLICA_ASSIGNMENT,
                            "Partitions should be a consecutive 0-based integer sequence, but partition " + p
                                    + " is missing.");
                }
                ordered.add(replicas);
            }
            Optional<String> invalid = invalidAssignment(image, ordered, ordered.get(0).size());
            if (invalid.isPresent()) {
                return failed(name, null, Errors.INVALID_REPLICA_ASSIGNMENT, invalid.get());
            }
            assignment = ordered;
        } else {
            if (request.numPartitions() < 1) {
                return failed(name, null, Errors.INVALID_PARTITIONS,
                        "Number of partitions must be at least 1, but was " + request.numPartitions() + ".");
            }
            if (request.replicationFactor() < 1) {
                return failed(name, null, Errors.INVALID_REPLICATION_FACTOR, "Replication factor must be at least 1"
                        + " (or -1 for the broker default), but was " + request.replicationFactor() + ".");
            }
            assignment = null;
        }
        try {
            TopicConfigs.validate(request.configs());
        } catch (ApiException e) {
            return failed(name, null, Errors.forException(e), e.getMessage());
        }
        if (assignment == null) {
            List<BrokerRegistration> usable = usableBrokers(image);
            if (request.replicationFactor() > usable.size()) {
                return failed(name, null, Errors.INVALID_REPLICATION_FACTOR,
                        notEnoughBrokers(request.replicationFactor(), usable.size()));
            }
            assignment = ReplicaPlacer.place(usable, request.numPartitions(), request.replicationFactor(), 0, random);
        }
        Map<Integer, PartitionRegistration> partitions = new HashMap<>();
        for (int p = 0; p < assignment.size(); p++) {
            partitions.put(p, newPartition(image, assignment.get(p)));
        }
        short replicationFactor = (short) assignment.get(0).size();
        image.putTopic(new TopicImage(name, id, assignment.size(), replicationFactor, Map.copyOf(request.configs()),
                partitions));
        return new TopicResult(name, id, Errors.NONE.code(), null, assignment.size(), replicationFactor);
    }

    static CommandReply deleteTopics(ImageBuilder image, DeleteTopics command) {
        List<TopicResult> results = new ArrayList<>();
        for (Uuid id : command.topicIds()) {
            Optional<TopicImage> topic = image.topic(id);
            if (topic.isEmpty()) {
                results.add(failed(null, id, Errors.UNKNOWN_TOPIC_ID, "Topic id " + id + " does not exist."));
                continue;
            }
            image.removeTopic(topic.get());
            results.add(new TopicResult(topic.get().name(), id, Errors.NONE.code(), null,
                    topic.get().partitionCount(), topic.get().replicationFactor()));
        }
        return new CommandReply.TopicResults(results);
    }

    static CommandReply createPartitions(ImageBuilder image, CreatePartitions command) {
        Random random = new Random(command.placementSeed());
        List<TopicResult> results = new ArrayList<>();
        for (PartitionsIncrease increase : command.topics()) {
            results.add(createPartitions(image, increase, random));
        }
        return new CommandReply.TopicResults(results);
    }

    private static TopicResult createPartitions(ImageBuilder image, PartitionsIncrease request, Random random) {
        String name = request.topic();
        Optional<TopicImage> found = image.topic(name);
        if (found.isEmpty()) {
            return failed(name, null, Errors.UNKNOWN_TOPIC_OR_PARTITION, "The topic '" + name + "' does not exist.");
        }
        TopicImage topic = found.get();
        int current = topic.partitionCount();
        if (topic.partitions().size() != current) {
            // Only a single-node image lacks registrations; growing it here would break the image's invariant.
            return failed(name, topic.id(), Errors.INVALID_REQUEST, "The topic " + name
                    + " has no partition registrations.");
        }
        if (request.totalCount() == current) {
            return failed(name, topic.id(), Errors.INVALID_PARTITIONS, "Topic already has " + current
                    + " partition(s).");
        }
        if (request.totalCount() < current) {
            return failed(name, topic.id(), Errors.INVALID_PARTITIONS, "The topic " + name + " currently has "
                    + current + " partition(s); " + request.totalCount() + " would not be an increase.");
        }
        int added = request.totalCount() - current;
        List<List<Integer>> assignment;
        if (request.assignments() != null) {
            if (request.assignments().size() != added) {
                return failed(name, topic.id(), Errors.INVALID_REPLICA_ASSIGNMENT, "Attempted to add " + added
                        + " additional partition(s), but only " + request.assignments().size()
                        + " assignment(s) were specified.");
            }
            Optional<String> invalid = invalidAssignment(image, request.assignments(), topic.replicationFactor());
            if (invalid.isPresent()) {
                return failed(name, topic.id(), Errors.INVALID_REPLICA_ASSIGNMENT, invalid.get());
            }
            assignment = request.assignments();
        } else {
            List<BrokerRegistration> usable = usableBrokers(image);
            if (topic.replicationFactor() > usable.size()) {
                return failed(name, topic.id(), Errors.INVALID_REPLICATION_FACTOR,
                        notEnoughBrokers(topic.replicationFactor(), usable.size()));
            }
            assignment = ReplicaPlacer.place(usable, added, topic.replicationFactor(), current, random);
        }
        Map<Integer, PartitionRegistration> partitions = new HashMap<>(topic.partitions());
        for (int i = 0; i < added; i++) {
            partitions.put(current + i, newPartition(image, assignment.get(i)));
        }
        image.putTopic(new TopicImage(name, topic.id(), request.totalCount(), topic.replicationFactor(),
                topic.configs(), partitions));
        return new TopicResult(name, topic.id(), Errors.NONE.code(), null, request.totalCount(),
                topic.replicationFactor());
    }

    static CommandReply alterTopicConfigs(ImageBuilder image, AlterTopicConfigs command) {
        Optional<TopicImage> found = image.topic(command.topic());
        if (found.isEmpty()) {
            return CommandReply.Failed.of(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                    "The topic '" + command.topic() + "' does not exist.");
        }
        TopicImage topic = found.get();
        Map<String, String> configs = merge(topic.configs(), command.set(), command.remove(), command.replaceAll());
        try {
            TopicConfigs.validate(configs);
        } catch (ApiException e) {
            return CommandReply.Failed.of(Errors.forException(e), e.getMessage());
        }
        if (configs.equals(topic.configs())) {
            return new CommandReply.Done();
        }
        image.putTopic(new TopicImage(topic.name(), topic.id(), topic.partitionCount(), topic.replicationFactor(),
                Map.copyOf(configs), topic.partitions()));
        electOfflineIfUnclean(image);
        return new CommandReply.Done();
    }

    static CommandReply alterBrokerConfigs(ImageBuilder image, AlterBrokerConfigs command) {
        Map<String, String> configs = merge(image.brokerConfigs(), command.set(), command.remove(),
                command.replaceAll());
        try {
            DynamicBrokerConfigs.validate(configs);
        } catch (ApiException e) {
            return CommandReply.Failed.of(Errors.forException(e), e.getMessage());
        }
        image.brokerConfigs().clear();
        image.brokerConfigs().putAll(configs);
        electOfflineIfUnclean(image);
        return new CommandReply.Done();
    }

    static CommandReply importLegacy(ImageBuilder image, ImportLegacyMetadata command) {
        if (!image.topicsSorted().isEmpty()) {
            return CommandReply.Failed.of(Errors.INVALID_REQUEST,
                    "The cluster metadata already has topics; a single-node metadata file can only seed an empty one.");
        }
        List<Integer> replicas = List.of(command.brokerId());
        for (LegacyTopic legacy : command.topics()) {
            Map<Integer, PartitionRegistration> partitions = new HashMap<>();
            int leader = image.eligible(command.brokerId()) ? command.brokerId() : PartitionRegistration.NO_LEADER;
            for (int p = 0; p < legacy.partitions(); p++) {
                partitions.put(p, PartitionRegistration.initial(replicas, replicas, leader));
            }
            image.putTopic(new TopicImage(legacy.name(), legacy.topicId(), legacy.partitions(), (short) 1,
                    Map.copyOf(legacy.configs()), partitions));
        }
        image.brokerConfigs().putAll(command.brokerConfigs());
        image.nextProducerId(Math.max(image.nextProducerId(), command.nextProducerId()));
        return new CommandReply.Done();
    }

    /** Gives offline partitions a leader when unclean election has just been allowed for them. */
    private static void electOfflineIfUnclean(ImageBuilder image) {
        image.updatePartitions((topic, partition, current) -> !current.hasLeader() && image.uncleanAllowed(topic)
                ? PartitionChange.reelect(current, image::eligible, true)
                : current);
    }

    /** A new partition: its eligible replicas form the ISR and the first of them leads. */
    private static PartitionRegistration newPartition(ImageBuilder image, List<Integer> replicas) {
        List<Integer> isr = replicas.stream().filter(image::eligible).toList();
        int leader = isr.isEmpty() ? PartitionRegistration.NO_LEADER : isr.get(0);
        return PartitionRegistration.initial(replicas, isr, leader);
    }

    /** Why a manual assignment is invalid, in Kafka's words, or empty when it is valid. */
    static Optional<String> invalidAssignment(ImageBuilder image, List<List<Integer>> assignment,
            int replicationFactor) {
        for (List<Integer> replicas : assignment) {
            Optional<String> invalid = invalidReplicas(image, replicas);
            if (invalid.isPresent()) {
                return invalid;
            }
            if (replicas.size() != replicationFactor) {
                return Optional.of("The manual partition assignment includes a partition with " + replicas.size()
                        + " replica(s), but this is not consistent with previous partitions, which have "
                        + replicationFactor + " replica(s).");
            }
            if (replicas.stream().noneMatch(image::eligible)) {
                return Optional.of("All brokers specified in the manual partition assignment " + replicas
                        + " are fenced or in controlled shutdown.");
            }
        }
        return Optional.empty();
    }

    /** Why one replica list is invalid (empty, duplicates, unregistered brokers), or empty. */
    static Optional<String> invalidReplicas(ImageBuilder image, List<Integer> replicas) {
        if (replicas == null || replicas.isEmpty()) {
            return Optional.of("The manual partition assignment includes an empty replica list.");
        }
        Set<Integer> seen = new HashSet<>();
        for (Integer broker : replicas) {
            if (!seen.add(broker)) {
                return Optional.of("The manual partition assignment includes the broker " + broker
                        + " more than once.");
            }
            if (image.broker(broker).isEmpty()) {
                return Optional.of("The manual partition assignment includes broker " + broker
                        + ", but no such broker is registered.");
            }
        }
        return Optional.empty();
    }

    private static List<BrokerRegistration> usableBrokers(ImageBuilder image) {
        return image.brokersSorted().stream().filter(BrokerRegistration::eligible).toList();
    }

    private static String notEnoughBrokers(int replicationFactor, int brokers) {
        return "Unable to replicate the partition " + replicationFactor + " time(s): The target replication factor of "
                + replicationFactor + " cannot be reached because only " + brokers + " broker(s) are registered.";
    }

    private static Map<String, String> merge(Map<String, String> current, Map<String, String> set,
            List<String> remove, boolean replaceAll) {
        Map<String, String> merged = replaceAll ? new HashMap<>() : new HashMap<>(current);
        if (remove != null) {
            remove.forEach(merged::remove);
        }
        if (set != null) {
            merged.putAll(set);
        }
        return merged;
    }

    private static TopicResult failed(String name, Uuid id, Errors error, String message) {
        return new TopicResult(name, id, error.code(), message, -1, (short) -1);
    }
}
