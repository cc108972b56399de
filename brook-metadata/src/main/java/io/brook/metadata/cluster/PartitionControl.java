package io.brook.metadata.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.kafka.common.protocol.Errors;

import io.brook.metadata.BrokerRegistration;
import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.TopicImage;
import io.brook.metadata.cluster.CommandReply.AlterPartitionResult;
import io.brook.metadata.cluster.CommandReply.PartitionResult;
import io.brook.metadata.cluster.MetadataCommand.AlterPartition;
import io.brook.metadata.cluster.MetadataCommand.AlterPartitionReassignments;
import io.brook.metadata.cluster.MetadataCommand.ElectLeaders;
import io.brook.metadata.cluster.MetadataCommand.ElectionType;
import io.brook.metadata.cluster.MetadataCommand.IsrMember;
import io.brook.metadata.cluster.MetadataCommand.PartitionIsrChange;
import io.brook.metadata.cluster.MetadataCommand.Reassignment;
import io.brook.metadata.cluster.MetadataCommand.TopicPartitionRef;

/**
 * Partition-level commands: ISR changes from leaders, leader elections and reassignments, with Kafka's
 * per-partition errors. Stateless.
 */
final class PartitionControl {

    private PartitionControl() {
    }

    static CommandReply alterPartition(ImageBuilder image, AlterPartition command) {
        Optional<CommandReply> stale = BrokerControl.checkEpoch(image, command.brokerId(), command.brokerEpoch());
        if (stale.isPresent()) {
            return stale.get();
        }
        List<AlterPartitionResult> results = new ArrayList<>();
        for (PartitionIsrChange change : command.partitions()) {
            results.add(alterPartition(image, command.brokerId(), change));
        }
        return new CommandReply.AlterPartitionResults(results);
    }

    private static AlterPartitionResult alterPartition(ImageBuilder image, int brokerId, PartitionIsrChange change) {
        Optional<TopicImage> topic = image.topic(change.topicId());
        if (topic.isEmpty()) {
            return failed(change, Errors.UNKNOWN_TOPIC_ID);
        }
        Optional<PartitionRegistration> found = topic.get().partition(change.partition());
        if (found.isEmpty()) {
            return failed(change, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        }
        PartitionRegistration current = found.get();
        Errors error = validateIsrChange(image, brokerId, current, change);
        if (error != Errors.NONE) {
            return failed(change, error);
        }
        List<Integer> isr = change.newIsr().stream().map(IsrMember::brokerId).toList();
        PartitionRegistration next = PartitionChange.next(current, current.replicas(), isr,
                current.addingReplicas(), current.removingReplicas(), current.leader());
        next = completeReassignmentIfPossible(image, next);
        if (next != current) {
            image.putPartition(topic.get().name(), change.partition(), next);
        }
        return new AlterPartitionResult(change.topicId(), change.partition(), Errors.NONE.code(), next.leader(),
                next.leaderEpoch(), next.partitionEpoch(), next.isr());
    }

    /** Kafka's checks, in Kafka's order: a newer epoch than ours means we are a stale controller. */
    private static Errors validateIsrChange(ImageBuilder image, int brokerId, PartitionRegistration current,
            PartitionIsrChange change) {
        if (change.leaderEpoch() > current.leaderEpoch() || change.partitionEpoch() > current.partitionEpoch()) {
            return Errors.NOT_CONTROLLER;
        }
        if (change.leaderEpoch() < current.leaderEpoch()) {
            return Errors.FENCED_LEADER_EPOCH;
        }
        if (brokerId != current.leader()) {
            return Errors.INVALID_REQUEST;
        }
        if (change.partitionEpoch() < current.partitionEpoch()) {
            return Errors.INVALID_UPDATE_VERSION;
        }
        List<Integer> isr = change.newIsr().stream().map(IsrMember::brokerId).toList();
        if (isr.isEmpty() || new HashSet<>(isr).size() != isr.size() || !current.replicas().containsAll(isr)
                || !isr.contains(current.leader())) {
            return Errors.INVALID_REQUEST;
        }
        for (IsrMember member : change.newIsr()) {
            Optional<BrokerRegistration> broker = image.broker(member.brokerId());
            if (broker.isEmpty() || !broker.get().eligible()
                    || (member.brokerEpoch() != -1 && member.brokerEpoch() != broker.get().epoch())) {
                return Errors.INELIGIBLE_REPLICA;
            }
        }
        return Errors.NONE;
    }

    /**
     * Ends a reassignment once every adding replica is in the ISR: the removed replicas leave the replicas and the
     * ISR, and the leader moves if it was one of them.
     */
    private static PartitionRegistration completeReassignmentIfPossible(ImageBuilder image,
            PartitionRegistration partition) {
        if (!partition.reassigning() || !partition.isr().containsAll(partition.addingReplicas())) {
            return partition;
        }
        List<Integer> replicas = minus(partition.replicas(), partition.removingReplicas());
        List<Integer> isr = minus(partition.isr(), partition.removingReplicas());
        if (isr.isEmpty()) {
            return partition;
        }
        return PartitionChange.build(partition, replicas, isr, List.of(), List.of(), image::eligible, false);
    }

    static CommandReply electLeaders(ImageBuilder image, ElectLeaders command) {
        boolean all = command.partitions() == null;
        List<TopicPartitionRef> refs = all ? allPartitions(image) : command.partitions();
        List<PartitionResult> results = new ArrayList<>();
        for (TopicPartitionRef ref : refs) {
            PartitionResult result = elect(image, command.electionType(), ref);
            // Asked for every partition, Kafka reports only those it tried to change.
            if (!(all && result.errorCode() == Errors.ELECTION_NOT_NEEDED.code())) {
                results.add(result);
            }
        }
        return new CommandReply.PartitionResults(results);
    }

    private static PartitionResult elect(ImageBuilder image, ElectionType type, TopicPartitionRef ref) {
        Optional<TopicImage> topic = image.topic(ref.topic());
        Optional<PartitionRegistration> found = topic.flatMap(t -> t.partition(ref.partition()));
        if (found.isEmpty()) {
            return result(ref, Errors.UNKNOWN_TOPIC_OR_PARTITION, "The partition does not exist.");
        }
        PartitionRegistration current = found.get();
        PartitionRegistration next;
        if (type == ElectionType.PREFERRED) {
            int preferred = current.preferredLeader();
            if (current.leader() == preferred) {
                return result(ref, Errors.ELECTION_NOT_NEEDED, "Leader election not needed for topic partition.");
            }
            if (!current.isr().contains(preferred) || !image.eligible(preferred)) {
                return result(ref, Errors.PREFERRED_LEADER_NOT_AVAILABLE, "Failed to elect leader for partition "
                        + ref.topic() + "-" + ref.partition()
                        + " under strategy PreferredReplicaPartitionLeaderElectionStrategy");
            }
            next = PartitionChange.next(current, current.replicas(), current.isr(), current.addingReplicas(),
                    current.removingReplicas(), preferred);
        } else {
            if (current.hasLeader()) {
                return result(ref, Errors.ELECTION_NOT_NEEDED, "Leader election not needed for topic partition.");
            }
            next = PartitionChange.reelect(current, image::eligible, true);
            if (!next.hasLeader()) {
                return result(ref, Errors.ELIGIBLE_LEADERS_NOT_AVAILABLE, "Failed to elect leader for partition "
                        + ref.topic() + "-" + ref.partition() + " under strategy UncleanLeaderElectionStrategy");
            }
        }
        image.putPartition(ref.topic(), ref.partition(), next);
        return result(ref, Errors.NONE, null);
    }

    static CommandReply alterReassignments(ImageBuilder image, AlterPartitionReassignments command) {
        List<PartitionResult> results = new ArrayList<>();
        for (Reassignment reassignment : command.reassignments()) {
            results.add(reassign(image, reassignment));
        }
        return new CommandReply.PartitionResults(results);
    }

    private static PartitionResult reassign(ImageBuilder image, Reassignment request) {
        TopicPartitionRef ref = new TopicPartitionRef(request.topic(), request.partition());
        Optional<TopicImage> topic = image.topic(request.topic());
        Optional<PartitionRegistration> found = topic.flatMap(t -> t.partition(request.partition()));
        if (found.isEmpty()) {
            return result(ref, Errors.UNKNOWN_TOPIC_OR_PARTITION, "The partition does not exist.");
        }
        PartitionRegistration current = found.get();
        List<Integer> original = minus(current.replicas(), current.addingReplicas());
        List<Integer> target = request.targetReplicas();
        if (target == null) {
            if (!current.reassigning()) {
                return result(ref, Errors.NO_REASSIGNMENT_IN_PROGRESS, "No reassignment in progress for "
                        + ref.topic() + "-" + ref.partition() + ".");
            }
            return revert(image, topic.get(), ref, current, original);
        }
        Optional<String> invalid = TopicControl.invalidReplicas(image, target);
        if (invalid.isPresent()) {
            return result(ref, Errors.INVALID_REPLICA_ASSIGNMENT, invalid.get());
        }
        if (target.equals(original)) {
            return current.reassigning()
                    ? revert(image, topic.get(), ref, current, original)
                    : result(ref, Errors.NONE, null);
        }
        // As in Kafka, a new target replaces an ongoing reassignment starting from all current replicas, so the ISR
        // (a subset of them) stays valid.
        List<Integer> adding = minus(target, current.replicas());
        List<Integer> removing = minus(current.replicas(), target);
        List<Integer> replicas = new ArrayList<>(target);
        replicas.addAll(removing);
        PartitionRegistration next = PartitionChange.build(current, replicas, current.isr(), adding, removing,
                image::eligible, false);
        next = completeReassignmentIfPossible(image, next);
        image.putPartition(ref.topic(), ref.partition(), next);
        return result(ref, Errors.NONE, null);
    }

    /** Cancels a reassignment: back to the original replicas, without the replicas it was adding. */
    private static PartitionResult revert(ImageBuilder image, TopicImage topic, TopicPartitionRef ref,
            PartitionRegistration current, List<Integer> original) {
        List<Integer> isr = minus(current.isr(), current.addingReplicas());
        boolean unclean = isr.isEmpty();
        // Reverting with no original replica in sync needs an unclean election, and a live original replica for it.
        if (unclean && (!image.uncleanAllowed(topic) || original.stream().noneMatch(image::eligible))) {
            return result(ref, Errors.INVALID_REPLICA_ASSIGNMENT, "Unable to revert partition assignment for "
                    + ref.topic() + ":" + ref.partition() + " because it would require an unclean leader election.");
        }
        PartitionRegistration next = PartitionChange.build(current, original, isr, List.of(), List.of(),
                image::eligible, unclean);
        image.putPartition(ref.topic(), ref.partition(), next);
        return result(ref, Errors.NONE, null);
    }

    static List<TopicPartitionRef> allPartitions(ImageBuilder image) {
        List<TopicPartitionRef> refs = new ArrayList<>();
        for (TopicImage topic : image.topicsSorted()) {
            for (Map.Entry<Integer, PartitionRegistration> e : new TreeMap<>(topic.partitions()).entrySet()) {
                refs.add(new TopicPartitionRef(topic.name(), e.getKey()));
            }
        }
        return refs;
    }

    private static List<Integer> minus(List<Integer> list, List<Integer> removed) {
        return list.stream().filter(r -> !removed.contains(r)).toList();
    }

    private static AlterPartitionResult failed(PartitionIsrChange change, Errors error) {
        return new AlterPartitionResult(change.topicId(), change.partition(), error.code(), -1, -1, -1, List.of());
    }

    private static PartitionResult result(TopicPartitionRef ref, Errors error, String message) {
        return new PartitionResult(ref.topic(), ref.partition(), error.code(), message);
    }
}
