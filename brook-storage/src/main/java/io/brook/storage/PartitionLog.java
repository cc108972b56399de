package io.brook.storage;

import java.io.Closeable;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * One partition's log: a sequence of segments in Kafka's on-disk format under {@code <log.dir>/<topic>-<partition>/}.
 *
 * <p>Thread-safety: appends are serialised by one lock inside the implementation; reads are lock-free against
 * volatile end offsets and may run on any thread concurrently with an append.
 */
public interface PartitionLog extends Closeable {

    TopicPartition topicPartition();

    /**
     * Validates {@code records} (magic v2, CRC, sizes, producer sequence), assigns offsets by rewriting each batch's
     * base offset in place, and appends them. Returns once the bytes are in the page cache; use
     * {@link #awaitDurable(long)} to wait for fsync.
     *
     * @throws org.apache.kafka.common.errors.ApiException subclasses carrying the Kafka error the client must see,
     *             e.g. CorruptRecordException, InvalidRecordException, RecordBatchTooLargeException,
     *             OutOfOrderSequenceException, InvalidProducerEpochException, UnsupportedForMessageFormatException
     */
    LogAppendInfo appendAsLeader(MemoryRecords records, int leaderEpoch);

    /**
     * Reads from {@code fetchOffset}: whole batches, starting with the batch that contains the offset, up to
     * {@code maxBytes} (but at least one whole batch when {@code minOneMessage}), never beyond the high watermark.
     *
     * @throws org.apache.kafka.common.errors.OffsetOutOfRangeException when the offset is below the log start or
     *             above the log end offset
     */
    LogReadResult read(long fetchOffset, int maxBytes, boolean minOneMessage);

    long logStartOffset();

    /** Offset the next appended record will get. */
    long logEndOffset();

    /** Offsets below this are visible to consumers. On a single node equal to {@link #logEndOffset()}. */
    long highWatermark();

    /**
     * ListOffsets by timestamp: the first offset whose batch max timestamp is at or after {@code timestamp}. Also
     * understands Kafka's special values -1 (latest), -2 (earliest), -3 (max timestamp).
     */
    Optional<TimestampAndOffset> offsetForTimestamp(long timestamp);

    /**
     * Completes once every record below {@code offset} is fsynced. Many waiters share one fsync (group commit).
     */
    CompletableFuture<Void> awaitDurable(long offset);

    /** Total bytes of all segment files. */
    long sizeInBytes();

    int numberOfSegments();

    /** Closes the files and removes the partition directory. */
    void delete();
}
