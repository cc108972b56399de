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

/**
 * The records of {@code __transaction_state}, in Kafka's layout (version 0 of TransactionLogKey and
 * TransactionLogValue), so Kafka's tools can read them. One record per change of a transactional id; the log is
 * compacted on the key, and a tombstone (null value) removes an expired id.
 *
 * <pre>
 * key:   int16 version (0) | string transactional_id
 * value: int16 version (0) | int64 producer_id | int16 producer_epoch | int32 timeout_ms | int8 state
 *        | int32 topic count (-1: null) { string topic | int32 count { int32 partition } }
 *        | int64 last_update_timestamp_ms | int64 start_timestamp_ms
 * string: int16 length, UTF-8 bytes
 * </pre>
 *
 * Version 0 has no previous producer id nor last epoch: they load as -1, as in Kafka. Stateless.
 */
public final class TransactionRecordCodec {

    private static final short KEY_VERSION = 0;
    private static final short VALUE_VERSION = 0;

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

    public static byte[] value(TransactionMetadata m) {
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        for (TopicPartition tp : m.partitions()) {
            byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
        }
        int size = 2 + 8 + 2 + 4 + 1 + 4 + 8 + 8;
        List<byte[]> names = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> e : byTopic.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            names.add(name);
            size += 2 + name.length + 4 + 4 * e.getValue().size();
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.putShort(VALUE_VERSION);
        buffer.putLong(m.producerId());
        buffer.putShort(m.producerEpoch());
        buffer.putInt(m.timeoutMs());
        buffer.put(m.state().id());
        buffer.putInt(byTopic.size());
        int i = 0;
        for (List<Integer> partitions : byTopic.values()) {
            putString(buffer, names.get(i++));
            buffer.putInt(partitions.size());
            partitions.stream().sorted().forEach(buffer::putInt);
        }
        buffer.putLong(m.lastUpdateTimestamp());
        buffer.putLong(m.startTimestamp());
        return buffer.array();
    }

    public static TransactionMetadata decodeValue(String transactionalId, ByteBuffer value) {
        ByteBuffer buffer = value.duplicate();
        short version = buffer.getShort();
        if (version != VALUE_VERSION) {
            throw new IllegalArgumentException("Unknown __transaction_state value version " + version);
        }
        long producerId = buffer.getLong();
        short epoch = buffer.getShort();
        int timeoutMs = buffer.getInt();
        TransactionState state = TransactionState.fromId(buffer.get());
        int topics = buffer.getInt();
        Set<TopicPartition> partitions = new HashSet<>();
        for (int t = 0; t < topics; t++) {
            String topic = getString(buffer);
            int count = buffer.getInt();
            for (int p = 0; p < count; p++) {
                partitions.add(new TopicPartition(topic, buffer.getInt()));
            }
        }
        long lastUpdate = buffer.getLong();
        long start = buffer.getLong();
        return new TransactionMetadata(transactionalId, producerId, RecordBatch.NO_PRODUCER_ID, epoch,
                RecordBatch.NO_PRODUCER_EPOCH, timeoutMs, state, partitions, start, lastUpdate);
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
