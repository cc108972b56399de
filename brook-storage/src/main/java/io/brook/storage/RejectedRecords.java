package io.brook.storage;

import java.util.List;

/**
 * What an append exception knows about the individual records it refused ({@link RecordsRejectedException},
 * {@link TimestampsRejectedException}).
 */
public interface RejectedRecords {

    List<RejectedRecord> rejectedRecords();
}
