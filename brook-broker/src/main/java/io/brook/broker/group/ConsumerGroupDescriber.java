package io.brook.broker.group;

import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.Assignment;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.Member;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.TopicPartitions;

/** Builds the ConsumerGroupDescribe view of a consumer-protocol group. Stateless. */
final class ConsumerGroupDescriber {

    /** Kafka's MemberType of a member using the consumer protocol (ConsumerGroupDescribe v1). */
    private static final byte CONSUMER_MEMBER_TYPE = 1;

    private ConsumerGroupDescriber() {
    }

    static DescribedGroup describe(ConsumerGroup group, String assignorName, TopicsView topics) {
        DescribedGroup described = new DescribedGroup().setGroupId(group.groupId)
                .setGroupState(group.state().wireName()).setGroupEpoch(group.groupEpoch)
                .setAssignmentEpoch(group.assignmentEpoch).setAssignorName(assignorName);
        for (ConsumerGroupMember m : group.members.values()) {
            described.members().add(new Member().setMemberId(m.memberId).setInstanceId(m.instanceId)
                    .setRackId(m.rackId).setMemberEpoch(m.assignment.memberEpoch()).setClientId(m.clientId)
                    .setClientHost(m.clientHost).setSubscribedTopicNames(new ArrayList<>(m.subscribedTopicNames))
                    .setSubscribedTopicRegex(m.subscribedTopicRegex)
                    .setAssignment(assignment(m.assignment.assigned(), topics))
                    .setTargetAssignment(
                            assignment(group.targetAssignment.getOrDefault(m.memberId, new TreeMap<>()), topics))
                    .setMemberType(CONSUMER_MEMBER_TYPE));
        }
        return described;
    }

    private static Assignment assignment(Map<Uuid, Set<Integer>> partitions, TopicsView topics) {
        Assignment assignment = new Assignment();
        partitions.forEach((id, ps) -> topics.topic(id).ifPresent(t -> assignment.topicPartitions()
                .add(new TopicPartitions().setTopicId(id).setTopicName(t.name()).setPartitions(new ArrayList<>(ps)))));
        return assignment;
    }
}
