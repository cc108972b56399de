package io.brook.broker.txn;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.ByteUtils;

/**
 * The records of {@code __transaction_state}, in Kafka's layout (TransactionLogKey version 0, TransactionLogValue
 * version 1, the one Kafka writes once {@code transaction.version} 2 is finalized; version 0 values still load), so
 * Kafka's tools can read them. One record per change of a transactional id; the log is compacted on the key, and a
 * tombstone (null value) removes an expired id.
 *
 * <pre>
 * key:      int16 version (0) | string transactional_id                      (string: int16 length, UTF-8 bytes)
 * value v0: int16 version (0) | int64 producer_id | int16 producer_epoch | int32 timeout_ms | int8 state
 *           | int32 topic count (-1: null) { string topic | int32 count { int32 partition } }
 *           | int64 last_update_timestamp_ms | int64 start_timestamp_ms
 * value v1: int16 version (1) | int64 producer_id | int16 producer_epoch | int32 timeout_ms | int8 state
 *           | uvarint topic count + 1 (0: null) { compact string topic | uvarint count + 1 { int32 partition }
 *             | uvarint 0 (no tagged fields) }
 *           | int64 last_update_timestamp_ms | int64 start_timestamp_ms
 *           | tagged fields: 0 previous_producer_id int64, 1 next_producer_id int64 (both default -1),
 *             2 client_transaction_version int16 (default 0); only those differing from their default, by tag
 * compact string: uvarint length + 1, UTF-8 bytes
 * </pre>
 *
 * Neither version stores the last epoch (it loads as -1, as in Kafka), and version 0 has none of the tagged fields
 * (they load as their defaults). Unknown tagged fields are skipped. Stateless.
 */
public final class TransactionRecordCodec {

    private static final short KEY_VERSION = 0;
    private static final short VALUE_VERSION_0 = 0;
    private static final short VALUE_VERSION_1 = 1;
    private static final int TAG_PREVIOUS_PRODUCER_ID = 0;
    private static final int TAG_NEXT_PRODUCER_ID = 1;
    private static final int TAG_CLIENT_TRANSACTION_VERSION = 2;

    private TransactionRecordCodec() {
    }

    public static byte[] key(String transactionalId) {
        byte[] id = transactionalId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(2 + 2 + id.length);
        buffer.putShort(KEY_VERSION);
        putString(buffer, id);
        return buffer.array();
    }

    public static String decodeKey(ByteBuffer key) {
        ByteBuffer buffer = key.duplicate();
        short version = buffer.getShort();
        if (version != KEY_VERSION) {
            throw new IllegalArgumentException("Unknown __transaction_state key version " + version);
        }
        return getString(buffer);
    }

    /** Whether {@code key} is a transaction record key this version reads (others are skipped on load). */
    public static boolean isKnownKey(ByteBuffer key) {
        return key.remaining() >= 2 && key.getShort(key.position()) == KEY_VERSION;
    }

    /** The value in version 1. */
    public static byte[] value(TransactionMetadata m) {
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        for (TopicPartition tp : m.partitions()) {
            byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
        }
        List<byte[]> names = new ArrayList<>();
        // As Kafka: no partitions is a null array.
        int size = 2 + 8 + 2 + 4 + 1 + ByteUtils.sizeOfUnsignedVarint(byTopic.isEmpty() ? 0 : byTopic.size() + 1);
        for (Map.Entry<String, List<Integer>> e : byTopic.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            names.add(name);
            size += ByteUtils.sizeOfUnsignedVarint(name.length + 1) + name.length
                    + ByteUtils.sizeOfUnsignedVarint(e.getValue().size() + 1) + 4 * e.getValue().size() + 1;
        }
        size += 8 + 8;
        int tags = 0;
        boolean previous = m.previousProducerId() != RecordBatch.NO_PRODUCER_ID;
        boolean next = m.nextProducerId() != RecordBatch.NO_PRODUCER_ID;
        boolean clientVersion = m.clientTransactionVersion() != 0;
        for (boolean present : new boolean[]{previous, next, clientVersion}) {
            tags += present ? 1 : 0;
        }
        size += 1 + (previous ? 2 + 8 : 0) + (next ? 2 + 8 : 0) + (clientVersion ? 2 + 2 : 0);

        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.putShort(VALUE_VERSION_1);
        buffer.putLong(m.producerId());
        buffer.putShort(m.producerEpoch());
        buffer.putInt(m.timeoutMs());
        buffer.put(m.state().id());
        ByteUtils.writeUnsignedVarint(byTopic.isEmpty() ? 0 : byTopic.size() + 1, buffer);
        int i = 0;
        for (List<Integer> partitions : byTopic.values()) {
            byte[] name = names.get(i++);
            ByteUtils.writeUnsignedVarint(name.length + 1, buffer);
            buffer.put(name);
            ByteUtils.writeUnsignedVarint(partitions.size() + 1, buffer);
            partitions.stream().sorted().forEach(buffer::putInt);
            ByteUtils.writeUnsignedVarint(0, buffer);
        }
        buffer.putLong(m.lastUpdateTimestamp());
        buffer.putLong(m.startTimestamp());
        ByteUtils.writeUnsignedVarint(tags, buffer);
        if (previous) {
            putTag(buffer, TAG_PREVIOUS_PRODUCER_ID, 8).putLong(m.previousProducerId());
        }
        if (next) {
            putTag(buffer, TAG_NEXT_PRODUCER_ID, 8).putLong(m.nextProducerId());
        }
        if (clientVersion) {
            putTag(buffer, TAG_CLIENT_TRANSACTION_VERSION, 2).putShort(m.clientTransactionVersion());
        }
        return buffer.array();
    }

    private static ByteBuffer putTag(ByteBuffer buffer, int tag, int size) {
        ByteUtils.writeUnsignedVarint(tag, buffer);
        ByteUtils.writeUnsignedVarint(size, buffer);
        return buffer;
    }

    public static TransactionMetadata decodeValue(String transactionalId, ByteBuffer value) {
        ByteBuffer buffer = value.duplicate();
        short version = buffer.getShort();
        if (version != VALUE_VERSION_0 && version != VALUE_VERSION_1) {
            throw new IllegalArgumentException("Unknown __transaction_state value version " + version);
        }
        boolean flexible = version == VALUE_VERSION_1;
        long producerId = buffer.getLong();
        short epoch = buffer.getShort();
        int timeoutMs = buffer.getInt();
        TransactionState state = TransactionState.fromId(buffer.get());
        int topics = flexible ? ByteUtils.readUnsignedVarint(buffer) - 1 : buffer.getInt();
        Set<TopicPartition> partitions = new HashSet<>();
        for (int t = 0; t < topics; t++) {
            String topic = flexible ? getCompactString(buffer) : getString(buffer);
            int count = flexible ? ByteUtils.readUnsignedVarint(buffer) - 1 : buffer.getInt();
            for (int p = 0; p < count; p++) {
                partitions.add(new TopicPartition(topic, buffer.getInt()));
            }
            if (flexible) {
                skipTaggedFields(buffer);
            }
        }
        long lastUpdate = buffer.getLong();
        long start = buffer.getLong();
        long previousProducerId = RecordBatch.NO_PRODUCER_ID;
        long nextProducerId = RecordBatch.NO_PRODUCER_ID;
        short clientTransactionVersion = 0;
        if (flexible) {
            int tags = ByteUtils.readUnsignedVarint(buffer);
            for (int t = 0; t < tags; t++) {
                int tag = ByteUtils.readUnsignedVarint(buffer);
                int size = ByteUtils.readUnsignedVarint(buffer);
                switch (tag) {
                    case TAG_PREVIOUS_PRODUCER_ID -> previousProducerId = buffer.getLong();
                    case TAG_NEXT_PRODUCER_ID -> nextProducerId = buffer.getLong();
                    case TAG_CLIENT_TRANSACTION_VERSION -> clientTransactionVersion = buffer.getShort();
                    default -> buffer.position(buffer.position() + size);
                }
            }
        }
        return new TransactionMetadata(transactionalId, producerId, previousProducerId, epoch,
                RecordBatch.NO_PRODUCER_EPOCH, timeoutMs, state, partitions, start, lastUpdate, nextProducerId,
                clientTransactionVersion);
    }

    private static void skipTaggedFields(ByteBuffer buffer) {
        int tags = ByteUtils.readUnsignedVarint(buffer);
        for (int t = 0; t < tags; t++) {
            ByteUtils.readUnsignedVarint(buffer);
            int size = ByteUtils.readUnsignedVarint(buffer);
            buffer.position(buffer.position() + size);
        }
    }

    private static String getCompactString(ByteBuffer buffer) {
        int length = ByteUtils.readUnsignedVarint(buffer) - 1;
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void putString(ByteBuffer buffer, byte[] utf8) {
        buffer.putShort((short) utf8.length);
        buffer.put(utf8);
    }

    private static String getString(ByteBuffer buffer) {
        int length = buffer.getShort();
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
