package io.brook.storage;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32C;

import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.storage.ProducerStateEntry.BatchMetadata;

/**
 * Idempotent-producer state of one partition, with Kafka's rules ({@code ProducerAppendInfo}):
 * <ul>
 * <li>a batch with the same epoch and sequence range as one of the producer's last 5 is a duplicate;</li>
 * <li>an epoch below the known one is fenced: {@code InvalidProducerEpochException};</li>
 * <li>a new epoch must start at sequence 0, unless the producer is unknown (its state may have been removed), in which
 * case any sequence is accepted;</li>
 * <li>within an epoch the first sequence must follow the last one (wrapping after {@code Integer.MAX_VALUE}), else
 * {@code OutOfOrderSequenceException}.</li>
 * </ul>
 * Validation works on copies ({@link Update}) that are committed only once the batches are in the log, so a rejected
 * or failed append leaves the state untouched.
 *
 * <p>Snapshots, named {@code %020d.snapshot} after the log end offset they describe:
 *
 * <pre>
 * +----------------+----------------+---------------+--------------------------------------------------------+
 * | version int16  | crc32c int32   | count int32   | entries ...      (crc covers everything after itself)  |
 * +----------------+----------------+---------------+--------------------------------------------------------+
 * entry:  producerId int64 | epoch int16 | n int8 | n x (firstSeq int32, lastSeq int32, firstOffset int64,
 *                                                          lastOffset int64, timestamp int64)
 * </pre>
 *
 * <p>Not thread-safe: used under the owning log's lock.
 */
final class ProducerStateManager {

    private static final Logger LOG = LoggerFactory.getLogger(ProducerStateManager.class);

    static final String SNAPSHOT_SUFFIX = ".snapshot";
    private static final short SNAPSHOT_VERSION = 1;
    private static final int BATCH_METADATA_BYTES = 4 + 4 + 8 + 8 + 8;
    /** How many snapshots to keep: the newest covers clean restarts, older ones survive a torn newest file. */
    private static final int SNAPSHOTS_RETAINED = 3;

    private final Map<Long, ProducerStateEntry> producers = new HashMap<>();

    Optional<ProducerStateEntry> entry(long producerId) {
        return Optional.ofNullable(producers.get(producerId));
    }

    int size() {
        return producers.size();
    }

    /** The original append of a retried batch, if this batch is one. */
    Optional<BatchMetadata> findDuplicate(RecordBatch batch) {
        ProducerStateEntry entry = producers.get(batch.producerId());
        return entry == null ? Optional.empty() : entry.findDuplicate(batch);
    }

    Update begin() {
        return new Update();
    }

    /** Tentative changes made by one append. */
    final class Update {
        private final Map<Long, ProducerStateEntry> pending = new HashMap<>();

        /** Validates the batch against the state and earlier batches of the same append, then records it. */
        void append(RecordBatch batch, long firstOffset, long lastOffset) {
            ProducerStateEntry committed = producers.get(batch.producerId());
            ProducerStateEntry entry = pending.computeIfAbsent(batch.producerId(),
                    id -> committed == null ? ProducerStateEntry.empty(id) : committed.copy());
            short epoch = batch.producerEpoch();
            checkEpoch(entry, epoch);
            if (batch.isControlBatch()) {
                entry.bumpEpoch(epoch);
                return;
            }
            checkSequence(entry, committed, batch);
            entry.bumpEpoch(epoch);
            entry.addBatch(new BatchMetadata(batch.baseSequence(), batch.lastSequence(), firstOffset, lastOffset,
                    batch.maxTimestamp()));
        }

        void commit() {
            producers.putAll(pending);
        }
    }

    private static void checkEpoch(ProducerStateEntry entry, short epoch) {
        if (entry.producerEpoch() != RecordBatch.NO_PRODUCER_EPOCH && epoch < entry.producerEpoch()) {
            throw new InvalidProducerEpochException("Epoch of producer " + entry.producerId() + " is " + epoch
                    + ", which is smaller than the last seen epoch " + entry.producerEpoch());
        }
    }

    private static void checkSequence(ProducerStateEntry entry, ProducerStateEntry committed, RecordBatch batch) {
        int firstSeq = batch.baseSequence();
        if (batch.producerEpoch() != entry.producerEpoch()) {
            if (firstSeq != 0 && entry.producerEpoch() != RecordBatch.NO_PRODUCER_EPOCH) {
                throw new OutOfOrderSequenceException("Invalid sequence number for new epoch of producer "
                        + entry.producerId() + ": " + batch.producerEpoch() + " (request epoch), " + firstSeq
                        + " (seq. number), " + entry.producerEpoch() + " (current producer epoch)");
            }
            return;
        }
        boolean unknownProducer = committed == null || committed.producerEpoch() == RecordBatch.NO_PRODUCER_EPOCH;
        if (!unknownProducer && !inSequence(entry.lastSeq(), firstSeq)) {
            throw new OutOfOrderSequenceException("Out of order sequence number for producer " + entry.producerId()
                    + " at epoch " + entry.producerEpoch() + ": " + firstSeq + " (incoming seq. number), "
                    + entry.lastSeq() + " (current end sequence number)");
        }
    }

    static boolean inSequence(int lastSeq, int nextSeq) {
        return nextSeq == lastSeq + 1L || (nextSeq == 0 && lastSeq == Integer.MAX_VALUE);
    }

    /** Applies a batch read back from the log during recovery: no validation, the log is the truth. */
    void replay(RecordBatch batch) {
        if (!batch.hasProducerId()) {
            return;
        }
        ProducerStateEntry entry = producers.computeIfAbsent(batch.producerId(), ProducerStateEntry::empty);
        if (batch.producerEpoch() < entry.producerEpoch()) {
            return;
        }
        entry.bumpEpoch(batch.producerEpoch());
        if (!batch.isControlBatch()) {
            entry.addBatch(new BatchMetadata(batch.baseSequence(), batch.lastSequence(), batch.baseOffset(),
                    batch.lastOffset(), batch.maxTimestamp()));
        }
    }

    void clear() {
        producers.clear();
    }

    /** Each known producer's last data offset: the cleaner keeps the batch ending there (its sequence state). */
    Map<Long, Long> lastDataOffsets() {
        Map<Long, Long> offsets = new HashMap<>();
        for (ProducerStateEntry entry : producers.values()) {
            if (entry.lastDataOffset() >= 0) {
                offsets.put(entry.producerId(), entry.lastDataOffset());
            }
        }
        return offsets;
    }

    /**
     * The log start offset moved to {@code logStartOffset}: forgets producers whose last batch is gone (as Kafka does,
     * a later write of theirs is then treated as from an unknown producer) and deletes snapshots below it.
     */
    void truncateHead(File dir, long logStartOffset) throws IOException {
        producers.values().removeIf(entry -> entry.lastDataOffset() < logStartOffset);
        for (File stale : listSnapshots(dir).headMap(logStartOffset, false).values()) {
            Files.deleteIfExists(stale.toPath());
        }
    }

    // ---- snapshots ----

    static File snapshotFile(File dir, long offset) {
        return new File(dir, LogSegment.fileName(offset, SNAPSHOT_SUFFIX));
    }

    /** True with no producers and no snapshot file in {@code dir}. */
    boolean isEmptyWithoutSnapshots(File dir) {
        return producers.isEmpty() && listSnapshots(dir).isEmpty();
    }

    /** Writes the state as of {@code offset} atomically (temp file, fsync, rename) and prunes old snapshots. */
    void writeSnapshot(File dir, long offset) throws IOException {
        int size = 2 + 4 + 4
                + producers.size() * (8 + 2 + 1 + BATCH_METADATA_BYTES * ProducerStateEntry.NUM_BATCHES_TO_RETAIN);
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.putShort(SNAPSHOT_VERSION);
        buffer.putInt(0);
        buffer.putInt(producers.size());
        for (ProducerStateEntry entry : producers.values()) {
            buffer.putLong(entry.producerId());
            buffer.putShort(entry.producerEpoch());
            int countPosition = buffer.position();
            buffer.put((byte) 0);
            byte count = 0;
            for (BatchMetadata batch : entry.batches()) {
                buffer.putInt(batch.firstSeq()).putInt(batch.lastSeq()).putLong(batch.firstOffset())
                        .putLong(batch.lastOffset()).putLong(batch.timestamp());
                count++;
            }
            buffer.put(countPosition, count);
        }
        buffer.flip();
        buffer.putInt(2, crc(buffer, 6));
        File target = snapshotFile(dir, offset);
        Path temp = new File(dir, target.getName() + ".tmp").toPath();
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            Utils.writeFully(channel, buffer);
            channel.force(true);
        }
        Utils.atomicMoveWithFallback(temp, target.toPath());
        List<Long> offsets = new ArrayList<>(listSnapshots(dir).keySet());
        for (int i = 0; i < offsets.size() - SNAPSHOTS_RETAINED; i++) {
            Files.deleteIfExists(snapshotFile(dir, offsets.get(i)).toPath());
        }
    }

    private static int crc(ByteBuffer buffer, int from) {
        CRC32C crc = new CRC32C();
        ByteBuffer slice = buffer.duplicate();
        slice.position(from);
        crc.update(slice);
        return (int) crc.getValue();
    }

    /** Snapshot files in {@code dir} by offset. */
    static TreeMap<Long, File> listSnapshots(File dir) {
        TreeMap<Long, File> snapshots = new TreeMap<>();
        File[] files = dir.listFiles((d, name) -> name.endsWith(SNAPSHOT_SUFFIX));
        if (files != null) {
            for (File file : files) {
                String name = file.getName();
                try {
                    snapshots.put(Long.parseLong(name.substring(0, name.length() - SNAPSHOT_SUFFIX.length())), file);
                } catch (NumberFormatException e) {
                    LOG.warn("Ignoring unexpected snapshot file {}", file);
                }
            }
        }
        return snapshots;
    }

    /** Deletes every snapshot (the log was emptied). */
    static void deleteSnapshots(File dir) throws IOException {
        for (File snapshot : listSnapshots(dir).values()) {
            Files.deleteIfExists(snapshot.toPath());
        }
    }

    /**
     * Loads the newest valid snapshot at or below {@code maxOffset}, deleting snapshots above it. Returns the offset
     * the state describes (replay from there), or the {@code fallbackOffset} with empty state when none is usable.
     */
    long loadLatestSnapshot(File dir, long maxOffset, long fallbackOffset) throws IOException {
        TreeMap<Long, File> snapshots = listSnapshots(dir);
        for (File stale : snapshots.tailMap(maxOffset, false).values()) {
            Files.deleteIfExists(stale.toPath());
        }
        for (Map.Entry<Long, File> snapshot : snapshots.headMap(maxOffset, true).descendingMap().entrySet()) {
            try {
                readSnapshot(snapshot.getValue());
                return snapshot.getKey();
            } catch (IOException | RuntimeException e) {
                LOG.warn("Ignoring unreadable producer snapshot {}: {}", snapshot.getValue(), e.toString());
                producers.clear();
            }
        }
        return fallbackOffset;
    }

    private void readSnapshot(File file) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file.toPath()));
        short version = buffer.getShort();
        if (version != SNAPSHOT_VERSION) {
            throw new CorruptRecordException("unknown snapshot version " + version);
        }
        int storedCrc = buffer.getInt();
        if (storedCrc != crc(buffer, 6)) {
            throw new CorruptRecordException("snapshot CRC mismatch");
        }
        int count = buffer.getInt();
        producers.clear();
        for (int i = 0; i < count; i++) {
            ProducerStateEntry entry = new ProducerStateEntry(buffer.getLong(), buffer.getShort());
            int batches = buffer.get();
            for (int b = 0; b < batches; b++) {
                entry.addBatch(new BatchMetadata(buffer.getInt(), buffer.getInt(), buffer.getLong(), buffer.getLong(),
                        buffer.getLong()));
            }
            producers.put(entry.producerId(), entry);
        }
    }
}
