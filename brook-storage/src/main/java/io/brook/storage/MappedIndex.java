package io.brook.storage;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;

import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.common.utils.internals.ByteBufferUnmapper;

/**
 * A memory-mapped file of fixed-size entries sorted by a key, searched by binary search. The active segment's index is
 * preallocated to {@code segment.index.bytes} and trimmed to its entries when the segment becomes inactive or is
 * closed, as Kafka does, so an index file left at its preallocated size means the broker did not shut down cleanly.
 *
 * <p>Thread-safety: every method is synchronized on the index. This matters because resizing unmaps the old buffer
 * and touching an unmapped buffer would crash the JVM; lookups are short so the monitor is cheap.
 */
abstract class MappedIndex implements Closeable {

    private final int entrySize;
    private final long baseOffset;
    private File file;
    /**
     * Null while a new index has no file yet: its file is created and mapped at the first access to the entries
     * ({@link #buffer}), or created empty at {@link #close}. A new log (a thousand of them for one CreateTopics) thus
     * costs no index file until records arrive, as Kafka's lazy indexes.
     */
    private MappedByteBuffer mmap;
    /** The capacity to map the file at when {@code mmap} is still null. */
    private int unmappedCapacity;
    private int entries;
    private int maxEntries;
    private boolean closed;

    MappedIndex(File file, long baseOffset, int sizeBytes, boolean preallocate, int entrySize) throws IOException {
        this.entrySize = entrySize;
        this.baseOffset = baseOffset;
        this.file = file;
        boolean existed = file.exists();
        if (!existed && preallocate) {
            this.unmappedCapacity = roundDown(sizeBytes);
            this.maxEntries = unmappedCapacity / entrySize;
            return;
        }
        try (RandomAccessFile raf = new RandomAccessFile(file, "rw")) {
            long length = raf.length();
            int validBytes = existed ? (int) (length - length % entrySize) : 0;
            int capacity = preallocate ? Math.max(roundDown(sizeBytes), validBytes) : validBytes;
            raf.setLength(capacity);
            this.mmap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, capacity);
            this.entries = existed ? validBytes / entrySize : 0;
            this.maxEntries = capacity / entrySize;
            this.mmap.position(entries * entrySize);
        }
    }

    final long baseOffset() {
        return baseOffset;
    }

    final synchronized File file() {
        return file;
    }

    /** Renames the file; the mapping stays valid (a segment awaiting deletion keeps serving reads in flight). */
    final synchronized void renameTo(File target) throws IOException {
        if (mmap != null || file.exists()) {
            Utils.atomicMoveWithFallback(file.toPath(), target.toPath(), false);
        }
        file = target;
    }

    final synchronized int entries() {
        return entries;
    }

    final synchronized boolean isFull() {
        return entries >= maxEntries;
    }

    final synchronized int sizeInBytes() {
        return entries * entrySize;
    }

    final synchronized boolean isClosed() {
        return closed;
    }

    /** The relative offset stored at an entry, checked against int overflow by the caller. */
    final int relativeOffset(long offset) {
        long relative = offset - baseOffset;
        if (relative < 0 || relative > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("offset " + offset + " does not fit an index based at " + baseOffset);
        }
        return (int) relative;
    }

    // --- entry access for subclasses (caller holds the monitor) ---

    /**
     * The mapped entries. Throws once the index is closed: a reader that found this segment just before a truncation
     * or deletion removed it gets a retriable error instead of touching an unmapped buffer (which would crash the JVM).
     */
    final MappedByteBuffer buffer() {
        if (closed) {
            throw new KafkaStorageException("index " + file + " is closed (its segment was removed)");
        }
        if (mmap == null) {
            try {
                map(unmappedCapacity);
            } catch (IOException e) {
                throw new KafkaStorageException("could not create index " + file, e);
            }
        }
        return mmap;
    }

    /** Sets the file to {@code capacity} bytes and maps it, keeping the entries held; the caller holds the monitor. */
    private void map(int capacity) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file, "rw")) {
            raf.setLength(capacity);
            mmap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, capacity);
            maxEntries = capacity / entrySize;
            mmap.position(entries * entrySize);
        }
    }

    final int entryPosition(int slot) {
        return slot * entrySize;
    }

    final void appended() {
        entries++;
    }

    /** Compares the key of {@code slot} with {@code target}: negative, zero or positive. */
    abstract int compareKey(int slot, long target);

    /** Slot of the last entry whose key is at or below {@code target}, or -1 when there is none. */
    final int largestSlotAtOrBelow(long target) {
        if (entries == 0 || compareKey(0, target) > 0) {
            return -1;
        }
        int lo = 0;
        int hi = entries - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (compareKey(mid, target) <= 0) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** Keeps the first {@code count} entries. */
    final synchronized void truncateToEntries(int count) {
        entries = Math.min(entries, count);
        if (mmap != null) {
            mmap.position(entries * entrySize);
        }
    }

    final synchronized void reset() {
        truncateToEntries(0);
    }

    /** Remaps the file at {@code sizeBytes} (rounded down to whole entries, never below the entries held). */
    final synchronized void resize(int sizeBytes) throws IOException {
        int capacity = Math.max(roundDown(sizeBytes), entries * entrySize);
        if (mmap == null) {
            // no file yet (and no entries): only the capacity it will be created at changes
            unmappedCapacity = capacity;
            maxEntries = capacity / entrySize;
            return;
        }
        if (capacity == mmap.capacity()) {
            return;
        }
        ByteBufferUnmapper.unmap(file.getAbsolutePath(), mmap);
        mmap = null;
        map(capacity);
    }

    /** Shrinks the file to exactly its entries (done when the segment stops being the active one). */
    final synchronized void trimToValidSize() throws IOException {
        if (mmap == null && !closed) {
            // never mapped, so no entries: the file is created empty, as a trimmed index is on disk
            try (RandomAccessFile raf = new RandomAccessFile(file, "rw")) {
                raf.setLength(0);
            }
        }
        resize(sizeInBytes());
    }

    final synchronized void flush() {
        if (!closed && mmap != null) {
            mmap.force();
        }
    }

    /** Trims (an index never mapped is created empty, so a clean restart finds it), flushes and unmaps. */
    @Override
    public final synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        trimToValidSize();
        if (mmap != null) {
            mmap.force();
        }
        closeHandler();
    }

    /** Unmaps without touching the file (used before deleting it). */
    final synchronized void closeHandler() throws IOException {
        if (!closed) {
            closed = true;
            if (mmap != null) {
                ByteBufferUnmapper.unmap(file.getAbsolutePath(), mmap);
            }
        }
    }

    final synchronized void deleteIfExists() throws IOException {
        closeHandler();
        Files.deleteIfExists(file.toPath());
    }

    private int roundDown(int bytes) {
        return bytes - bytes % entrySize;
    }
}
