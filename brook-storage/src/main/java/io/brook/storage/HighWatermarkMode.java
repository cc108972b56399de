package io.brook.storage;

/**
 * Who moves a log's high watermark.
 *
 * <pre>
 *  FOLLOWS_LOG_END ──setHighWatermarkMode(REPLICATED)──► REPLICATED   (HW keeps its value: the loaded checkpoint,
 *        ▲                                                    │          or the log end offset if anything was
 *        └──────setHighWatermarkMode(FOLLOWS_LOG_END)─────────┘          appended since the log was opened)
 * </pre>
 */
public enum HighWatermarkMode {
    /** Single node (the default): every append moves the high watermark to the log end offset. */
    FOLLOWS_LOG_END,
    /** The replication layer sets the high watermark ({@link PartitionLog#updateHighWatermark}). */
    REPLICATED
}
