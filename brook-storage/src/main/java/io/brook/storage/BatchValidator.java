package io.brook.storage;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Checks a produce payload before it touches the log, answering with the exceptions Kafka 4.4 gives for the same input:
 * <ul>
 * <li>no batch, more than one batch, or a batch whose magic is not 2 → {@code InvalidRecordException}
 * (INVALID_RECORD), as Kafka's {@code ProduceRequest.validateRecords} does for produce v3+ (the only versions Kafka 4
 * accepts);</li>
 * <li>a batch larger than {@code max.message.bytes} → {@code RecordTooLargeException} (MESSAGE_TOO_LARGE), larger than
 * {@code segment.bytes} → {@code RecordBatchTooLargeException} (RECORD_LIST_TOO_LARGE);</li>
 * <li>a CRC mismatch → {@code CorruptRecordException} (CORRUPT_MESSAGE);</li>
 * <li>a client base offset other than 0 or a record count that disagrees with the offset range →
 * {@code InvalidRecordException}.</li>
 * </ul>
 *
 * <p>Only batch headers are read here; {@link RecordValidator} then walks the records (decompressing them), checks
 * offset deltas and timestamps, and recompresses for the topic's {@code compression.type}.
 *
 * <p>Stateless and thread-safe.
 */
final class BatchValidator {

    private BatchValidator() {
    }

    /** Validates every batch; returns the number of records. */
    static int validate(MemoryRecords records, LogConfig config, TopicPartition topicPartition) {
        int batches = 0;
        int recordCount = 0;
        int validBytes = 0;
        for (MutableRecordBatch batch : records.batches()) {
            batches++;
            if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
                throw new InvalidRecordException("Produce requests are only allowed to contain record batches with "
                        + "magic version 2, found " + batch.magic() + " in " + topicPartition);
            }
            int size = batch.sizeInBytes();
            if (size > config.maxMessageBytes()) {
                throw new RecordTooLargeException("The record batch size in the append to " + topicPartition + " is "
                        + size + " bytes which exceeds the maximum configured value of " + config.maxMessageBytes()
                        + ".");
            }
            if (size > config.segmentBytes()) {
                throw new RecordBatchTooLargeException("Record batch size is " + size + " bytes in append to "
                        + topicPartition + ", which exceeds the maximum configured segment size of "
                        + config.segmentBytes() + ".");
            }
            if (!batch.isValid()) {
                throw new CorruptRecordException("Record is corrupt (stored crc = " + batch.checksum()
                        + ") in topic partition " + topicPartition + ".");
            }
            recordCount += validateOffsets(batch, topicPartition);
            validBytes += size;
        }
        if (batches == 0) {
            throw new InvalidRecordException("Produce requests must have at least one record batch per partition ("
                    + topicPartition + ")");
        }
        if (batches > 1) {
            // Kafka refuses this too: producers send one batch per partition, and one batch is one idempotent unit
            throw new InvalidRecordException("Produce requests may hold only one record batch per partition; "
                    + topicPartition + " has " + batches);
        }
        if (validBytes != records.sizeInBytes()) {
            throw new CorruptRecordException("Produce request for " + topicPartition + " has "
                    + (records.sizeInBytes() - validBytes) + " trailing bytes that are not a whole batch");
        }
        return recordCount;
    }

    /**
     * Checks batches replicated from a leader (magic 2, CRC, size within {@code segment.bytes}, offsets strictly
     * increasing) and splits them into chunks of consecutive whole batches that each fit a segment. A trailing
     * partial batch is left out. {@code max.message.bytes} is not enforced: the leader accepted the batch.
     */
    static List<MemoryRecords> validateReplicated(MemoryRecords records, LogConfig config,
            TopicPartition topicPartition) {
        List<MemoryRecords> chunks = new ArrayList<>();
        ByteBuffer buffer = records.buffer();
        int chunkStart = 0;
        int position = 0;
        long previousLast = -1;
        for (MutableRecordBatch batch : records.batches()) {
            if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
                throw new InvalidRecordException("Replicated batch for " + topicPartition + " at offset "
                        + batch.baseOffset() + " has magic " + batch.magic() + "; only magic 2 is supported");
            }
            int size = batch.sizeInBytes();
            if (size > config.segmentBytes()) {
                throw new RecordBatchTooLargeException("Replicated batch of " + size + " bytes at offset "
                        + batch.baseOffset() + " for " + topicPartition + " exceeds the segment size "
                        + config.segmentBytes());
            }
            if (!batch.isValid()) {
                throw new CorruptRecordException("Replicated batch at offset " + batch.baseOffset() + " for "
                        + topicPartition + " is corrupt (stored crc = " + batch.checksum() + ")");
            }
            if (batch.lastOffset() < batch.baseOffset() || batch.baseOffset() <= previousLast) {
                throw new InvalidRecordException("Out of order offsets in replicated append to " + topicPartition
                        + ": batch " + batch.baseOffset() + ".." + batch.lastOffset() + " after offset "
                        + previousLast);
            }
            if (position + size - chunkStart > config.segmentBytes()) {
                chunks.add(slice(buffer, chunkStart, position));
                chunkStart = position;
            }
            previousLast = batch.lastOffset();
            position += size;
        }
        if (position > chunkStart) {
            chunks.add(slice(buffer, chunkStart, position));
        }
        return chunks;
    }

    private static MemoryRecords slice(ByteBuffer buffer, int from, int to) {
        ByteBuffer slice = buffer.duplicate();
        slice.position(buffer.position() + from);
        slice.limit(buffer.position() + to);
        return MemoryRecords.readableRecords(slice.slice());
    }

    private static int validateOffsets(MutableRecordBatch batch, TopicPartition topicPartition) {
        if (batch.baseOffset() != 0) {
            throw new InvalidRecordException("The baseOffset of the record batch in the append to " + topicPartition
                    + " should be 0, but it is " + batch.baseOffset());
        }
        long offsetRange = batch.lastOffset() - batch.baseOffset() + 1;
        Integer count = batch.countOrNull();
        if (count == null || count <= 0 || offsetRange != count) {
            throw new InvalidRecordException("Record batch in " + topicPartition + " reports " + count
                    + " records but spans " + offsetRange + " offsets");
        }
        return count;
    }
}
