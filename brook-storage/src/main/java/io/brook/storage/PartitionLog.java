package io.brook.storage;

import java.io.Closeable;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
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
     * The id of the topic this log was created for ({@code partition.metadata}, as Kafka); empty until
     * {@link #assignTopicId} recorded one. A log whose id differs from the topic's current id is a deleted topic's
     * leftover and must be deleted, never adopted. Default: ids are not recorded.
     */
    default Optional<Uuid> topicId() {
        return Optional.empty();
    }

    /**
     * Records the topic id once (the first call writes it); a later call with the same id does nothing.
     *
     * @throws org.apache.kafka.common.errors.InconsistentTopicIdException when another id is recorded
     */
    default void assignTopicId(Uuid topicId) {
    }

    /**
     * Validates {@code records} (magic v2, CRC, sizes, every record's offset delta and timestamp bounds, producer
     * sequence), rebuilds batches whose codec is not the topic's {@code compression.type}, assigns offsets by rewriting
     * each batch's base offset in place, and appends them. Returns once the bytes are in the page cache; use
     * {@link #awaitDurable(long)} to wait for fsync.
     *
     * @throws org.apache.kafka.common.errors.ApiException subclasses carrying the Kafka error the client must see,
     *             e.g. CorruptRecordException, InvalidRecordException, InvalidTimestampException,
     *             RecordTooLargeException (a recompressed batch above max.message.bytes), RecordBatchTooLargeException,
     *             OutOfOrderSequenceException, InvalidProducerEpochException, UnsupportedForMessageFormatException
     */
    LogAppendInfo appendAsLeader(MemoryRecords records, int leaderEpoch);

    /**
     * As {@link #appendAsLeader(MemoryRecords, int)}, for a Produce whose transactional batches went through
     * verification: a transactional batch that finds no transaction of its producer open must present the guard
     * {@link #maybeStartTransactionVerification} handed out (and still in the producer's state), else
     * {@code InvalidTxnStateException}. Default: appends without the check.
     */
    default LogAppendInfo appendAsLeader(MemoryRecords records, int leaderEpoch, VerificationGuard guard) {
        return appendAsLeader(records, leaderEpoch);
    }

    /**
     * Appends batches replicated from the leader as they are: offsets, leader epochs, producer ids, transactional and
     * control batches are kept. Checks magic v2, CRC, sizes and strictly increasing offsets; updates producer state
     * (without sequence checks: the leader made them) and the leader epoch cache. Offsets may jump forward (compacted
     * data) but never start below the log end offset. A trailing partial batch is ignored.
     *
     * @throws UnexpectedAppendOffsetException when the first batch starts below the log end offset
     * @throws org.apache.kafka.common.InvalidRecordException when offsets are not increasing or a batch is not magic v2
     * @throws org.apache.kafka.common.errors.CorruptRecordException on a CRC mismatch
     */
    LogAppendInfo appendAsFollower(MemoryRecords records);

    /**
     * Reads from {@code fetchOffset}: whole batches, starting with the batch that contains the offset, up to
     * {@code maxBytes} (but at least one whole batch when {@code minOneMessage}), never beyond the high watermark.
     *
     * @throws org.apache.kafka.common.errors.OffsetOutOfRangeException when the offset is below the log start or
     *             above the log end offset
     */
    LogReadResult read(long fetchOffset, int maxBytes, boolean minOneMessage);

    /**
     * As {@link #read(long, int, boolean)}, bounded by the high watermark or, for replica fetches, the log end offset.
     * An offset between the high watermark and the log end offset reads nothing with {@code HIGH_WATERMARK}.
     */
    LogReadResult read(long fetchOffset, int maxBytes, boolean minOneMessage, FetchIsolation isolation);

    long logStartOffset();

    /** Offset the next appended record will get. */
    long logEndOffset();

    /**
     * Offsets below this are visible to consumers. Equal to {@link #logEndOffset()} in
     * {@link HighWatermarkMode#FOLLOWS_LOG_END} mode (single node, the default).
     */
    long highWatermark();

    /**
     * The last stable offset: below it every transaction is decided (committed or aborted) and its marker below the
     * high watermark; read_committed consumers read up to here ({@link FetchIsolation#TXN_COMMITTED}). The first offset
     * of the earliest open transaction, capped by the high watermark. Default: no transactions, the high watermark.
     */
    default long lastStableOffset() {
        return highWatermark();
    }

    /**
     * The aborted transactions a read_committed reader of {@code [fetchOffset, upperBoundOffset)} must filter: abort
     * marker at or after the fetch offset and first record before the bound, oldest marker first. May list a few
     * more (the client ignores those). Default: none.
     */
    default List<AbortedTxn> abortedTransactions(long fetchOffset, long upperBoundOffset) {
        return List.of();
    }

    /**
     * Whether the producer, at this epoch, has an open transaction in this partition: its next transactional batch
     * here needs no verification with the transaction coordinator. Default: false (always verify).
     */
    default boolean hasOngoingTransaction(long producerId, short producerEpoch) {
        return false;
    }

    /**
     * Before a transactional append of the producer: {@link VerificationGuard#SENTINEL} when it has a transaction open
     * here at this epoch (no verification needed), else the guard of a verification starting now (the one already
     * started if there is one), to pass to {@link #appendAsLeader(MemoryRecords, int, VerificationGuard)} once the
     * coordinator confirmed the transaction. {@code epochBump}: the producer uses transaction version 2, whose
     * markers carry the next transaction's epoch, so a marker at the verified epoch ends the previous transaction and
     * leaves the guard in place. Default: a guard that nothing checks.
     */
    default VerificationGuard maybeStartTransactionVerification(long producerId, short producerEpoch,
            boolean epochBump) {
        return hasOngoingTransaction(producerId, producerEpoch)
                ? VerificationGuard.SENTINEL
                : VerificationGuard.create();
    }

    HighWatermarkMode highWatermarkMode();

    /**
     * Hands the high watermark to the replication layer ({@code REPLICATED}: it keeps its current value, the
     * checkpointed one if nothing was appended since the log was opened) or back ({@code FOLLOWS_LOG_END}: it jumps to
     * the log end offset).
     */
    void setHighWatermarkMode(HighWatermarkMode mode);

    /**
     * Raises the high watermark to {@code offset} clamped into [log start offset, log end offset]; a lower value is
     * ignored (only truncation lowers it). Returns the high watermark after the call. No effect in
     * {@link HighWatermarkMode#FOLLOWS_LOG_END} mode.
     */
    long updateHighWatermark(long offset);

    /** The epoch of the latest leader that wrote to this log, if any batch carried one. */
    OptionalInt latestEpoch();

    /**
     * OffsetForLeaderEpoch: the largest epoch at or below {@code leaderEpoch} and its exclusive end offset, with the
     * semantics of Kafka's {@code LeaderEpochFileCache.endOffsetFor} ({@link EpochEndOffset#UNDEFINED} for -1 or an
     * epoch above the latest; the log end offset for the latest epoch).
     */
    EpochEndOffset endOffsetForEpoch(int leaderEpoch);

    /**
     * Removes every record at or after {@code offset} (a batch straddling it goes entirely, so the new log end offset
     * may be lower than {@code offset}): segments, indexes, producer state, leader epochs; the high watermark and
     * recovery point are lowered to the new end. Durable when it returns: a crash never brings the records back.
     * Pending {@link #awaitDurable} futures beyond the new end fail with {@code NotLeaderOrFollowerException}. Below
     * the log start offset it behaves as {@link #truncateFullyAndStartAt}.
     *
     * @return false when {@code offset} is at or beyond the log end offset (nothing to do)
     */
    boolean truncateTo(long offset);

    /**
     * Deletes everything and restarts the log empty at {@code offset} (log start = end = high watermark), e.g. for a
     * follower whose leader's log starts beyond this log's end. Durable when it returns; every pending
     * {@link #awaitDurable} future fails.
     */
    void truncateFullyAndStartAt(long offset);

    /**
     * Moves the log start offset forward (DeleteRecords, retention); records below it can no longer be read.
     *
     * @return false when {@code offset} is not above the current log start offset
     * @throws org.apache.kafka.common.errors.OffsetOutOfRangeException when {@code offset} is above the high watermark
     */
    boolean maybeIncrementLogStartOffset(long offset);

    /**
     * ListOffsets by timestamp: the first offset whose batch max timestamp is at or after {@code timestamp}. Also
     * understands Kafka's special values -1 (latest), -2 (earliest), -3 (max timestamp).
     */
    Optional<TimestampAndOffset> offsetForTimestamp(long timestamp);

    /**
     * Completes once every record below {@code offset} is fsynced. Many waiters share one fsync (group commit).
     */
    CompletableFuture<Void> awaitDurable(long offset);

    /**
     * True once the log dir holding this log is offline after an I/O error (see {@link LogManager#offlineLogDirs()}):
     * every operation then fails with {@link org.apache.kafka.common.errors.KafkaStorageException}
     * (KAFKA_STORAGE_ERROR) until the broker restarts.
     */
    default boolean isOffline() {
        return false;
    }

    /** Total bytes of all segment files. */
    long sizeInBytes();

    int numberOfSegments();

    /** Closes the files and removes the partition directory. */
    void delete();
}
