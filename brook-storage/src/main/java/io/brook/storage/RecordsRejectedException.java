package io.brook.storage;

import java.util.List;

import org.apache.kafka.common.InvalidRecordException;

/**
 * INVALID_RECORD for an append in which some records broke a rule (a missing key on a compacted topic), naming them.
 */
public final class RecordsRejectedException extends InvalidRecordException implements RejectedRecords {

    private static final long serialVersionUID = 1L;

    private final transient List<RejectedRecord> rejected;

    RecordsRejectedException(String message, List<RejectedRecord> rejected) {
        super(message);
        this.rejected = List.copyOf(rejected);
    }

    @Override
    public List<RejectedRecord> rejectedRecords() {
        return rejected;
    }
}
