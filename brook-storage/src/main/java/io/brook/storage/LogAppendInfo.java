package io.brook.storage;

/**
 * The outcome of one append.
 *
 * @param firstOffset offset of the first record appended (or, for a duplicate, originally appended)
 * @param lastOffset offset of the last record
 * @param logAppendTime the broker time stamped into batches when the topic uses LogAppendTime, else -1
 * @param logStartOffset the log start offset after the append
 * @param duplicate true when an idempotent producer retried a batch already in the log: nothing was written and the
 *            offsets are the original ones
 */
public record LogAppendInfo(long firstOffset, long lastOffset, long logAppendTime, long logStartOffset,
        boolean duplicate) {
}
