package io.brook.storage;

import java.util.List;

import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Which part of a compacted log a cleaning pass may touch, and how dirty it is.
 *
 * <pre>
 * | clean (cleaned before) | dirty (appended since)        | uncleanable                                   |
 * ^ first segment          ^ firstDirty (checkpoint)       ^ firstUncleanable = min(active segment base,
 *                                                            segment holding the high watermark, first segment
 *                                                            with a record younger than min.compaction.lag.ms)
 * </pre>
 *
 * Only whole segments are uncleanable, so the boundary is always a segment's base offset (readers' positions in the
 * active segment and in the high watermark's segment are never invalidated by a swap).
 *
 * @param firstDirty first offset not yet cleaned
 * @param firstUncleanable first offset a pass must not read for its key map
 * @param cleanBytes bytes of the segments below {@code firstDirty}
 * @param dirtyBytes bytes of the segments in [firstDirty, firstUncleanable)
 * @param maxLagExceeded the oldest dirty record is older than {@code max.compaction.lag.ms}
 */
record CleanableRange(long firstDirty, long firstUncleanable, long cleanBytes, long dirtyBytes,
        boolean maxLagExceeded) {

    /** Dirty bytes over all cleanable bytes; 0 when nothing is cleanable. */
    double dirtyRatio() {
        long total = cleanBytes + dirtyBytes;
        return total == 0 ? 0 : (double) dirtyBytes / total;
    }

    boolean hasDirtyData() {
        return firstDirty < firstUncleanable && dirtyBytes > 0;
    }

    /**
     * @param checkpoint the cleaner's offset for this log (-1 when it has none): where the last pass stopped
     */
    static CleanableRange of(List<LogSegment> segments, long checkpoint, long logStartOffset, long hwSegmentBase,
            CompactionConfig config, long nowMs) {
        LogSegment first = segments.get(0);
        long firstDirty = Math.max(Math.max(checkpoint, logStartOffset), first.baseOffset());
        long firstUncleanable = Math.min(segments.get(segments.size() - 1).baseOffset(), hwSegmentBase);
        long lagHorizon = nowMs - config.minCompactionLagMs();
        for (LogSegment segment : segments) {
            if (segment.baseOffset() >= firstUncleanable) {
                break;
            }
            if (config.minCompactionLagMs() > 0 && segment.baseOffset() >= floorBase(segments, firstDirty)
                    && segment.maxTimestampSoFar() > lagHorizon) {
                firstUncleanable = segment.baseOffset();
                break;
            }
        }
        long dirtyFloor = floorBase(segments, firstDirty);
        long clean = 0;
        long dirty = 0;
        boolean maxLagExceeded = false;
        for (LogSegment segment : segments) {
            if (segment.baseOffset() >= firstUncleanable) {
                break;
            }
            if (segment.baseOffset() < dirtyFloor) {
                clean += segment.size();
            } else {
                dirty += segment.size();
                if (!maxLagExceeded && config.maxCompactionLagMs() != Long.MAX_VALUE && segment.size() > 0) {
                    long earliest = earliestTimestamp(segment);
                    maxLagExceeded = earliest != RecordBatch.NO_TIMESTAMP
                            && nowMs - earliest > config.maxCompactionLagMs();
                }
            }
        }
        return new CleanableRange(firstDirty, firstUncleanable, clean, dirty, maxLagExceeded);
    }

    /** Base offset of the segment holding {@code offset}. */
    private static long floorBase(List<LogSegment> segments, long offset) {
        long base = segments.get(0).baseOffset();
        for (LogSegment segment : segments) {
            if (segment.baseOffset() > offset) {
                break;
            }
            base = segment.baseOffset();
        }
        return base;
    }

    private static long earliestTimestamp(LogSegment segment) {
        for (RecordBatch batch : segment.records().batches()) {
            return batch.maxTimestamp();
        }
        return RecordBatch.NO_TIMESTAMP;
    }
}
