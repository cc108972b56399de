package io.brook.storage;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The aborted transactions whose abort marker lies in one segment, in marker order: {@code <base>.txnindex}, in
 * Kafka's format, so tools that read Kafka's files read it too.
 *
 * <pre>
 * +---------------+------------------+------------------+-----------------+------------------------+
 * | version int16 | producerId int64 | firstOffset int64| lastOffset int64| lastStableOffset int64 |  x n, 34 bytes each
 * +---------------+------------------+------------------+-----------------+------------------------+
 * </pre>
 *
 * The file is created with the first entry (most segments have none). Entries are also kept in memory (aborts are
 * rare; a segment's few entries are cheaper to keep than to re-read at every read_committed fetch). A trailing partial
 * entry (a crash mid-write) is dropped on open; the loader rebuilds the entries of every segment it replays.
 *
 * <p>Thread-safety: writes happen under the owning log's lock; {@link #collect} may run concurrently on any thread
 * (the entry list is copy-on-write).
 */
final class TransactionIndex {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionIndex.class);

    static final String SUFFIX = ".txnindex";
    static final int ENTRY_SIZE = 2 + 8 + 8 + 8 + 8;
    private static final short VERSION = 0;

    private final List<AbortedTxn> entries = new CopyOnWriteArrayList<>();
    private volatile File file;
    private FileChannel channel;

    private TransactionIndex(File file) {
        this.file = file;
    }

    static File file(File dir, long baseOffset) {
        return new File(dir, LogSegment.fileName(baseOffset, SUFFIX));
    }

    /** Opens the index file if it exists, else an empty index that creates its file on the first append. */
    static TransactionIndex open(File file) throws IOException {
        TransactionIndex index = new TransactionIndex(file);
        if (file.exists()) {
            index.load();
        }
        return index;
    }

    private void load() throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file.toPath()));
        int valid = 0;
        while (buffer.remaining() >= ENTRY_SIZE) {
            short version = buffer.getShort();
            if (version != VERSION) {
                throw new CorruptRecordException("unknown transaction index entry version " + version + " in " + file);
            }
            entries.add(new AbortedTxn(buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong()));
            valid += ENTRY_SIZE;
        }
        if (buffer.hasRemaining()) {
            LOG.warn("Dropping {} trailing bytes of {}", buffer.remaining(), file);
            channel().truncate(valid);
        }
    }

    File file() {
        return file;
    }

    List<AbortedTxn> entries() {
        return List.copyOf(entries);
    }

    private FileChannel channel() throws IOException {
        if (channel == null) {
            channel = FileChannel.open(file.toPath(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            channel.position(channel.size());
        }
        return channel;
    }

    void append(AbortedTxn txn) throws IOException {
        if (!entries.isEmpty() && entries.get(entries.size() - 1).lastOffset() >= txn.lastOffset()) {
            throw new IllegalStateException("Aborted transaction ending at " + txn.lastOffset() + " appended to "
                    + file + " after one ending at " + entries.get(entries.size() - 1).lastOffset());
        }
        ByteBuffer buffer = ByteBuffer.allocate(ENTRY_SIZE);
        buffer.putShort(VERSION).putLong(txn.producerId()).putLong(txn.firstOffset()).putLong(txn.lastOffset())
                .putLong(txn.lastStableOffset()).flip();
        FileChannel ch = channel();
        ch.position(ch.size());
        Utils.writeFully(ch, buffer);
        entries.add(txn);
    }

    /**
     * Adds to {@code out} the transactions overlapping {@code [fetchOffset, upperBoundOffset)}: marker at or after
     * the fetch offset, first record before the bound. Returns true when an entry's LSO reaches the bound, so no later
     * segment can hold a transaction that started before it (Kafka's stop condition).
     */
    boolean collect(long fetchOffset, long upperBoundOffset, List<AbortedTxn> out) {
        for (AbortedTxn txn : entries) {
            if (txn.lastOffset() >= fetchOffset && txn.firstOffset() < upperBoundOffset) {
                out.add(txn);
            }
            if (txn.lastStableOffset() >= upperBoundOffset) {
                return true;
            }
        }
        return false;
    }

    /** Removes the entries whose marker is at or after {@code offset}. */
    void truncateTo(long offset) throws IOException {
        int keep = 0;
        while (keep < entries.size() && entries.get(keep).lastOffset() < offset) {
            keep++;
        }
        if (keep == entries.size()) {
            return;
        }
        List<AbortedTxn> kept = List.copyOf(entries.subList(0, keep));
        entries.clear();
        entries.addAll(kept);
        if (file.exists()) {
            channel().truncate((long) keep * ENTRY_SIZE);
        }
    }

    void flush() throws IOException {
        if (channel != null) {
            channel.force(true);
        }
    }

    void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    void renameTo(File target) throws IOException {
        if (file.exists()) {
            Utils.atomicMoveWithFallback(file.toPath(), target.toPath(), false);
        }
        file = target;
    }

    void deleteIfExists() throws IOException {
        close();
        Files.deleteIfExists(file.toPath());
    }
}
