package io.brook.storage;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.Records;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One segment of a partition log: the {@code .log} file of record batches plus its offset and time indexes, all
 * named after the segment's base offset.
 *
 * <pre>
 * %020d.log   (file name = base offset = offset of the first batch)
 * +------------------------------------------------------------------------------------------+
 * | batch: baseOffset int64 | length int32 | leaderEpoch int32 | magic=2 | crc | attrs | ... |  Kafka record batch v2,
 * +------------------------------------------------------------------------------------------+  bytes as produced except
 * | batch ...                                                                                |  baseOffset / leaderEpoch
 * +------------------------------------------------------------------------------------------+  (outside the CRC)
 * </pre>
 *
 * <p>Not thread-safe for writers: the owning {@link DefaultPartitionLog} calls the mutating methods under its lock.
 * {@link #read} and the lookups may run concurrently with an append; they only see bytes below the {@code maxPosition}
 * the caller passes (the published end of the log).
 */
final class LogSegment implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(LogSegment.class);

    static final String LOG_SUFFIX = ".log";
    static final String INDEX_SUFFIX = ".index";
    static final String TIME_INDEX_SUFFIX = ".timeindex";
    /** Appended to the files of a segment that retention removed and that await their delayed unlink. */
    static final String DELETED_SUFFIX = ".deleted";

    private final long baseOffset;
    private final FileRecords log;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final TransactionIndex txnIndex;
    private final int indexIntervalBytes;
    private int bytesSinceLastIndexEntry;
    /** Largest batch max timestamp in the segment and the last offset of the first batch that reached it. */
    private volatile long maxTimestampSoFar = RecordBatch.NO_TIMESTAMP;
    private volatile long offsetOfMaxTimestampSoFar;
    /** Wall-clock time of the first append (or, after a restart, the first batch's timestamp); -1 while empty. */
    private long rollingBaseTimeMs = -1;

    private LogSegment(long baseOffset, FileRecords log, OffsetIndex offsetIndex, TimeIndex timeIndex,
            TransactionIndex txnIndex, int indexIntervalBytes) {
        this.baseOffset = baseOffset;
        this.log = log;
        this.offsetIndex = offsetIndex;
        this.timeIndex = timeIndex;
        this.txnIndex = txnIndex;
        this.indexIntervalBytes = indexIntervalBytes;
        this.offsetOfMaxTimestampSoFar = baseOffset;
    }

    static String fileName(long offset, String suffix) {
        return String.format("%020d%s", offset, suffix);
    }

    static File logFile(File dir, long baseOffset) {
        return new File(dir, fileName(baseOffset, LOG_SUFFIX));
    }

    static File indexFile(File dir, long baseOffset) {
        return new File(dir, fileName(baseOffset, INDEX_SUFFIX));
    }

    static File timeIndexFile(File dir, long baseOffset) {
        return new File(dir, fileName(baseOffset, TIME_INDEX_SUFFIX));
    }

    /** Creates a new, empty active segment. */
    static LogSegment create(File dir, long baseOffset, LogConfig config) throws IOException {
        Files.deleteIfExists(logFile(dir, baseOffset).toPath());
        Files.deleteIfExists(indexFile(dir, baseOffset).toPath());
        Files.deleteIfExists(timeIndexFile(dir, baseOffset).toPath());
        Files.deleteIfExists(TransactionIndex.file(dir, baseOffset).toPath());
        return createInEmptyDir(dir, baseOffset, config);
    }

    /**
     * As {@link #create}, in a directory just made (a new log), where there is nothing left over to delete: creating
     * a thousand partitions saves four file-system calls each.
     */
    static LogSegment createInEmptyDir(File dir, long baseOffset, LogConfig config) throws IOException {
        File logFile = logFile(dir, baseOffset);
        FileRecords records = FileRecords.open(logFile, true, false, 0, false);
        return new LogSegment(baseOffset, records,
                new OffsetIndex(indexFile(dir, baseOffset), baseOffset, config.maxIndexBytes(), true),
                new TimeIndex(timeIndexFile(dir, baseOffset), baseOffset, config.maxIndexBytes(), true),
                TransactionIndex.open(TransactionIndex.file(dir, baseOffset)), config.indexIntervalBytes());
    }

    /**
     * Opens an existing segment. Missing or inconsistent indexes are rebuilt from the log (which is then trusted up to
     * its first invalid batch, see {@link #recover}).
     */
    static LogSegment open(File dir, long baseOffset, LogConfig config, boolean active) throws IOException {
        FileRecords records = FileRecords.open(logFile(dir, baseOffset), true, true, 0, false);
        boolean indexesExisted = indexFile(dir, baseOffset).exists() && timeIndexFile(dir, baseOffset).exists();
        LogSegment segment = new LogSegment(baseOffset, records,
                new OffsetIndex(indexFile(dir, baseOffset), baseOffset, config.maxIndexBytes(), active),
                new TimeIndex(timeIndexFile(dir, baseOffset), baseOffset, config.maxIndexBytes(), active),
                TransactionIndex.open(TransactionIndex.file(dir, baseOffset)), config.indexIntervalBytes());
        String problem = indexesExisted ? segment.indexProblem() : "index files missing";
        if (problem != null) {
            LOG.warn("Rebuilding indexes of segment {} in {}: {}", baseOffset, dir, problem);
            segment.recover();
        } else {
            segment.loadMaxTimestamp();
        }
        return segment;
    }

    /**
     * Opens a segment whose {@code .log} was just written whole (a cleaned segment): builds fresh indexes from it and
     * trims them, as for a segment that is no longer active.
     */
    static LogSegment openWithNewIndexes(File dir, long baseOffset, LogConfig config) throws IOException {
        Files.deleteIfExists(indexFile(dir, baseOffset).toPath());
        Files.deleteIfExists(timeIndexFile(dir, baseOffset).toPath());
        Files.deleteIfExists(TransactionIndex.file(dir, baseOffset).toPath());
        FileRecords records = FileRecords.open(logFile(dir, baseOffset), true, true, 0, false);
        LogSegment segment = new LogSegment(baseOffset, records,
                new OffsetIndex(indexFile(dir, baseOffset), baseOffset, config.maxIndexBytes(), true),
                new TimeIndex(timeIndexFile(dir, baseOffset), baseOffset, config.maxIndexBytes(), true),
                TransactionIndex.open(TransactionIndex.file(dir, baseOffset)), config.indexIntervalBytes());
        segment.recover();
        segment.makeInactive();
        return segment;
    }

    private String indexProblem() {
        String problem = offsetIndex.sanityCheck(log.sizeInBytes());
        if (problem == null) {
            problem = timeIndex.sanityCheck(readNextOffset());
        }
        return problem == null ? null : problem;
    }

    /** Restores the max-timestamp bookkeeping after a clean open: from the last time-index entry onward. */
    private void loadMaxTimestamp() {
        long fromOffset = timeIndex.lookup(Long.MAX_VALUE);
        for (FileChannelRecordBatch batch : log.batchesFrom(offsetIndex.lookup(fromOffset))) {
            noteTimestamp(batch);
        }
        initRollingBaseTime();
    }

    private void initRollingBaseTime() {
        if (log.sizeInBytes() > 0 && rollingBaseTimeMs < 0) {
            for (FileChannelRecordBatch batch : log.batches()) {
                rollingBaseTimeMs = Math.max(0, batch.maxTimestamp());
                break;
            }
        }
    }

    long baseOffset() {
        return baseOffset;
    }

    int size() {
        return log.sizeInBytes();
    }

    FileRecords records() {
        return log;
    }

    OffsetIndex offsetIndex() {
        return offsetIndex;
    }

    TransactionIndex txnIndex() {
        return txnIndex;
    }

    TimeIndex timeIndex() {
        return timeIndex;
    }

    long maxTimestampSoFar() {
        return maxTimestampSoFar;
    }

    /**
     * What time retention compares with (Kafka's {@code largestTimestamp}): the largest record timestamp, or the file's
     * last-modified time when no record carries a timestamp.
     */
    long largestTimestamp() {
        long max = maxTimestampSoFar;
        return max >= 0 ? max : log.file().lastModified();
    }

    long offsetOfMaxTimestampSoFar() {
        return offsetOfMaxTimestampSoFar;
    }

    long rollingBaseTimeMs() {
        return rollingBaseTimeMs;
    }

    boolean indexesFull() {
        return offsetIndex.isFull() || timeIndex.isFull();
    }

    /** Appends validated batches whose offsets are already assigned; {@code nowMs} starts the segment's age. */
    void append(long largestOffset, MemoryRecords records, long nowMs) throws IOException {
        if (records.sizeInBytes() == 0) {
            return;
        }
        offsetIndex.relativeOffset(largestOffset); // fails fast when the segment cannot index the offsets
        int position = log.sizeInBytes();
        if (position == 0) {
            rollingBaseTimeMs = nowMs;
        }
        log.append(records);
        for (RecordBatch batch : records.batches()) {
            indexBatch(batch, position);
            position += batch.sizeInBytes();
        }
    }

    private void indexBatch(RecordBatch batch, int position) {
        noteTimestamp(batch);
        if (bytesSinceLastIndexEntry > indexIntervalBytes) {
            offsetIndex.append(batch.lastOffset(), position);
            timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += batch.sizeInBytes();
    }

    private void noteTimestamp(RecordBatch batch) {
        if (batch.maxTimestamp() > maxTimestampSoFar) {
            maxTimestampSoFar = batch.maxTimestamp();
            offsetOfMaxTimestampSoFar = batch.lastOffset();
        }
    }

    /**
     * Finds the first batch whose last offset is at or after {@code offset}, starting from the index's hint. Returns
     * null when no such batch is in the segment.
     */
    FileRecords.LogOffsetPosition translateOffset(long offset) {
        return log.searchForOffsetFromPosition(offset, offsetIndex.lookup(offset));
    }

    /**
     * Reads whole batches starting with the one holding {@code startOffset}, up to {@code maxBytes} (at least one
     * batch when {@code minOneMessage}) and never past {@code maxPosition}. Returns null when the segment has no batch
     * at or after {@code startOffset}.
     */
    Records read(long startOffset, int maxBytes, int maxPosition, boolean minOneMessage) {
        FileRecords.LogOffsetPosition start = translateOffset(startOffset);
        if (start == null) {
            return null;
        }
        int from = start.position;
        int to = from;
        for (FileChannelRecordBatch batch : log.batchesFrom(from)) {
            int batchEnd = batch.position() + batch.sizeInBytes();
            if (batchEnd > maxPosition) {
                break;
            }
            boolean firstBatch = to == from;
            if (batchEnd - from > maxBytes && !(firstBatch && minOneMessage)) {
                break;
            }
            to = batchEnd;
        }
        return to == from ? MemoryRecords.EMPTY : log.slice(from, to - from);
    }

    /** The record-level answer to a ListOffsets timestamp query within this segment. */
    Optional<FileRecords.TimestampAndOffset> findOffsetByTimestamp(long timestamp, long startingOffset) {
        long indexedOffset = timeIndex.lookup(timestamp);
        int position = offsetIndex.lookup(indexedOffset);
        return Optional.ofNullable(log.searchForTimestamp(timestamp, position, startingOffset, Integer.MAX_VALUE));
    }

    /** Offset after the last batch, or the base offset when empty. */
    long readNextOffset() {
        long next = baseOffset;
        for (FileChannelRecordBatch batch : log.batchesFrom(offsetIndex.lookup(Long.MAX_VALUE))) {
            next = batch.nextOffset();
        }
        return next;
    }

    /**
     * Rebuilds both indexes by scanning the log and validating each batch (complete, CRC, magic 2, offsets within the
     * segment and increasing); the log is truncated at the first batch that fails. Returns the bytes truncated.
     */
    int recover() throws IOException {
        offsetIndex.reset();
        timeIndex.reset();
        bytesSinceLastIndexEntry = 0;
        maxTimestampSoFar = RecordBatch.NO_TIMESTAMP;
        offsetOfMaxTimestampSoFar = baseOffset;
        int validBytes = 0;
        long nextOffset = baseOffset;
        try {
            for (FileChannelRecordBatch batch : log.batches()) {
                batch.ensureValid();
                if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
                    throw new CorruptRecordException("batch at " + validBytes + " has magic " + batch.magic());
                }
                if (batch.baseOffset() < nextOffset || batch.lastOffset() < batch.baseOffset()
                        || batch.lastOffset() - baseOffset > Integer.MAX_VALUE) {
                    throw new CorruptRecordException("batch at " + validBytes + " has offsets " + batch.baseOffset()
                            + ".." + batch.lastOffset() + " but " + nextOffset + " was expected");
                }
                if (offsetIndex.isFull()) {
                    offsetIndex.resize(offsetIndex.sizeInBytes() * 2 + OffsetIndex.ENTRY_SIZE);
                }
                if (timeIndex.isFull()) {
                    timeIndex.resize(timeIndex.sizeInBytes() * 2 + TimeIndex.ENTRY_SIZE);
                }
                indexBatch(batch, validBytes);
                validBytes += batch.sizeInBytes();
                nextOffset = batch.nextOffset();
            }
        } catch (CorruptRecordException | InvalidRecordException e) {
            LOG.warn("Found invalid data in segment {} of {} at position {}: {}", baseOffset, log.file().getParent(),
                    validBytes, e.getMessage());
        }
        int truncated = log.sizeInBytes() - validBytes;
        if (truncated > 0) {
            LOG.warn("Truncating segment {} of {} from {} to {} bytes", baseOffset, log.file().getParent(),
                    log.sizeInBytes(), validBytes);
            log.truncateTo(validBytes);
        }
        rollingBaseTimeMs = -1;
        initRollingBaseTime();
        return truncated;
    }

    /**
     * Removes every batch whose last offset is at or after {@code offset} (so a batch straddling it goes entirely),
     * with the index entries that point at them, and resets the max-timestamp bookkeeping to what remains. Returns
     * the bytes removed. Not durable by itself: the caller fsyncs.
     */
    int truncateTo(long offset) throws IOException {
        FileRecords.LogOffsetPosition first = translateOffset(offset);
        if (first == null) {
            return 0;
        }
        offsetIndex.truncateTo(offset);
        timeIndex.truncateTo(offset);
        txnIndex.truncateTo(offset);
        int before = log.sizeInBytes();
        log.truncateTo(first.position);
        bytesSinceLastIndexEntry = 0;
        maxTimestampSoFar = RecordBatch.NO_TIMESTAMP;
        offsetOfMaxTimestampSoFar = baseOffset;
        rollingBaseTimeMs = -1;
        loadMaxTimestamp();
        return before - log.sizeInBytes();
    }

    /** Grows the indexes back to full size when the segment becomes (again) the active one. */
    void makeActive(LogConfig config) throws IOException {
        offsetIndex.resize(config.maxIndexBytes());
        timeIndex.resize(config.maxIndexBytes());
    }

    /** Trims the indexes to their entries; called when a newer segment takes over. */
    void makeInactive() throws IOException {
        offsetIndex.trimToValidSize();
        timeIndex.trimToValidSize();
    }

    /** Fsyncs the records only, not the indexes (they are rebuilt from the records after a crash). */
    void flushRecords() throws IOException {
        // fdatasync: the data and the file size reach the disk; mtime does not need to
        log.channel().force(false);
    }

    /** Fsyncs the log (data and size) and both indexes. */
    void flush() throws IOException {
        log.flush();
        offsetIndex.flush();
        timeIndex.flush();
        txnIndex.flush();
    }

    @Override
    public void close() throws IOException {
        offsetIndex.close();
        timeIndex.close();
        txnIndex.close();
        log.close();
    }

    /** Releases file handles without writing anything (the files are about to be deleted). */
    void closeHandlers() throws IOException {
        offsetIndex.closeHandler();
        timeIndex.closeHandler();
        txnIndex.close();
        log.close();
    }

    /**
     * Renames the three files with {@link #DELETED_SUFFIX}: a restart never loads them again (the loader deletes such
     * files), while reads already holding this segment keep working until {@link #deleteFiles}.
     */
    void renameForDeletion() throws IOException {
        log.renameTo(new File(log.file().getPath() + DELETED_SUFFIX));
        offsetIndex.renameTo(new File(offsetIndex.file().getPath() + DELETED_SUFFIX));
        timeIndex.renameTo(new File(timeIndex.file().getPath() + DELETED_SUFFIX));
        txnIndex.renameTo(new File(txnIndex.file().getPath() + DELETED_SUFFIX));
    }

    void deleteFiles() throws IOException {
        offsetIndex.deleteIfExists();
        timeIndex.deleteIfExists();
        txnIndex.deleteIfExists();
        log.close();
        Files.deleteIfExists(log.file().toPath());
    }

    @Override
    public String toString() {
        return "LogSegment(baseOffset=" + baseOffset + ", size=" + log.sizeInBytes() + ")";
    }
}
