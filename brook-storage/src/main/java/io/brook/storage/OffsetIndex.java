package io.brook.storage;

import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;

/**
 * Sparse map from offset to byte position in the segment's {@code .log}, in Kafka's {@code .index} format.
 *
 * <pre>
 * %020d.index  (file name = segment base offset)
 * +-----------------------------+----------------------------+
 * | relative offset (int32, BE) | file position (int32, BE)  |  entry 0   offset = base + relative
 * +-----------------------------+----------------------------+
 * | ...                         | ...                        |  entry n   (8 bytes each, offsets strictly increasing)
 * +-----------------------------+----------------------------+
 * | zero fill up to segment.index.bytes (active segment only)|
 * +----------------------------------------------------------+
 * </pre>
 *
 * An entry (o, p) says the batch whose last offset is o starts at position p; a lookup returns the position to start
 * scanning from, never past the batch holding the target.
 *
 * <p>Thread-safety: see {@link MappedIndex}.
 */
final class OffsetIndex extends MappedIndex {

    static final int ENTRY_SIZE = 8;

    OffsetIndex(File file, long baseOffset, int maxIndexBytes, boolean preallocate) throws IOException {
        super(file, baseOffset, maxIndexBytes, preallocate, ENTRY_SIZE);
    }

    @Override
    int compareKey(int slot, long target) {
        return Long.compare(baseOffset() + buffer().getInt(entryPosition(slot)), target);
    }

    synchronized void append(long offset, int position) {
        if (isFull()) {
            throw new IllegalStateException("offset index " + file() + " is full");
        }
        int entries = entries();
        if (entries > 0 && offset <= lastOffset()) {
            throw new IllegalStateException("offset " + offset + " not above the last indexed offset in " + file());
        }
        MappedByteBuffer buffer = buffer();
        buffer.putInt(relativeOffset(offset));
        buffer.putInt(position);
        appended();
    }

    /** Position to start a scan for {@code targetOffset}: the largest entry at or below it, else 0. */
    synchronized int lookup(long targetOffset) {
        int slot = largestSlotAtOrBelow(targetOffset);
        return slot < 0 ? 0 : buffer().getInt(entryPosition(slot) + 4);
    }

    /** Keeps only the entries for offsets below {@code offset} (the log is being truncated there). */
    synchronized void truncateTo(long offset) {
        truncateToEntries(largestSlotAtOrBelow(offset - 1) + 1);
    }

    /** The last indexed offset, or the base offset when empty. */
    synchronized long lastOffset() {
        int entries = entries();
        return entries == 0 ? baseOffset() : baseOffset() + buffer().getInt(entryPosition(entries - 1));
    }

    synchronized int lastPosition() {
        int entries = entries();
        return entries == 0 ? 0 : buffer().getInt(entryPosition(entries - 1) + 4);
    }

    /**
     * Checks the invariants a crash can break: offsets strictly increasing and not below the base, positions
     * increasing and within the log. Returns a description of the first violation, or null.
     */
    synchronized String sanityCheck(long logSizeBytes) {
        long fileLength = file().length();
        if (fileLength % ENTRY_SIZE != 0) {
            return "size " + fileLength + " is not a multiple of " + ENTRY_SIZE;
        }
        MappedByteBuffer buffer = buffer();
        long previousOffset = -1;
        long previousPosition = -1;
        for (int slot = 0; slot < entries(); slot++) {
            int relative = buffer.getInt(entryPosition(slot));
            int position = buffer.getInt(entryPosition(slot) + 4);
            if (relative < 0 || relative <= previousOffset || position < 0 || position <= previousPosition
                    && slot > 0 || position > logSizeBytes) {
                return "entry " + slot + " (" + relative + ", " + position + ") is out of order or beyond the log";
            }
            previousOffset = relative;
            previousPosition = position;
        }
        return null;
    }
}
