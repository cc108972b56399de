package io.brook.storage;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides which of a log's oldest segments retention deletes, with Kafka's rules ({@code UnifiedLog.deleteOldSegments}):
 *
 * <ul>
 * <li>segments are taken from the oldest on and the scan stops at the first one that must stay;</li>
 * <li>a segment goes only when every offset in it is below the high watermark (the log start offset must never pass
 * it), and an empty active segment never goes;</li>
 * <li>{@link Reason#TIME}: its largest timestamp is more than {@code retention.ms} old;</li>
 * <li>{@link Reason#SIZE}: the log would still be at least {@code retention.bytes} without it;</li>
 * <li>{@link Reason#LOG_START}: the next segment starts at or below the log start offset (DeleteRecords moved it).</li>
 * </ul>
 *
 * <p>The active segment may be chosen: the caller then rolls first, so it is no longer active when deleted. Stateless
 * and free of I/O; the caller holds the log's lock so the segments do not change under it.
 */
final class SegmentRetention {

    enum Reason {
        TIME("retention.ms"), SIZE("retention.bytes"), LOG_START("log start offset");

        private final String description;

        Reason(String description) {
            this.description = description;
        }

        @Override
        public String toString() {
            return description;
        }
    }

    private SegmentRetention() {
    }

    /**
     * @param segments the log's segments, oldest first (the last is the active one)
     * @return the leading segments to delete, oldest first
     */
    static List<LogSegment> deletable(Reason reason, List<LogSegment> segments, LogConfig config, long nowMs,
            long logStartOffset, long highWatermark, long logEndOffset) {
        List<LogSegment> deletable = new ArrayList<>();
        long excessBytes = 0;
        if (reason == Reason.SIZE) {
            if (config.retentionBytes() < 0) {
                return deletable;
            }
            long size = 0;
            for (LogSegment segment : segments) {
                size += segment.size();
            }
            excessBytes = size - config.retentionBytes();
            if (excessBytes <= 0) {
                return deletable;
            }
        }
        if (reason == Reason.TIME && config.retentionMs() < 0) {
            return deletable;
        }
        for (int i = 0; i < segments.size(); i++) {
            LogSegment segment = segments.get(i);
            LogSegment next = i + 1 < segments.size() ? segments.get(i + 1) : null;
            long upperBound = next != null ? next.baseOffset() : logEndOffset;
            boolean lastAndEmpty = next == null && segment.size() == 0;
            if (lastAndEmpty || highWatermark < upperBound) {
                break;
            }
            boolean expired = switch (reason) {
                case TIME -> nowMs - segment.largestTimestamp() > config.retentionMs();
                case SIZE -> excessBytes - segment.size() >= 0;
                case LOG_START -> next != null && next.baseOffset() <= logStartOffset;
            };
            if (!expired) {
                break;
            }
            excessBytes -= segment.size();
            deletable.add(segment);
        }
        return deletable;
    }
}
