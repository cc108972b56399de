package io.brook.broker.group;

import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A member of a consumer-protocol group: what it subscribes to and where its reconciliation is. Mutable; owned by its
 * shard's thread.
 */
final class ConsumerGroupMember {

    final String memberId;
    String instanceId;
    String rackId;
    String clientId = "";
    String clientHost = "";
    int rebalanceTimeoutMs = -1;
    SortedSet<String> subscribedTopicNames = new TreeSet<>();
    String subscribedTopicRegex;
    String serverAssignor;
    MemberAssignment assignment = MemberAssignment.initial();
    /** When the member is fenced for not heartbeating (ms). */
    long sessionDeadline = Long.MAX_VALUE;
    /** When the member is fenced for not revoking (ms), or MAX_VALUE when it owes nothing. */
    long revocationDeadline = Long.MAX_VALUE;

    ConsumerGroupMember(String memberId) {
        this.memberId = memberId;
    }

    /** The persisted subscription. */
    GroupRecord.MemberSubscription subscription() {
        return new GroupRecord.MemberSubscription(instanceId, rackId, clientId, clientHost, rebalanceTimeoutMs,
                List.copyOf(subscribedTopicNames), subscribedTopicRegex, serverAssignor);
    }

    void restore(GroupRecord.MemberSubscription s) {
        instanceId = s.instanceId();
        rackId = s.rackId();
        clientId = s.clientId();
        clientHost = s.clientHost();
        rebalanceTimeoutMs = s.rebalanceTimeoutMs();
        subscribedTopicNames = new TreeSet<>(s.subscribedTopicNames());
        subscribedTopicRegex = s.subscribedTopicRegex();
        serverAssignor = s.serverAssignor();
    }

    /** Whether what it subscribes to (names or regex) differs from {@code s}. */
    boolean sameSubscription(GroupRecord.MemberSubscription s) {
        return subscribedTopicNames.equals(new TreeSet<>(s.subscribedTopicNames()))
                && Objects.equals(subscribedTopicRegex, s.subscribedTopicRegex())
                && Objects.equals(serverAssignor, s.serverAssignor());
    }

    boolean isStatic() {
        return instanceId != null;
    }
}
