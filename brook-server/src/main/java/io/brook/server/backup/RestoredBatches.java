package io.brook.server.backup;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Adapts backed-up batches to the cluster they are restored into, whose leader epochs start again at zero.
 *
 * <p>Why: a Kafka client remembers the highest leader epoch it has seen per partition (from record batches and from
 * committed offsets) and ignores metadata with a lower one, and it validates a position carrying an epoch the leader
 * does not know by resetting it. Batches from the source keep their epochs (say 7) while the restored partition's
 * leader is at epoch 0, so consumers would stall or reset. So every restored batch takes the restored partition's
 * current leader epoch (the field lies outside the CRC: no copy), and the leader epoch of each committed offset in
 * {@code __consumer_offsets} becomes -1 (unknown: clients then skip the validation); those batches are rebuilt, as
 * that field is inside the CRC. Offsets, timestamps, keys, other values, headers, producer ids and compression are
 * kept. Stateless.
 */
final class RestoredBatches {

    /** Brook's {@code __consumer_offsets} key type of an offset commit (see GroupRecordCodec). */
    private static final short OFFSET_COMMIT_KEY = 1;
    /** Offset of the leader epoch in an offset-commit value: version int16, offset int64, then epoch int32. */
    private static final int VALUE_EPOCH_POSITION = 2 + 8;

    private RestoredBatches() {
    }

    /** Sets every batch's partition leader epoch in place; returns {@code records}. */
    static MemoryRecords withLeaderEpoch(MemoryRecords records, int leaderEpoch) {
        for (MutableRecordBatch batch : records.batches()) {
            batch.setPartitionLeaderEpoch(leaderEpoch);
        }
        return records;
    }

    /** {@link #withLeaderEpoch} and the committed offsets' leader epochs cleared. */
    static MemoryRecords forConsumerOffsets(MemoryRecords records, int leaderEpoch) {
        List<ByteBuffer> batches = new ArrayList<>();
        int total = 0;
        ByteBuffer buffer = records.buffer();
        int position = buffer.position();
        for (MutableRecordBatch batch : records.batches()) {
            int size = batch.sizeInBytes();
            ByteBuffer original = buffer.duplicate().position(position).limit(position + size).slice();
            position += size;
            ByteBuffer adapted = !batch.isControlBatch() && hasCommitWithEpoch(batch)
                    ? rebuildWithoutEpochs(batch, leaderEpoch)
                    : original;
            batches.add(adapted);
            total += adapted.remaining();
        }
        ByteBuffer joined = ByteBuffer.allocate(total);
        batches.forEach(b -> joined.put(b.duplicate()));
        joined.flip();
        return withLeaderEpoch(MemoryRecords.readableRecords(joined), leaderEpoch);
    }

    private static boolean hasCommitWithEpoch(RecordBatch batch) {
        for (Record record : batch) {
            if (isCommitWithEpoch(record)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isCommitWithEpoch(Record record) {
        if (!record.hasKey() || !record.hasValue() || record.keySize() < 2
                || record.valueSize() < VALUE_EPOCH_POSITION + 4) {
            return false;
        }
        ByteBuffer key = record.key();
        ByteBuffer value = record.value();
        return key.getShort(key.position()) == OFFSET_COMMIT_KEY
                && value.getInt(value.position() + VALUE_EPOCH_POSITION) != RecordBatch.NO_PARTITION_LEADER_EPOCH;
    }

    private static ByteBuffer rebuildWithoutEpochs(RecordBatch batch, int leaderEpoch) {
        long logAppendTime = batch.timestampType() == TimestampType.LOG_APPEND_TIME
                ? batch.maxTimestamp()
                : RecordBatch.NO_TIMESTAMP;
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(batch.sizeInBytes() + 64),
                RecordBatch.MAGIC_VALUE_V2, Compression.of(batch.compressionType()).build(), batch.timestampType(),
                batch.baseOffset(), logAppendTime, batch.producerId(), batch.producerEpoch(), batch.baseSequence(),
                batch.isTransactional(), false, leaderEpoch);
        for (Record record : batch) {
            ByteBuffer value = record.value();
            if (isCommitWithEpoch(record)) {
                ByteBuffer copy = ByteBuffer.allocate(value.remaining());
                copy.put(value.duplicate()).flip();
                copy.putInt(VALUE_EPOCH_POSITION, RecordBatch.NO_PARTITION_LEADER_EPOCH);
                value = copy;
            }
            builder.appendWithOffset(record.offset(), record.timestamp(), record.key(), value, record.headers());
        }
        return builder.build().buffer();
    }
}
