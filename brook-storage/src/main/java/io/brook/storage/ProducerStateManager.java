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
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32C;

import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.TransactionCoordinatorFencedException;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.Record;
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
 * <li>transactions (Kafka's transactional producer state): a transactional batch opens the producer's transaction at
 * its first offset unless one is open; a non-transactional batch while one is open is {@code InvalidTxnStateException};
 * an end-transaction marker closes it (an epoch below the producer's is {@code InvalidProducerEpochException}, a
 * coordinator epoch below the last marker's is {@code TransactionCoordinatorFencedException}).</li>
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
 * entry:  producerId int64 | epoch int16 | coordinatorEpoch int32 | txnFirstOffset int64 (-1: none) | n int8 | n x (firstSeq int32, lastSeq int32, firstOffset int64,
 *                                                          lastOffset int64, timestamp int64)
 * </pre>
 *
 * Version 1 files (before transactions: no coordinator epoch, no transaction offset) are still read. Ongoing
 * transactions are in the snapshot, so a restart knows them without reading the log from its start; completed
 * transactions whose marker was not yet below the high watermark are not, which after a restart can only make the
 * last stable offset rise early to the high watermark, as in Kafka.
 *
 * <p>Not thread-safe: used under the owning log's lock.
 */
final class ProducerStateManager {

    private static final Logger LOG = LoggerFactory.getLogger(ProducerStateManager.class);

    static final String SNAPSHOT_SUFFIX = ".snapshot";
    private static final short SNAPSHOT_VERSION_IDEMPOTENT = 1;
    private static final short SNAPSHOT_VERSION = 2;
    private static final int BATCH_METADATA_BYTES = 4 + 4 + 8 + 8 + 8;
    /** How many snapshots to keep: the newest covers clean restarts, older ones survive a torn newest file. */
    private static final int SNAPSHOTS_RETAINED = 3;

    private final Map<Long, ProducerStateEntry> producers = new HashMap<>();
    /** Open transactions: first offset to producer id. */
    private final TreeMap<Long, Long> ongoing = new TreeMap<>();
    /** Completed transactions, by first offset, whose marker the high watermark has not passed yet. */
    private final TreeMap<Long, CompletedTxn> unreplicated = new TreeMap<>();
    /** Verifications started and not yet followed by a transactional append of their producer. */
    private final Map<Long, Verification> verifications = new HashMap<>();

    /** A started verification: its guard, the producer epoch it was for, and whether the producer bumps epochs (v2). */
    private record Verification(VerificationGuard guard, short epoch, boolean epochBump) {
    }

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
        return new Update(true, null);
    }

    /** A leader's update whose transactional batches must match {@code guard} when they open a transaction. */
    Update begin(VerificationGuard guard) {
        return new Update(true, guard);
    }

    /**
     * {@link VerificationGuard#SENTINEL} if the producer has a transaction open at {@code epoch}, else its pending
     * verification's guard, created if there is none.
     */
    VerificationGuard startVerification(long producerId, short epoch, boolean epochBump) {
        ProducerStateEntry entry = producers.get(producerId);
        if (entry != null && entry.producerEpoch() == epoch && entry.hasOngoingTxn()) {
            return VerificationGuard.SENTINEL;
        }
        Verification started = verifications.get(producerId);
        VerificationGuard guard = started == null ? VerificationGuard.create() : started.guard();
        short newest = started == null ? epoch : (short) Math.max(epoch, started.epoch());
        verifications.put(producerId, new Verification(guard, newest, epochBump));
        return guard;
    }

    /** A transaction a marker ended: its producer, first data offset (the marker's own when it had none) and marker. */
    record CompletedTxn(long producerId, long firstOffset, long lastOffset, boolean aborted) {
    }

    /**
     * Tentative changes made by one append. A leader's update ({@link #begin}) validates epochs, sequences,
     * transactional state and coordinator epochs; a replayed one (followers, recovery) trusts the log.
     */
    final class Update {
        private final boolean validate;
        /** The guard the append presents; null: transactional batches are not checked against one. */
        private final VerificationGuard presentedGuard;
        private final Map<Long, ProducerStateEntry> pending = new HashMap<>();
        private final List<CompletedTxn> completed = new ArrayList<>();
        /** Producers whose started verification this update ends. */
        private final Set<Long> verificationsEnded = new HashSet<>();

        private Update(boolean validate, VerificationGuard presentedGuard) {
            this.validate = validate;
            this.presentedGuard = presentedGuard;
        }

        /** Validates the batch against the state and earlier batches of the same append, then records it. */
        void append(RecordBatch batch, long firstOffset, long lastOffset) {
            ProducerStateEntry committed = producers.get(batch.producerId());
            ProducerStateEntry entry = pending.computeIfAbsent(batch.producerId(),
                    id -> committed == null ? ProducerStateEntry.empty(id) : committed.copy());
            short epoch = batch.producerEpoch();
            if (validate) {
                checkEpoch(entry, epoch);
            }
            if (batch.isControlBatch()) {
                if (endsVerification(batch)) {
                    verificationsEnded.add(batch.producerId());
                }
                appendMarker(entry, batch, lastOffset);
                return;
            }
            if (validate) {
                checkVerified(entry, batch);
                checkSequence(entry, committed, batch);
                checkTransactional(entry, batch, firstOffset);
            }
            if (batch.isTransactional()) {
                verificationsEnded.add(batch.producerId());
            }
            entry.bumpEpoch(epoch);
            if (batch.isTransactional() && !entry.hasOngoingTxn()) {
                entry.currentTxnFirstOffset(firstOffset);
            }
            entry.addBatch(new BatchMetadata(batch.baseSequence(), batch.lastSequence(), firstOffset, lastOffset,
                    batch.maxTimestamp()));
        }

        private void appendMarker(ProducerStateEntry entry, RecordBatch batch, long markerOffset) {
            Optional<EndTransactionMarker> marker = readMarker(batch);
            if (marker.isEmpty()) {
                // a control batch of another kind (none is written to partitions today): only the epoch counts
                entry.bumpEpoch(batch.producerEpoch());
                return;
            }
            int coordinatorEpoch = marker.get().coordinatorEpoch();
            if (validate && entry.coordinatorEpoch() > coordinatorEpoch) {
                throw new TransactionCoordinatorFencedException("Invalid coordinator epoch for producer "
                        + entry.producerId() + ": " + coordinatorEpoch + " (zombie), " + entry.coordinatorEpoch()
                        + " (current)");
            }
            long first = entry.hasOngoingTxn() ? entry.currentTxnFirstOffset() : markerOffset;
            completed.add(new CompletedTxn(entry.producerId(), first, markerOffset,
                    marker.get().controlType() == ControlRecordType.ABORT));
            entry.bumpEpoch(batch.producerEpoch());
            entry.coordinatorEpoch(coordinatorEpoch);
            entry.currentTxnFirstOffset(-1);
        }

        /**
         * A transactional batch that opens a transaction must present the guard of its producer's verification: a
         * marker (or any other append of the producer) since the verification removed it.
         */
        private void checkVerified(ProducerStateEntry entry, RecordBatch batch) {
            if (presentedGuard == null || !batch.isTransactional()
                    || (entry.hasOngoingTxn() && entry.producerEpoch() == batch.producerEpoch())) {
                return;
            }
            Verification started = verificationsEnded.contains(batch.producerId())
                    ? null
                    : verifications.get(batch.producerId());
            if (started == null || !started.guard().verify(presentedGuard)) {
                throw new InvalidTxnStateException("Record from producer " + batch.producerId() + " at epoch "
                        + batch.producerEpoch() + " was not part of an ongoing transaction");
            }
        }

        /**
         * Whether a transactional append ends the producer's started verification: its data opened (or continued) the
         * transaction, or its marker ended the transaction that was verified. Not a transaction version 2 marker at
         * the verification's epoch: that is the previous transaction's marker (it carries the bumped epoch) and the
         * verification is for the next one, as in Kafka.
         */
        private boolean endsVerification(RecordBatch batch) {
            Verification started = verifications.get(batch.producerId());
            return started == null || !(batch.isControlBatch() && started.epochBump()
                    && batch.producerEpoch() == started.epoch());
        }

        /** The transactions the markers of this update ended, in log order. */
        List<CompletedTxn> completedTxns() {
            return completed;
        }

        void commit() {
            for (ProducerStateEntry entry : pending.values()) {
                ProducerStateEntry before = producers.put(entry.producerId(), entry);
                long oldFirst = before == null ? -1 : before.currentTxnFirstOffset();
                if (oldFirst != entry.currentTxnFirstOffset()) {
                    if (oldFirst >= 0) {
                        ongoing.remove(oldFirst);
                    }
                    if (entry.hasOngoingTxn()) {
                        ongoing.put(entry.currentTxnFirstOffset(), entry.producerId());
                    }
                }
            }
            for (CompletedTxn txn : completed) {
                unreplicated.put(txn.firstOffset(), txn);
            }
            verificationsEnded.forEach(verifications::remove);
        }
    }

    /** The end-transaction marker a control batch carries, if it is one. */
    static Optional<EndTransactionMarker> readMarker(RecordBatch batch) {
        Iterator<Record> records = batch.iterator();
        if (!records.hasNext()) {
            return Optional.empty();
        }
        Record record = records.next();
        ControlRecordType type = ControlRecordType.parse(record.key());
        if (type != ControlRecordType.COMMIT && type != ControlRecordType.ABORT) {
            return Optional.empty();
        }
        return Optional.of(EndTransactionMarker.deserialize(record));
    }

    private static void checkTransactional(ProducerStateEntry entry, RecordBatch batch, long firstOffset) {
        if (!batch.isTransactional() && entry.hasOngoingTxn()) {
            throw new InvalidTxnStateException("Expected transactional write from producer " + entry.producerId()
                    + " at offset " + firstOffset + ": its transaction started at offset "
                    + entry.currentTxnFirstOffset() + " is still open");
        }
    }

    // ---- transactions and the last stable offset ----

    /**
     * The first offset of the earliest transaction that is still open, or complete but with its marker not yet below
     * the high watermark ({@link #onHighWatermark}); -1 when every transaction is stable. The last stable offset is
     * this capped by the high watermark.
     */
    long firstUnstableOffset() {
        long first = ongoing.isEmpty() ? Long.MAX_VALUE : ongoing.firstKey();
        if (!unreplicated.isEmpty()) {
            first = Math.min(first, unreplicated.firstKey());
        }
        return first == Long.MAX_VALUE ? -1 : first;
    }

    /** Completed transactions whose marker is below {@code highWatermark} no longer hold the LSO back. */
    void onHighWatermark(long highWatermark) {
        unreplicated.values().removeIf(txn -> txn.lastOffset() < highWatermark);
    }

    /**
     * The LSO recorded with an aborted transaction in the index (Kafka's meaning): the first offset of the earliest
     * transaction still open once it completed, or the offset after its marker. Call after {@link Update#commit}.
     */
    long lastStableOffsetAfter(CompletedTxn txn) {
        return ongoing.isEmpty() ? txn.lastOffset() + 1 : Math.min(ongoing.firstKey(), txn.lastOffset() + 1);
    }

    /** Ongoing transactions by first offset (tests and diagnostics). */
    Map<Long, Long> ongoingTransactions() {
        return Map.copyOf(ongoing);
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

    /**
     * Applies a batch read back from the log (recovery) or replicated from the leader: no validation, the log is the
     * truth. Returns the transaction its marker ended, if it is a marker.
     */
    Optional<CompletedTxn> replay(RecordBatch batch) {
        if (!batch.hasProducerId()) {
            return Optional.empty();
        }
        ProducerStateEntry known = producers.get(batch.producerId());
        if (known != null && batch.producerEpoch() < known.producerEpoch()) {
            return Optional.empty();
        }
        Update update = new Update(false, null);
        update.append(batch, batch.baseOffset(), batch.lastOffset());
        update.commit();
        return update.completedTxns().stream().findFirst();
    }

    void clear() {
        verifications.clear();
        producers.clear();
        ongoing.clear();
        unreplicated.clear();
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
        producers.values().removeIf(entry -> entry.lastDataOffset() < logStartOffset && !entry.hasOngoingTxn());
        unreplicated.values().removeIf(txn -> txn.lastOffset() < logStartOffset);
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
                + producers.size()
                        * (8 + 2 + 4 + 8 + 1 + BATCH_METADATA_BYTES * ProducerStateEntry.NUM_BATCHES_TO_RETAIN);
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.putShort(SNAPSHOT_VERSION);
        buffer.putInt(0);
        buffer.putInt(producers.size());
        for (ProducerStateEntry entry : producers.values()) {
            buffer.putLong(entry.producerId());
            buffer.putShort(entry.producerEpoch());
            buffer.putInt(entry.coordinatorEpoch());
            buffer.putLong(entry.currentTxnFirstOffset());
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
        if (version != SNAPSHOT_VERSION && version != SNAPSHOT_VERSION_IDEMPOTENT) {
            throw new CorruptRecordException("unknown snapshot version " + version);
        }
        int storedCrc = buffer.getInt();
        if (storedCrc != crc(buffer, 6)) {
            throw new CorruptRecordException("snapshot CRC mismatch");
        }
        int count = buffer.getInt();
        clear();
        for (int i = 0; i < count; i++) {
            ProducerStateEntry entry = new ProducerStateEntry(buffer.getLong(), buffer.getShort());
            if (version == SNAPSHOT_VERSION) {
                entry.coordinatorEpoch(buffer.getInt());
                entry.currentTxnFirstOffset(buffer.getLong());
            }
            int batches = buffer.get();
            for (int b = 0; b < batches; b++) {
                entry.addBatch(new BatchMetadata(buffer.getInt(), buffer.getInt(), buffer.getLong(), buffer.getLong(),
                        buffer.getLong()));
            }
            producers.put(entry.producerId(), entry);
            if (entry.hasOngoingTxn()) {
                ongoing.put(entry.currentTxnFirstOffset(), entry.producerId());
            }
        }
    }
}
