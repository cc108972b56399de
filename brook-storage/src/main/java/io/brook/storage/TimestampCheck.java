package io.brook.storage;

import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Kafka's timestamp rules for a leader append: with {@code message.timestamp.type=CreateTime}, a record timestamp must
 * lie within [now - {@code message.timestamp.before.max.ms}, now + {@code message.timestamp.after.max.ms}]; a batch
 * a producer marked LogAppendTime is refused (only the broker stamps that). Records without a timestamp (-1) pass.
 * Both are INVALID_TIMESTAMP.
 *
 * <p>Immutable and thread-safe.
 */
final class TimestampCheck implements RecordCheck {

    private final boolean createTime;
    private final long beforeMaxMs;
    private final long afterMaxMs;

    TimestampCheck(boolean createTime, long beforeMaxMs, long afterMaxMs) {
        this.createTime = createTime;
        this.beforeMaxMs = beforeMaxMs;
        this.afterMaxMs = afterMaxMs;
    }

    @Override
    public RecordRejection check(RecordBatch batch, Record record, long now) {
        long timestamp = record.timestamp();
        if (createTime && timestamp != RecordBatch.NO_TIMESTAMP) {
            // compared as differences so that Long.MAX_VALUE bounds cannot overflow
            long age = now - timestamp;
            if (age > beforeMaxMs || -age > afterMaxMs) {
                return new RecordRejection(true, "Timestamp " + timestamp + " of message with offset "
                        + record.offset() + " is out of range. The timestamp should be within ["
                        + saturatedSubtract(now, beforeMaxMs) + ", " + saturatedAdd(now, afterMaxMs) + "]");
            }
        } else if (batch.timestampType() == TimestampType.LOG_APPEND_TIME) {
            return new RecordRejection(true, "Invalid timestamp type in message with offset " + record.offset()
                    + ". Producer should not set timestamp type to LogAppendTime.");
        }
        return null;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    private static long saturatedSubtract(long a, long b) {
        long difference = a - b;
        return ((a ^ b) & (a ^ difference)) < 0 ? Long.MIN_VALUE : difference;
    }
}
