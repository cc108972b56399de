package io.brook.storage;

/** How far a read may go: Kafka's {@code FetchIsolation}. */
public enum FetchIsolation {
    /** Up to the log end offset: replica fetches by followers. */
    LOG_END,
    /** Up to the high watermark: consumers. */
    HIGH_WATERMARK,
    /** Up to the last stable offset: read_committed consumers. */
    TXN_COMMITTED
}
