package io.brook.storage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The segments of one partition ordered by base offset. Thread-safe: a concurrent navigable map, so readers find the
 * segment for an offset without the log's lock while the writer adds or removes segments.
 */
final class LogSegments {

    private final ConcurrentNavigableMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();

    void add(LogSegment segment) {
        segments.put(segment.baseOffset(), segment);
    }

    void remove(long baseOffset) {
        segments.remove(baseOffset);
    }

    boolean isEmpty() {
        return segments.isEmpty();
    }

    int size() {
        return segments.size();
    }

    LogSegment first() {
        Map.Entry<Long, LogSegment> entry = segments.firstEntry();
        return entry == null ? null : entry.getValue();
    }

    LogSegment last() {
        Map.Entry<Long, LogSegment> entry = segments.lastEntry();
        return entry == null ? null : entry.getValue();
    }

    /** The segment that would hold {@code offset}: the one with the greatest base offset at or below it. */
    LogSegment floor(long offset) {
        Map.Entry<Long, LogSegment> entry = segments.floorEntry(offset);
        return entry == null ? null : entry.getValue();
    }

    LogSegment higher(long baseOffset) {
        Map.Entry<Long, LogSegment> entry = segments.higherEntry(baseOffset);
        return entry == null ? null : entry.getValue();
    }

    /** Segments from the one holding {@code offset} (or the first) to the last. */
    List<LogSegment> from(long offset) {
        Long floor = segments.floorKey(offset);
        return new ArrayList<>(floor == null ? segments.values() : segments.tailMap(floor, true).values());
    }

    Collection<LogSegment> all() {
        return new ArrayList<>(segments.values());
    }
}
