package io.brook.storage;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Kafka's rule for compacted topics: every record needs a key, since compaction keeps the latest value per key
 * (INVALID_RECORD, with Kafka's message). Control batches carry no user record and are not checked.
 *
 * <p>Immutable and thread-safe.
 */
final class KeyRequiredCheck implements RecordCheck {

    private final String message;

    KeyRequiredCheck(TopicPartition topicPartition) {
        this.message = "Compacted topic cannot accept message without key in topic partition " + topicPartition + ".";
    }

    @Override
    public RecordRejection check(RecordBatch batch, Record record, long now) {
        return batch.isControlBatch() || record.hasKey() ? null : new RecordRejection(false, message);
    }
}
