package io.brook.storage;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.CloseableIterator;

/**
 * Rejects records without a key on a compacted log, as Kafka's {@code LogValidator} does: INVALID_RECORD with Kafka's
 * message. Compressed batches are decompressed (skipping keys' and values' bytes) to see every record. Control
 * batches carry no user record and are not checked.
 *
 * <p>Stateless and thread-safe.
 */
final class CompactedTopicValidator {

    private CompactedTopicValidator() {
    }

    static void requireKeys(MemoryRecords records, TopicPartition topicPartition) {
        for (MutableRecordBatch batch : records.batches()) {
            if (batch.isControlBatch()) {
                continue;
            }
            if (!batch.isCompressed()) {
                for (Record record : batch) {
                    check(record, topicPartition);
                }
                continue;
            }
            try (CloseableIterator<Record> it = batch.streamingIterator(BufferSupplier.NO_CACHING)) {
                while (it.hasNext()) {
                    check(it.next(), topicPartition);
                }
            }
        }
    }

    private static void check(Record record, TopicPartition topicPartition) {
        if (!record.hasKey()) {
            throw new InvalidRecordException("Compacted topic cannot accept message without key in topic partition "
                    + topicPartition + ".");
        }
    }
}
