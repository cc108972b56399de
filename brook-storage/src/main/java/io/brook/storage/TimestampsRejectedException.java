package io.brook.storage;

import java.util.List;

import org.apache.kafka.common.errors.InvalidTimestampException;

/** INVALID_TIMESTAMP for an append in which some records' timestamps broke the topic's bounds, naming them. */
public final class TimestampsRejectedException extends InvalidTimestampException implements RejectedRecords {

    private static final long serialVersionUID = 1L;

    private final transient List<RejectedRecord> rejected;

    TimestampsRejectedException(String message, List<RejectedRecord> rejected) {
        super(message);
        this.rejected = List.copyOf(rejected);
    }

    @Override
    public List<RejectedRecord> rejectedRecords() {
        return rejected;
    }
}
