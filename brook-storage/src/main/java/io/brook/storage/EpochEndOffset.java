package io.brook.storage;

/**
 * The answer to "where does leader epoch N end in this log" (OffsetForLeaderEpoch, and Fetch's diverging epoch): the
 * largest epoch at or below the requested one and the offset at which it ends (the start offset of the next epoch, or
 * the log end offset for the latest epoch). {@link #UNDEFINED} when the log cannot tell.
 *
 * @param epoch the leader epoch found, or -1
 * @param endOffset the exclusive end offset of that epoch, or -1
 */
public record EpochEndOffset(int epoch, long endOffset) {

    /** Kafka's UNDEFINED_EPOCH / UNDEFINED_EPOCH_OFFSET pair. */
    public static final EpochEndOffset UNDEFINED = new EpochEndOffset(-1, -1L);

    public boolean isUndefined() {
        return epoch == UNDEFINED.epoch && endOffset == UNDEFINED.endOffset;
    }
}
