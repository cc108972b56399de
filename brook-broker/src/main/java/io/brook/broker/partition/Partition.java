package io.brook.broker.partition;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

import io.brook.storage.LogConfig;
import io.brook.storage.PartitionLog;

/**
 * A partition this node hosts as leader: its log, the topic id it belongs to, its leader epoch and the log settings it
 * was last given. Immutable; a config change replaces the instance in {@link LocalPartitions}.
 *
 * @param topicPartition topic name and partition index
 * @param topicId the id of the topic incarnation the log belongs to (a re-created topic gets a new id and a new log)
 * @param log the partition's log
 * @param leaderEpoch the leader epoch; always {@link #SINGLE_NODE_LEADER_EPOCH} until replication exists
 * @param config the resolved log settings
 */
public record Partition(TopicPartition topicPartition, Uuid topicId, PartitionLog log, int leaderEpoch,
        LogConfig config) {

    /** A single node is the first and only leader of every partition it hosts. */
    public static final int SINGLE_NODE_LEADER_EPOCH = 0;

    Partition withConfig(LogConfig newConfig) {
        return new Partition(topicPartition, topicId, log, leaderEpoch, newConfig);
    }
}
