package io.brook.storage;

/** How far a read may go: Kafka's {@code FetchIsolation} without the transactional level (no LSO yet). */
public enum FetchIsolation {
    /** Up to the log end offset: replica fetches by followers. */
    LOG_END,
    /** Up to the high watermark: consumers. */
    HIGH_WATERMARK
}
