package io.brook.storage;

import org.apache.kafka.common.record.internal.Records;

/**
 * What a read returns: the records (a {@code FileRecords} slice of one segment for zero-copy send, or empty) and
 * the partition's offsets at the time of the read.
 */
public record LogReadResult(Records records, long highWatermark, long lastStableOffset, long logStartOffset,
        long logEndOffset) {
}
