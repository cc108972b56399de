package io.brook.broker.group;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.TopicPartition;

import io.brook.broker.group.GroupRecord.CommittedOffset;
import io.brook.broker.group.GroupRecord.GroupMetadata;
import io.brook.broker.group.GroupRecord.GroupSnapshot;
import io.brook.broker.group.GroupRecord.MemberSnapshot;
import io.brook.broker.group.GroupRecord.OffsetCommit;

/**
 * Brook's binary encoding of {@link GroupRecord}s as the key and value of a {@code __consumer_offsets} record. Kafka's
 * own schemas live in broker jars, so this is our own, compact and versioned; all integers big-endian, a string is an
 * int16 length (-1 for null) and UTF-8 bytes, a byte array an int32 length and the bytes.
 *
 * <pre>
 * key   = type int16, group id string, then by type:
 *           1 offset commit:                 topic string, partition int32
 *           2 group metadata (classic):      nothing
 *           3 consumer group epoch:          nothing
 *           4 consumer member:               member id string
 *           5 target assignment epoch:       nothing
 *           6 target assignment of a member: member id string
 *           7 current assignment of a member: member id string
 * value = absent (null) for a tombstone, else version int16 (0) followed by
 *   offset commit:  offset int64, leader epoch int32, metadata string, commit timestamp int64
 *   group metadata: protocol type string, generation int32, protocol name string, leader string,
 *                   state timestamp int64, member count int32, then per member: member id string,
 *                   instance id string, client id string, client host string, rebalance timeout int32,
 *                   session timeout int32, subscription bytes, assignment bytes
 *   consumer group epoch: epoch int32, topic count int32, then per subscribed topic: name string,
 *                   id (two int64), partition count int32
 *   consumer member: instance id string, rack id string, client id string, client host string,
 *                   rebalance timeout int32, topic name count int32, names (strings), regex string,
 *                   server assignor string
 *   target assignment epoch: epoch int32
 *   target assignment of a member: partitions
 *   current assignment of a member: state int8 (0 stable, 1 unrevoked, 2 unreleased), member epoch int32,
 *                   previous member epoch int32, assigned partitions, partitions pending revocation, then the epoch
 *                   each owned partition was received at: topic count int32, per topic: id (two int64),
 *                   count int32, (partition int32, epoch int32) pairs
 *   partitions = topic count int32, then per topic: id (two int64), count int32, partition int32s
 * </pre>
 *
 * Records with a key type or value version this code does not know are rejected on decode. Stateless.
 */
public final class GroupRecordCodec {

    static final short OFFSET_COMMIT_KEY = 1;
    static final short GROUP_METADATA_KEY = 2;
    static final short CONSUMER_GROUP_EPOCH_KEY = 3;
    static final short CONSUMER_MEMBER_KEY = 4;
    static final short TARGET_ASSIGNMENT_EPOCH_KEY = 5;
    static final short TARGET_ASSIGNMENT_MEMBER_KEY = 6;
    static final short CURRENT_ASSIGNMENT_KEY = 7;
    static final short VALUE_VERSION = 0;

    private GroupRecordCodec() {
    }

    public static byte[] key(GroupRecord record) {
        Writer w = new Writer();
        if (record instanceof OffsetCommit commit) {
            w.int16(OFFSET_COMMIT_KEY).string(commit.groupId()).string(commit.topicPartition().topic())
                    .int32(commit.topicPartition().partition());
        } else if (record instanceof GroupMetadata) {
            w.int16(GROUP_METADATA_KEY).string(record.groupId());
        } else {
            ConsumerGroupRecordCodec.key(record, w);
        }
        return w.bytes();
    }

    /** The value, or null for a tombstone. */
    public static byte[] value(GroupRecord record) {
        Writer w = new Writer();
        if (record instanceof OffsetCommit commit) {
            CommittedOffset v = commit.value();
            if (v == null) {
                return null;
            }
            w.int16(VALUE_VERSION).int64(v.offset()).int32(v.leaderEpoch()).string(v.metadata())
                    .int64(v.commitTimestamp());
        } else if (record instanceof GroupMetadata metadata) {
            GroupSnapshot g = metadata.value();
            if (g == null) {
                return null;
            }
            w.int16(VALUE_VERSION).string(g.protocolType()).int32(g.generation()).string(g.protocolName())
                    .string(g.leader()).int64(g.stateTimestamp()).int32(g.members().size());
            for (MemberSnapshot m : g.members()) {
                w.string(m.memberId()).string(m.instanceId()).string(m.clientId()).string(m.clientHost())
                        .int32(m.rebalanceTimeoutMs()).int32(m.sessionTimeoutMs()).bytes(m.subscription())
                        .bytes(m.assignment());
            }
        } else if (!ConsumerGroupRecordCodec.value(record, w.int16(VALUE_VERSION))) {
            return null;
        }
        return w.bytes();
    }

    /** Whether this code knows the record type of {@code key} (read without moving its position). */
    public static boolean isKnownKeyType(ByteBuffer key) {
        if (key.remaining() < 2) {
            return false;
        }
        short type = key.getShort(key.position());
        return type == OFFSET_COMMIT_KEY || type == GROUP_METADATA_KEY;
    }

    /** Decodes a record; {@code value} null (or empty) means a tombstone. */
    public static GroupRecord decode(ByteBuffer key, ByteBuffer value) {
        short type = key.getShort();
        String groupId = readString(key);
        boolean tombstone = value == null || !value.hasRemaining();
        if (!tombstone) {
            short version = value.getShort();
            if (version != VALUE_VERSION) {
                throw new IllegalArgumentException("Unknown group record value version " + version);
            }
        }
        switch (type) {
            case OFFSET_COMMIT_KEY -> {
                TopicPartition tp = new TopicPartition(readString(key), key.getInt());
                if (tombstone) {
                    return new OffsetCommit(groupId, tp, null);
                }
                return new OffsetCommit(groupId, tp, new CommittedOffset(value.getLong(), value.getInt(),
                        readString(value), value.getLong()));
            }
            case GROUP_METADATA_KEY -> {
                if (tombstone) {
                    return new GroupMetadata(groupId, null);
                }
                String protocolType = readString(value);
                int generation = value.getInt();
                String protocolName = readString(value);
                String leader = readString(value);
                long stateTimestamp = value.getLong();
                int count = value.getInt();
                List<MemberSnapshot> members = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    members.add(new MemberSnapshot(readString(value), readString(value), readString(value),
                            readString(value), value.getInt(), value.getInt(), readBytes(value), readBytes(value)));
                }
                return new GroupMetadata(groupId,
                        new GroupSnapshot(protocolType, generation, protocolName, leader, stateTimestamp, members));
            }
            default -> {
                return ConsumerGroupRecordCodec.decode(type, groupId, key, tombstone ? null : value);
            }
        }
    }

    static String readString(ByteBuffer buffer) {
        short length = buffer.getShort();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static byte[] readBytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.getInt()];
        buffer.get(bytes);
        return bytes;
    }

    /** A growable big-endian writer. */
    static final class Writer {
        private ByteBuffer buffer = ByteBuffer.allocate(64);

        private void ensure(int n) {
            if (buffer.remaining() < n) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + n));
                buffer.flip();
                bigger.put(buffer);
                buffer = bigger;
            }
        }

        Writer int16(short v) {
            ensure(2);
            buffer.putShort(v);
            return this;
        }

        Writer int8(byte v) {
            ensure(1);
            buffer.put(v);
            return this;
        }

        Writer int32(int v) {
            ensure(4);
            buffer.putInt(v);
            return this;
        }

        Writer int64(long v) {
            ensure(8);
            buffer.putLong(v);
            return this;
        }

        Writer string(String s) {
            if (s == null) {
                return int16((short) -1);
            }
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > Short.MAX_VALUE) {
                throw new IllegalArgumentException("String too long for a group record: " + bytes.length);
            }
            int16((short) bytes.length);
            ensure(bytes.length);
            buffer.put(bytes);
            return this;
        }

        Writer bytes(byte[] b) {
            byte[] bytes = b == null ? new byte[0] : b;
            int32(bytes.length);
            ensure(bytes.length);
            buffer.put(bytes);
            return this;
        }

        byte[] bytes() {
            byte[] out = new byte[buffer.position()];
            buffer.flip();
            buffer.get(out);
            return out;
        }
    }
}
