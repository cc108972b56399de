package io.brook.broker.group;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.common.Uuid;

import io.brook.broker.group.GroupRecord.ConsumerGroupEpoch;
import io.brook.broker.group.GroupRecord.ConsumerMember;
import io.brook.broker.group.GroupRecord.CurrentAssignment;
import io.brook.broker.group.GroupRecord.GroupEpoch;
import io.brook.broker.group.GroupRecord.MemberSubscription;
import io.brook.broker.group.GroupRecord.TargetAssignmentEpoch;
import io.brook.broker.group.GroupRecord.TargetAssignmentMember;
import io.brook.broker.group.GroupRecordCodec.Writer;

/** The consumer-protocol half of {@link GroupRecordCodec} (key types 3–7; the layout is in its javadoc). Stateless. */
final class ConsumerGroupRecordCodec {

    private ConsumerGroupRecordCodec() {
    }

    static void key(GroupRecord record, Writer w) {
        if (record instanceof ConsumerGroupEpoch) {
            w.int16(GroupRecordCodec.CONSUMER_GROUP_EPOCH_KEY).string(record.groupId());
        } else if (record instanceof ConsumerMember m) {
            w.int16(GroupRecordCodec.CONSUMER_MEMBER_KEY).string(m.groupId()).string(m.memberId());
        } else if (record instanceof TargetAssignmentEpoch) {
            w.int16(GroupRecordCodec.TARGET_ASSIGNMENT_EPOCH_KEY).string(record.groupId());
        } else if (record instanceof TargetAssignmentMember t) {
            w.int16(GroupRecordCodec.TARGET_ASSIGNMENT_MEMBER_KEY).string(t.groupId()).string(t.memberId());
        } else if (record instanceof CurrentAssignment c) {
            w.int16(GroupRecordCodec.CURRENT_ASSIGNMENT_KEY).string(c.groupId()).string(c.memberId());
        } else {
            throw new IllegalArgumentException("Unknown group record " + record);
        }
    }

    /** Writes the value after its version; false for a tombstone (nothing to write). */
    static boolean value(GroupRecord record, Writer w) {
        if (record instanceof ConsumerGroupEpoch e) {
            if (e.value() == null) {
                return false;
            }
            w.int32(e.value().epoch()).int32(e.value().subscribedTopics().size());
            for (TopicsView.Topic t : e.value().subscribedTopics()) {
                w.string(t.name()).int64(t.id().getMostSignificantBits()).int64(t.id().getLeastSignificantBits())
                        .int32(t.partitions());
            }
        } else if (record instanceof ConsumerMember m) {
            MemberSubscription s = m.value();
            if (s == null) {
                return false;
            }
            w.string(s.instanceId()).string(s.rackId()).string(s.clientId()).string(s.clientHost())
                    .int32(s.rebalanceTimeoutMs()).int32(s.subscribedTopicNames().size());
            s.subscribedTopicNames().forEach(w::string);
            w.string(s.subscribedTopicRegex()).string(s.serverAssignor());
        } else if (record instanceof TargetAssignmentEpoch t) {
            if (t.value() == null) {
                return false;
            }
            w.int32(t.value());
        } else if (record instanceof TargetAssignmentMember t) {
            if (t.value() == null) {
                return false;
            }
            partitions(w, t.value());
        } else if (record instanceof CurrentAssignment c) {
            MemberAssignment a = c.value();
            if (a == null) {
                return false;
            }
            w.int8((byte) a.state().ordinal()).int32(a.memberEpoch()).int32(a.previousMemberEpoch());
            partitions(w, a.assigned());
            partitions(w, a.pendingRevocation());
            w.int32(a.partitionEpochs().size());
            a.partitionEpochs().forEach((topic, epochs) -> {
                w.int64(topic.getMostSignificantBits()).int64(topic.getLeastSignificantBits()).int32(epochs.size());
                epochs.forEach((p, e) -> w.int32(p).int32(e));
            });
        } else {
            throw new IllegalArgumentException("Unknown group record " + record);
        }
        return true;
    }

    private static void partitions(Writer w, Map<Uuid, Set<Integer>> partitions) {
        w.int32(partitions.size());
        partitions.forEach((topic, ps) -> {
            w.int64(topic.getMostSignificantBits()).int64(topic.getLeastSignificantBits()).int32(ps.size());
            ps.forEach(w::int32);
        });
    }

    /** Decodes key types 3–7; {@code value} (after its version) is null for a tombstone. */
    static GroupRecord decode(short type, String groupId, ByteBuffer key, ByteBuffer value) {
        switch (type) {
            case GroupRecordCodec.CONSUMER_GROUP_EPOCH_KEY -> {
                if (value == null) {
                    return new ConsumerGroupEpoch(groupId, null);
                }
                int epoch = value.getInt();
                int count = value.getInt();
                List<TopicsView.Topic> topics = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    topics.add(new TopicsView.Topic(GroupRecordCodec.readString(value),
                            new Uuid(value.getLong(), value.getLong()), value.getInt()));
                }
                return new ConsumerGroupEpoch(groupId, new GroupEpoch(epoch, topics));
            }
            case GroupRecordCodec.CONSUMER_MEMBER_KEY -> {
                String memberId = GroupRecordCodec.readString(key);
                if (value == null) {
                    return new ConsumerMember(groupId, memberId, null);
                }
                String instanceId = GroupRecordCodec.readString(value);
                String rackId = GroupRecordCodec.readString(value);
                String clientId = GroupRecordCodec.readString(value);
                String clientHost = GroupRecordCodec.readString(value);
                int rebalanceTimeoutMs = value.getInt();
                int count = value.getInt();
                List<String> names = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    names.add(GroupRecordCodec.readString(value));
                }
                return new ConsumerMember(groupId, memberId, new MemberSubscription(instanceId, rackId, clientId,
                        clientHost, rebalanceTimeoutMs, names, GroupRecordCodec.readString(value),
                        GroupRecordCodec.readString(value)));
            }
            case GroupRecordCodec.TARGET_ASSIGNMENT_EPOCH_KEY -> {
                return new TargetAssignmentEpoch(groupId, value == null ? null : value.getInt());
            }
            case GroupRecordCodec.TARGET_ASSIGNMENT_MEMBER_KEY -> {
                String memberId = GroupRecordCodec.readString(key);
                return new TargetAssignmentMember(groupId, memberId, value == null ? null : partitions(value));
            }
            case GroupRecordCodec.CURRENT_ASSIGNMENT_KEY -> {
                String memberId = GroupRecordCodec.readString(key);
                if (value == null) {
                    return new CurrentAssignment(groupId, memberId, null);
                }
                MemberAssignment.State state = MemberAssignment.State.values()[value.get()];
                int epoch = value.getInt();
                int previousEpoch = value.getInt();
                SortedMap<Uuid, Set<Integer>> assigned = partitions(value);
                SortedMap<Uuid, Set<Integer>> pending = partitions(value);
                SortedMap<Uuid, SortedMap<Integer, Integer>> epochs = new TreeMap<>();
                int topics = value.getInt();
                for (int i = 0; i < topics; i++) {
                    SortedMap<Integer, Integer> byPartition = epochs
                            .computeIfAbsent(new Uuid(value.getLong(), value.getLong()), t -> new TreeMap<>());
                    int count = value.getInt();
                    for (int j = 0; j < count; j++) {
                        byPartition.put(value.getInt(), value.getInt());
                    }
                }
                return new CurrentAssignment(groupId, memberId,
                        new MemberAssignment(state, epoch, previousEpoch, assigned, pending, epochs));
            }
            default -> throw new IllegalArgumentException("Unknown group record key type " + type);
        }
    }

    private static SortedMap<Uuid, Set<Integer>> partitions(ByteBuffer value) {
        int topics = value.getInt();
        SortedMap<Uuid, Set<Integer>> result = new TreeMap<>();
        for (int i = 0; i < topics; i++) {
            Uuid topic = new Uuid(value.getLong(), value.getLong());
            int count = value.getInt();
            Set<Integer> partitions = new TreeSet<>();
            for (int j = 0; j < count; j++) {
                partitions.add(value.getInt());
            }
            result.put(topic, partitions);
        }
        return result;
    }
}
