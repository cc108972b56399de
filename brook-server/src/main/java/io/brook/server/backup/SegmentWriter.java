package io.brook.server.backup;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Writes record batches, byte for byte, into segment files of one partition's backup directory, in Kafka's on-disk
 * format: a {@code .log} file is the concatenation of v2 batches, named by the first batch's base offset. A new file
 * starts with each writer (each run) and whenever the next batch would take the current one past
 * {@code segmentBytes} (a single larger batch gets a file of its own). Indexes are not written: restore appends the
 * batches through the log, which builds them.
 *
 * <p>Files are fsynced as they are completed; {@link #close()} returns only after the last one and the directory are
 * durable, so a manifest written afterwards never names a file that a crash could lose. Not thread-safe.
 */
public final class SegmentWriter implements Closeable {

    private final Path dir;
    private final long segmentBytes;
    private final List<BackupManifest.Segment> completed = new ArrayList<>();
    private FileChannel current;
    private String currentFile;
    private long currentBase;
    private long currentEnd;
    private long currentBytes;
    private long currentRecords;

    public SegmentWriter(Path dir, long segmentBytes) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.segmentBytes = segmentBytes;
    }

    /** Appends one batch; {@code bytes} holds exactly the batch (its position to its limit), left unchanged. */
    public void append(RecordBatch batch, ByteBuffer bytes) throws IOException {
        int size = bytes.remaining();
        if (current != null && currentBytes + size > segmentBytes) {
            completeCurrent();
        }
        if (current == null) {
            currentBase = batch.baseOffset();
            currentFile = BackupManifest.Segment.fileName(currentBase);
            // A file of this name is not in the manifest (offsets only grow): a leftover of an interrupted run.
            current = FileChannel.open(dir.resolve(currentFile), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            currentBytes = 0;
            currentRecords = 0;
        }
        ByteBuffer slice = bytes.duplicate();
        while (slice.hasRemaining()) {
            current.write(slice);
        }
        currentBytes += size;
        currentEnd = batch.lastOffset() + 1;
        Integer count = batch.countOrNull();
        currentRecords += count != null ? count : currentEnd - batch.baseOffset();
    }

    /** The segments written so far, completed ones and the current one. */
    public List<BackupManifest.Segment> segments() {
        List<BackupManifest.Segment> all = new ArrayList<>(completed);
        if (current != null) {
            all.add(currentSegment());
        }
        return all;
    }

    private BackupManifest.Segment currentSegment() {
        return new BackupManifest.Segment(currentFile, currentBase, currentEnd, currentBytes, currentRecords);
    }

    private void completeCurrent() throws IOException {
        current.force(true);
        current.close();
        completed.add(currentSegment());
        current = null;
    }

    /** Completes the current file and makes every file and the directory durable. */
    @Override
    public void close() throws IOException {
        if (current != null) {
            completeCurrent();
        }
        fsyncDirectory(dir);
    }

    /** Makes a directory's entries (new and renamed files) durable. */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
