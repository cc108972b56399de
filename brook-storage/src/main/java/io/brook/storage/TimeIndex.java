package io.brook.storage;

import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;

/**
 * Sparse map from timestamp to offset, in Kafka's {@code .timeindex} format.
 *
 * <pre>
 * %020d.timeindex  (file name = segment base offset)
 * +-------------------------+-----------------------------+
 * | timestamp (int64, BE)   | relative offset (int32, BE) |  entry 0
 * +-------------------------+-----------------------------+
 * | ...                     | ...                         |  entry n   (12 bytes each)
 * +-------------------------+-----------------------------+
 * </pre>
 *
 * An entry (t, o) says t is the largest timestamp in the segment up to the batch ending at offset o, and that t was
 * first reached there; timestamps strictly increase from entry to entry. So records before o are all older than t,
 * and a search for timestamp T may start at the entry with the largest timestamp at or below T.
 *
 * <p>Thread-safety: see {@link MappedIndex}.
 */
final class TimeIndex extends MappedIndex {

    static final int ENTRY_SIZE = 12;

    TimeIndex(File file, long baseOffset, int maxIndexBytes, boolean preallocate) throws IOException {
        super(file, baseOffset, maxIndexBytes, preallocate, ENTRY_SIZE);
    }

    @Override
    int compareKey(int slot, long target) {
        return Long.compare(buffer().getLong(entryPosition(slot)), target);
    }

    /** Appends when {@code timestamp} is above the last entry's; a full index drops the entry (the log rolls). */
    synchronized void maybeAppend(long timestamp, long offset) {
        if (isFull()) {
            return;
        }
        int entries = entries();
        if (entries > 0 && timestamp <= lastTimestamp()) {
            return;
        }
        MappedByteBuffer buffer = buffer();
        buffer.putLong(timestamp);
        buffer.putInt(relativeOffset(offset));
        appended();
    }

    /** Offset to start a search for {@code timestamp}: the entry with the largest timestamp at or below it. */
    synchronized long lookup(long timestamp) {
        int slot = largestSlotAtOrBelow(timestamp);
        return slot < 0 ? baseOffset() : baseOffset() + buffer().getInt(entryPosition(slot) + 8);
    }

    /** Keeps only the entries pointing at offsets below {@code offset} (the log is being truncated there). */
    synchronized void truncateTo(long offset) {
        int keep = entries();
        while (keep > 0 && baseOffset() + buffer().getInt(entryPosition(keep - 1) + 8) >= offset) {
            keep--;
        }
        truncateToEntries(keep);
    }

    /** Last timestamp indexed, or -1. */
    synchronized long lastTimestamp() {
        int entries = entries();
        return entries == 0 ? -1L : buffer().getLong(entryPosition(entries - 1));
    }

    /** Returns a description of the first broken invariant, or null. */
    synchronized String sanityCheck(long nextOffset) {
        long fileLength = file().length();
        if (fileLength % ENTRY_SIZE != 0) {
            return "size " + fileLength + " is not a multiple of " + ENTRY_SIZE;
        }
        MappedByteBuffer buffer = buffer();
        long previousTimestamp = Long.MIN_VALUE;
        long previousOffset = -1;
        for (int slot = 0; slot < entries(); slot++) {
            long timestamp = buffer.getLong(entryPosition(slot));
            int relative = buffer.getInt(entryPosition(slot) + 8);
            if (timestamp <= previousTimestamp || relative < previousOffset || relative < 0
                    || baseOffset() + relative >= Math.max(nextOffset, baseOffset() + 1)) {
                return "entry " + slot + " (" + timestamp + ", " + relative + ") is out of order or beyond the log";
            }
            previousTimestamp = timestamp;
            previousOffset = relative;
        }
        return null;
    }
}
