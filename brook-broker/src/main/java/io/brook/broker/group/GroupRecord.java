package io.brook.broker.group;

import java.util.List;

import org.apache.kafka.common.TopicPartition;

/**
 * What a coordinator writes to its {@code __consumer_offsets} partition. A null value is a tombstone (the group or
 * the offset was deleted). Replaying the records of a partition in order rebuilds the durable state of its groups.
 */
public sealed interface GroupRecord {

    String groupId();

    /** A committed offset of one partition, or its deletion when {@code value} is null. */
    record OffsetCommit(String groupId, TopicPartition topicPartition, CommittedOffset value) implements GroupRecord {
    }

    /** The group's membership after a rebalance, or its deletion when {@code value} is null. */
    record GroupMetadata(String groupId, GroupSnapshot value) implements GroupRecord {
    }

    /**
     * A committed offset.
     *
     * @param leaderEpoch the leader epoch the consumer saw, or -1
     * @param metadata the client's free-form metadata (never null)
     * @param commitTimestamp when the coordinator accepted the commit (ms)
     */
    record CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestamp) {
    }

    /**
     * The persisted part of a group: enough to answer DescribeGroups and keep members after a restart.
     *
     * @param protocolType e.g. "consumer"; empty for a group that only has offsets
     * @param protocolName the selected assignor, or null
     * @param leader the leader's member id, or null
     * @param stateTimestamp when the group last changed state (ms)
     */
    record GroupSnapshot(String protocolType, int generation, String protocolName, String leader, long stateTimestamp,
            List<MemberSnapshot> members) {
    }

    /** A member as persisted: its subscription (metadata of the selected protocol) and its assignment. */
    record MemberSnapshot(String memberId, String instanceId, String clientId, String clientHost,
            int rebalanceTimeoutMs, int sessionTimeoutMs, byte[] subscription, byte[] assignment) {
    }
}
