package io.brook.storage;

import org.apache.kafka.common.KafkaException;

/**
 * A follower append whose first batch starts below the log end offset: the follower and the leader disagree about
 * where the log ends, and the replication layer must truncate or refetch before appending again.
 */
public final class UnexpectedAppendOffsetException extends KafkaException {

    private static final long serialVersionUID = 1L;

    private final long firstOffset;
    private final long logEndOffset;

    public UnexpectedAppendOffsetException(String message, long firstOffset, long logEndOffset) {
        super(message);
        this.firstOffset = firstOffset;
        this.logEndOffset = logEndOffset;
    }

    public long firstOffset() {
        return firstOffset;
    }

    public long logEndOffset() {
        return logEndOffset;
    }
}
