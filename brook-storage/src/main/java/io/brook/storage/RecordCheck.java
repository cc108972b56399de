package io.brook.storage;

import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * One rule every record of a leader append must pass, applied by {@link RecordValidator} while it walks the records
 * (decompressed when the batch is compressed). Rules are chosen per topic in {@link RecordValidator#checksFor}; the
 * timestamp bounds are one, a key on compacted topics would be another.
 *
 * <p>Implementations are stateless and thread-safe.
 */
@FunctionalInterface
interface RecordCheck {

    /**
     * @param batch the batch the record came from (its timestamp type, magic)
     * @param record the record; with a skip-key-value iterator only its offset, timestamp and key presence are known
     * @param now the broker time of this append
     * @return null when the record passes, else why it is rejected
     */
    RecordRejection check(RecordBatch batch, Record record, long now);

    /** Why one record was rejected: the error the whole partition is answered with, and a message for the client. */
    record RecordRejection(boolean invalidTimestamp, String message) {
    }
}
