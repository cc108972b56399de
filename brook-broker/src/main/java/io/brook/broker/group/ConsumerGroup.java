package io.brook.broker.group;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.internals.Topic;

/**
 * One consumer-protocol group (KIP-848): group epoch, target assignment and its epoch, members, and which member owns
 * each partition at which epoch. Mutable; owned by its shard's thread. Committed offsets are not here: they stay with
 * the shard's offsets of the same group id.
 */
final class ConsumerGroup {

    final String groupId;
    int groupEpoch;
    int assignmentEpoch;
    /** Subscribed topics as of the group epoch: a difference with the current topics bumps the epoch. */
    SortedMap<String, TopicsView.Topic> subscribedTopics = new TreeMap<>();
    final SortedMap<String, ConsumerGroupMember> members = new TreeMap<>();
    final Map<String, String> staticMembers = new HashMap<>();
    final Map<String, SortedMap<Uuid, Set<Integer>>> targetAssignment = new HashMap<>();
    /** Topic id to partition to (owner member id, owner epoch): partitions assigned or pending revocation. */
    private final Map<Uuid, Map<Integer, Owner>> owners = new HashMap<>();
    /** When the group last became empty or was created (ms), for offsets retention. */
    long emptySince;

    private record Owner(String memberId, int epoch) {
    }

    ConsumerGroup(String groupId, long now) {
        this.groupId = groupId;
        this.emptySince = now;
    }

    ConsumerGroupState state() {
        if (members.isEmpty()) {
            return ConsumerGroupState.EMPTY;
        }
        if (groupEpoch != assignmentEpoch) {
            return ConsumerGroupState.ASSIGNING;
        }
        for (ConsumerGroupMember m : members.values()) {
            if (m.assignment.memberEpoch() != assignmentEpoch
                    || m.assignment.state() != MemberAssignment.State.STABLE) {
                return ConsumerGroupState.RECONCILING;
            }
        }
        return ConsumerGroupState.STABLE;
    }

    /** The epoch at which a member other than {@code self} owns the partition, or -1. */
    int ownerEpoch(String self, Uuid topicId, int partition) {
        Map<Integer, Owner> byPartition = owners.get(topicId);
        Owner owner = byPartition == null ? null : byPartition.get(partition);
        return owner == null || owner.memberId.equals(self) ? -1 : owner.epoch;
    }

    void putMember(ConsumerGroupMember member) {
        members.put(member.memberId, member);
        if (member.instanceId != null) {
            staticMembers.put(member.instanceId, member.memberId);
        }
    }

    /** Replaces a member's assignment, moving its partition ownership along. */
    void updateAssignment(ConsumerGroupMember member, MemberAssignment next) {
        release(member);
        member.assignment = next;
        claim(member);
    }

    ConsumerGroupMember removeMember(String memberId, long now) {
        ConsumerGroupMember member = members.remove(memberId);
        if (member != null) {
            release(member);
            if (member.instanceId != null && memberId.equals(staticMembers.get(member.instanceId))) {
                staticMembers.remove(member.instanceId);
            }
            targetAssignment.remove(memberId);
            if (members.isEmpty()) {
                emptySince = now;
            }
        }
        return member;
    }

    private void release(ConsumerGroupMember member) {
        forEachOwned(member.assignment, (topic, p) -> {
            Map<Integer, Owner> byPartition = owners.get(topic);
            if (byPartition != null) {
                Owner owner = byPartition.get(p);
                if (owner != null && owner.memberId.equals(member.memberId)) {
                    byPartition.remove(p);
                }
            }
        });
    }

    private void claim(ConsumerGroupMember member) {
        Owner owner = new Owner(member.memberId, member.assignment.memberEpoch());
        forEachOwned(member.assignment,
                (topic, p) -> owners.computeIfAbsent(topic, t -> new HashMap<>()).put(p, owner));
    }

    private static void forEachOwned(MemberAssignment a, java.util.function.ObjIntConsumer<Uuid> action) {
        a.assigned().forEach((topic, partitions) -> partitions.forEach(p -> action.accept(topic, p)));
        a.pendingRevocation().forEach((topic, partitions) -> partitions.forEach(p -> action.accept(topic, p)));
    }

    /** Topic names the members subscribe to, by name or by regex (matched against {@code topics}). */
    Set<String> subscribedTopicNames(TopicsView topics) {
        Set<String> names = new TreeSet<>();
        for (ConsumerGroupMember m : members.values()) {
            names.addAll(m.subscribedTopicNames);
            names.addAll(matching(m.subscribedTopicRegex, topics));
        }
        return names;
    }

    /** Topics of the view a member's regex matches in full; internal topics never match (as in Kafka). */
    static Set<String> matching(String regex, TopicsView topics) {
        if (regex == null) {
            return Set.of();
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            return Set.of();
        }
        Set<String> names = new TreeSet<>();
        for (String name : topics.byName().keySet()) {
            if (!Topic.isInternal(name) && pattern.matcher(name).matches()) {
                names.add(name);
            }
        }
        return names;
    }

    /** The subscribed topics that exist in the view. */
    SortedMap<String, TopicsView.Topic> resolveSubscribedTopics(TopicsView topics) {
        SortedMap<String, TopicsView.Topic> resolved = new TreeMap<>();
        for (String name : subscribedTopicNames(topics)) {
            topics.topic(name).ifPresent(t -> resolved.put(name, t));
        }
        return resolved;
    }

    /** Ids of the existing topics one member subscribes to. */
    Set<Uuid> memberTopicIds(ConsumerGroupMember member, TopicsView topics) {
        Set<String> names = new TreeSet<>(member.subscribedTopicNames);
        names.addAll(matching(member.subscribedTopicRegex, topics));
        Set<Uuid> ids = new TreeSet<>();
        for (String name : names) {
            TopicsView.Topic t = subscribedTopics.get(name);
            if (t != null) {
                ids.add(t.id());
            }
        }
        return ids;
    }
}
