package io.brook.broker.partition;

import java.util.List;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

import io.brook.metadata.PartitionRegistration;
import io.brook.storage.LogConfig;
import io.brook.storage.PartitionLog;

/**
 * A partition this node hosts, as leader or follower: its log, the topic id it belongs to, its registration in the
 * cluster metadata (replicas, ISR, leader, epochs) and the log settings it was last given. Immutable; a config or
 * registration change replaces the instance in {@link LocalPartitions}.
 *
 * @param topicPartition topic name and partition index
 * @param topicId the id of the topic incarnation the log belongs to (a re-created topic gets a new id and a new log)
 * @param log the partition's log
 * @param config the resolved log settings
 * @param registration the partition's registration as the metadata image last gave it
 * @param localId this node's id
 */
public record Partition(TopicPartition topicPartition, Uuid topicId, PartitionLog log, LogConfig config,
        PartitionRegistration registration, int localId) {

    /** A single node is the first and only leader of every partition it hosts. */
    public static final int SINGLE_NODE_LEADER_EPOCH = 0;

    /** The registration a partition has when the image carries none: this node alone, leading, epoch 0. */
    public static PartitionRegistration singleNode(int localId) {
        return PartitionRegistration.initial(List.of(localId), List.of(localId), localId);
    }

    public int leaderEpoch() {
        return registration.leaderEpoch();
    }

    public int leaderId() {
        return registration.leader();
    }

    public boolean isLeader() {
        return registration.leader() == localId;
    }

    Partition withConfig(LogConfig newConfig) {
        return new Partition(topicPartition, topicId, log, newConfig, registration, localId);
    }

    Partition withRegistration(PartitionRegistration newRegistration) {
        return new Partition(topicPartition, topicId, log, config, newRegistration, localId);
    }
}
