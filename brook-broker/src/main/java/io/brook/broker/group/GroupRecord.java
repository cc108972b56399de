package io.brook.broker.group;

import java.util.List;
import java.util.Set;
import java.util.SortedMap;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

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

    // ---------------------------------------------------------------- consumer protocol (KIP-848)

    /** A consumer-protocol group's epoch and the subscribed topics it was computed from; null deletes the group. */
    record ConsumerGroupEpoch(String groupId, GroupEpoch value) implements GroupRecord {
    }

    /** A member's subscription; null removes the member. */
    record ConsumerMember(String groupId, String memberId, MemberSubscription value) implements GroupRecord {
    }

    /** The epoch of the group's target assignment; null with the group's deletion. */
    record TargetAssignmentEpoch(String groupId, Integer value) implements GroupRecord {
    }

    /** One member's target assignment (topic id to partitions); null removes it. */
    record TargetAssignmentMember(String groupId, String memberId, SortedMap<Uuid, Set<Integer>> value)
            implements
                GroupRecord {
    }

    /** One member's epoch and owned partitions; null removes it. */
    record CurrentAssignment(String groupId, String memberId, MemberAssignment value) implements GroupRecord {
    }

    /**
     * @param epoch the group epoch
     * @param subscribedTopics the subscribed topics as seen when the epoch was set (a change of them bumps it)
     */
    record GroupEpoch(int epoch, List<TopicsView.Topic> subscribedTopics) {
    }

    /**
     * What a consumer-protocol member sent about itself.
     *
     * @param instanceId static membership id, or null
     * @param rackId or null
     * @param subscribedTopicRegex a java.util.regex pattern, or null
     * @param serverAssignor the assignor the member asked for, or null
     */
    record MemberSubscription(String instanceId, String rackId, String clientId, String clientHost,
            int rebalanceTimeoutMs, List<String> subscribedTopicNames, String subscribedTopicRegex,
            String serverAssignor) {
    }
}
