package io.brook.storage;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.TreeSet;

import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of a segment swap (Kafka's names) and how a crash in the middle of one is finished at load.
 *
 * <pre>
 * 1. cleaner writes  &lt;base&gt;.log.cleaned      fsync           crash here: the .cleaned file is deleted at load
 * 2. rename to       &lt;base&gt;.log.swap         fsync dir       the commit point: from here the swap is finished
 * 3. old segments'   .log/.index/.timeindex  → *.deleted      at load (old files in the swap's offset range
 * 4. rename          &lt;base&gt;.log.swap → &lt;base&gt;.log           are deleted, the .swap renamed, indexes rebuilt)
 * 5. *.deleted files are removed after log.segment.delete.delay.ms (or at load)
 * </pre>
 *
 * <p>{@code <base>} is the base offset of the first replaced segment. The cleaned segment keeps every offset it holds,
 * so its range [base, last offset] covers exactly the replaced segments that had data it could have kept. Stateless.
 */
final class CleanedSegmentFiles {

    private static final Logger LOG = LoggerFactory.getLogger(CleanedSegmentFiles.class);
    static final String CLEANED_SUFFIX = ".cleaned";
    static final String SWAP_SUFFIX = ".swap";

    private CleanedSegmentFiles() {
    }

    static File cleanedFile(File dir, long baseOffset) {
        return new File(dir, LogSegment.fileName(baseOffset, LogSegment.LOG_SUFFIX) + CLEANED_SUFFIX);
    }

    static File swapFile(File dir, long baseOffset) {
        return new File(dir, LogSegment.fileName(baseOffset, LogSegment.LOG_SUFFIX) + SWAP_SUFFIX);
    }

    /** Runs before the segments are listed: drops unfinished cleanings and finishes committed swaps. */
    static void recover(File dir) throws IOException {
        File[] files = dir.listFiles();
        if (files == null) {
            throw new IOException("cannot list " + dir);
        }
        TreeSet<Long> swaps = new TreeSet<>();
        for (File file : files) {
            String name = file.getName();
            if (name.endsWith(CLEANED_SUFFIX) || name.endsWith(RetiredSegments.DELETED_SUFFIX)) {
                Files.deleteIfExists(file.toPath());
            } else if (name.endsWith(LogSegment.LOG_SUFFIX + SWAP_SUFFIX)) {
                swaps.add(Long.parseLong(name.substring(0, name.indexOf('.'))));
            }
        }
        for (long base : swaps) {
            finishSwap(dir, base);
        }
        if (!swaps.isEmpty()) {
            Utils.flushDir(dir.toPath());
        }
    }

    private static void finishSwap(File dir, long base) throws IOException {
        File swap = swapFile(dir, base);
        long lastOffset = base - 1;
        try (FileRecords records = FileRecords.open(swap, false)) {
            for (FileChannelRecordBatch batch : records.batches()) {
                lastOffset = batch.lastOffset();
            }
        }
        File[] files = dir.listFiles((d, name) -> name.endsWith(LogSegment.LOG_SUFFIX));
        if (files == null) {
            throw new IOException("cannot list " + dir);
        }
        for (File file : files) {
            long segmentBase = Long.parseLong(file.getName().substring(0, file.getName().indexOf('.')));
            if (segmentBase >= base && segmentBase <= Math.max(base, lastOffset)) {
                Files.deleteIfExists(file.toPath());
                Files.deleteIfExists(LogSegment.indexFile(dir, segmentBase).toPath());
                Files.deleteIfExists(LogSegment.timeIndexFile(dir, segmentBase).toPath());
            }
        }
        Utils.atomicMoveWithFallback(swap.toPath(), LogSegment.logFile(dir, base).toPath(), false);
        LOG.info("Finished the interrupted swap of cleaned segment {} in {} (offsets up to {})", base, dir,
                lastOffset);
    }
}
