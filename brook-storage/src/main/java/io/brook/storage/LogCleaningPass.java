package io.brook.storage;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.CloseableIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cleaning of one compacted log, in two steps as Kafka's cleaner:
 * <ol>
 * <li>build the key → latest offset map from the dirty range [firstDirty, firstUncleanable), whole batches only, until
 * the map is full (then only that prefix is cleaned now; the rest waits for the next pass);</li>
 * <li>rewrite every segment below the map's end, grouped so each group fits one segment ({@code segment.bytes} and
 * int32 relative offsets), through {@link CompactionFilter}; each group's result is written as {@code .cleaned},
 * renamed to {@code .swap} and swapped in ({@link DefaultPartitionLog#replaceSegments}).</li>
 * </ol>
 * Offsets are kept (gaps are fine), so readers' offsets and the leader epoch cache stay valid.
 *
 * <p>Not thread-safe: runs on one cleaner thread, which owns the map and the buffers. The log's appends, reads and
 * flushes go on concurrently; the segments it rewrites are inactive and below the high watermark.
 */
final class LogCleaningPass {

    private static final Logger LOG = LoggerFactory.getLogger(LogCleaningPass.class);

    /** What a pass did; {@code nextFirstDirty} is the new cleaner checkpoint. */
    record Result(long firstDirty, long nextFirstDirty, long dirtyBytesRead, long bytesRead, long bytesWritten,
            long recordsRead, long recordsRetained, long tombstonesRemoved, long earliestPendingHorizonMs,
            boolean mapFilled, List<RetiredSegments> retired) {
    }

    /** Smallest map worth allocating (about 2,700 keys). */
    private static final int MIN_MAP_BYTES = 64 * 1024;

    private final int maxMapBytes;
    /** Grown on demand up to {@link #maxMapBytes}, so a broker whose compacted logs are small keeps a small map. */
    private KeyOffsetMap map;
    private ByteBuffer readBuffer;
    private ByteBuffer writeBuffer;
    private final BufferSupplier decompression = BufferSupplier.create();

    LogCleaningPass(int maxMapBytes, int ioBufferBytes) {
        this.maxMapBytes = maxMapBytes;
        this.readBuffer = ByteBuffer.allocate(ioBufferBytes);
        this.writeBuffer = ByteBuffer.allocate(ioBufferBytes);
    }

    /** Cleans {@code log} within {@code range}; empty when the first dirty batch alone does not fit the map. */
    Optional<Result> clean(DefaultPartitionLog log, CleanableRange range, long nowMs) throws IOException {
        List<LogSegment> segments = log.segmentList();
        // the dirty range cannot hold more keys than offsets
        long wanted = Math.max(MIN_MAP_BYTES, KeyOffsetMap.bytesFor(range.firstUncleanable() - range.firstDirty()));
        int mapBytes = (int) Math.min(maxMapBytes, wanted);
        if (map == null || map.memoryBytes() < mapBytes) {
            map = null; // let the old one go before allocating the new one
            map = new KeyOffsetMap(mapBytes);
        }
        map.clear();
        // aborted records must not shadow older committed values of their keys, and are dropped below
        AbortedRanges aborted = new AbortedRanges(log.allAbortedTransactions());
        long dirtyBytes = 0;
        long mapEnd = range.firstDirty();
        boolean full = false;
        outer : for (LogSegment segment : segments) {
            if (segment.baseOffset() >= range.firstUncleanable()) {
                break;
            }
            long nextBase = nextBase(segments, segment);
            if (nextBase <= range.firstDirty()) {
                continue;
            }
            for (FileChannelRecordBatch batch : segment.records().batches()) {
                if (batch.lastOffset() < range.firstDirty()) {
                    continue;
                }
                if (batch.baseOffset() >= range.firstUncleanable()) {
                    break outer;
                }
                Integer count = batch.countOrNull();
                if (map.size() + (count == null ? 0 : count) > map.capacity()) {
                    full = true;
                    break outer;
                }
                if (!batch.isControlBatch() && !aborted.isAborted(batch)) {
                    try (CloseableIterator<Record> records = batch.streamingIterator(decompression)) {
                        while (records.hasNext()) {
                            Record record = records.next();
                            if (record.hasKey() && record.offset() >= range.firstDirty()) {
                                map.put(record.key(), record.offset());
                            }
                        }
                    }
                }
                dirtyBytes += batch.sizeInBytes();
                mapEnd = batch.nextOffset();
            }
        }
        if (range.hasDirtyData() && mapEnd == range.firstDirty()) {
            LOG.error("Cannot clean {}: the batch at offset {} has more keys than the cleaner's key map holds ({}); "
                    + "raise log.cleaner.dedupe.buffer.size", log.topicPartition(), range.firstDirty(),
                    map.capacity());
            return Optional.empty();
        }
        if (full) {
            LOG.info("Key map of the cleaner full with {} keys after offsets {}..{} of {}; cleaning that part now, "
                    + "the rest (up to {}) in a later pass", map.size(), range.firstDirty(), mapEnd - 1,
                    log.topicPartition(), range.firstUncleanable());
        }

        CompactionConfig compaction = log.config().compaction();
        LogConfig config = log.config();
        CompactionFilter filter = new CompactionFilter(map, log.producerLastDataOffsets(), aborted, nowMs,
                compaction.deleteRetentionMs());
        long bytesRead = 0;
        long bytesWritten = 0;
        long recordsRead = 0;
        long recordsRetained = 0;
        List<RetiredSegments> retired = new ArrayList<>();
        for (List<LogSegment> group : groups(segments, mapEnd, config)) {
            List<Integer> sizes = new ArrayList<>();
            for (LogSegment segment : group) {
                sizes.add(segment.size());
            }
            File dir = log.dir();
            long base = group.get(0).baseOffset();
            File cleaned = CleanedSegmentFiles.cleanedFile(dir, base);
            try (FileRecords out = FileRecords.open(cleaned, true, false, 0, false)) {
                for (int i = 0; i < group.size(); i++) {
                    long[] counts = cleanInto(group.get(i), sizes.get(i), out, filter);
                    bytesRead += sizes.get(i);
                    recordsRead += counts[0];
                    recordsRetained += counts[1];
                }
                out.flush();
                bytesWritten += out.sizeInBytes();
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(cleaned.toPath());
                throw e;
            }
            File swap = CleanedSegmentFiles.swapFile(dir, base);
            Utils.atomicMoveWithFallback(cleaned.toPath(), swap.toPath(), false);
            Utils.flushDir(dir.toPath());
            Optional<RetiredSegments> replaced = log.replaceSegments(group, sizes, swap);
            if (replaced.isEmpty()) {
                LOG.info("Segments {}.. of {} changed while being cleaned; skipping them", base,
                        log.topicPartition());
                continue;
            }
            retired.add(replaced.get());
        }
        return Optional.of(new Result(range.firstDirty(), mapEnd, dirtyBytes, bytesRead, bytesWritten, recordsRead,
                recordsRetained, filter.tombstonesRemoved(), filter.earliestPendingHorizonMs(), full, retired));
    }

    /** Filters one segment into {@code out}; returns {records read, records kept}. */
    private long[] cleanInto(LogSegment segment, int size, FileRecords out, CompactionFilter filter)
            throws IOException {
        long read = 0;
        long kept = 0;
        int position = 0;
        while (position < size) {
            readBuffer.clear();
            readBuffer.limit(Math.min(readBuffer.capacity(), size - position));
            Utils.readFully(segment.records().channel(), readBuffer, position);
            readBuffer.flip();
            MemoryRecords records = MemoryRecords.readableRecords(readBuffer);
            writeBuffer.clear();
            MemoryRecords.FilterResult result = records.filterTo(filter, writeBuffer, decompression,
                    Integer.MAX_VALUE);
            if (result.bytesRead() == 0) {
                // a batch larger than the buffer: grow both to hold it (rare: batches are at most max.message.bytes)
                int needed = Math.max(readBuffer.capacity() * 2, batchSizeAt(readBuffer));
                readBuffer = ByteBuffer.allocate(needed);
                writeBuffer = ByteBuffer.allocate(needed);
                continue;
            }
            position += result.bytesRead();
            read += result.messagesRead();
            kept += result.messagesRetained();
            ByteBuffer output = result.outputBuffer();
            if (output != writeBuffer && output.capacity() > writeBuffer.capacity()) {
                writeBuffer = output;
            }
            output.flip();
            if (output.hasRemaining()) {
                out.append(MemoryRecords.readableRecords(output));
            }
        }
        return new long[]{read, kept};
    }

    private static int batchSizeAt(ByteBuffer buffer) {
        // log overhead: base offset int64 + length int32, then length bytes
        return buffer.remaining() >= 12 ? buffer.getInt(buffer.position() + 8) + 12 : buffer.capacity() * 2;
    }

    private static long nextBase(List<LogSegment> segments, LogSegment segment) {
        int index = segments.indexOf(segment);
        return index + 1 < segments.size() ? segments.get(index + 1).baseOffset() : Long.MAX_VALUE;
    }

    /**
     * Segments whose base is below {@code end}, in groups of consecutive segments whose total size fits
     * {@code segment.bytes} and whose offsets fit one segment's int32 relative offsets.
     */
    static List<List<LogSegment>> groups(List<LogSegment> segments, long end, LogConfig config) {
        List<List<LogSegment>> groups = new ArrayList<>();
        List<LogSegment> current = new ArrayList<>();
        long currentBytes = 0;
        for (int i = 0; i < segments.size() - 1; i++) {
            LogSegment segment = segments.get(i);
            if (segment.baseOffset() >= end) {
                break;
            }
            long segmentEnd = segments.get(i + 1).baseOffset() - 1;
            boolean fits = !current.isEmpty() && currentBytes + segment.size() <= config.segmentBytes()
                    && segmentEnd - current.get(0).baseOffset() <= Integer.MAX_VALUE;
            if (!current.isEmpty() && !fits) {
                groups.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(segment);
            currentBytes += segment.size();
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        return groups;
    }
}
