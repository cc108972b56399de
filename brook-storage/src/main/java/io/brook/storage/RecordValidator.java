package io.brook.storage;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.AbstractRecords;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.CloseableIterator;

/**
 * The record-level half of a leader append's validation, after {@link BatchValidator} has checked the batch headers
 * (magic, CRC, sizes, offset range): walks every record, decompressing compressed batches, and
 * <ul>
 * <li>checks the record offset deltas are 0..count-1 and that the header's count is the number of records
 * (InvalidRecordException);</li>
 * <li>applies the topic's {@link RecordCheck}s (timestamp bounds: INVALID_TIMESTAMP; a key on compacted topics:
 * INVALID_RECORD) to every record, and names the refused ones in the exception ({@link RejectedRecords});</li>
 * <li>with CreateTime, sets the batch max timestamp to the largest record timestamp, as Kafka does (a producer's
 * header is not trusted: the time index and ListOffsets are built from it);</li>
 * <li>rebuilds a batch whose codec is not the topic's {@code compression.type} in that codec (offset deltas, timestamps,
 * keys, values, headers, producer id/epoch/sequence and the transactional flag kept), and checks the rebuilt batch
 * against {@code max.message.bytes} (MESSAGE_TOO_LARGE) and {@code segment.bytes}.</li>
 * </ul>
 * A batch already in the target codec (always with {@code producer}) is kept byte for byte apart from its max
 * timestamp. Compressed batches kept as they are are read with Kafka's skip-key-value iterator, which inflates the
 * data but copies no key or value.
 *
 * <p>Runs before the log's lock (decompression and recompression never hold it). Stateless apart from a per-thread
 * decompression buffer cache; thread-safe.
 */
final class RecordValidator {

    /**
     * Decompression buffers are reused per thread (appends run on the few network event loops); Kafka's supplier is
     * not thread-safe, hence one per thread.
     */
    private static final ThreadLocal<BufferSupplier> BUFFERS = ThreadLocal.withInitial(BufferSupplier::create);

    private RecordValidator() {
    }

    /** The rules every record of an append to {@code topicPartition}, a log with {@code config}, must pass. */
    static List<RecordCheck> checksFor(LogConfig config, TopicPartition topicPartition) {
        List<RecordCheck> checks = new ArrayList<>(2);
        checks.add(new TimestampCheck(!config.logAppendTime(), config.timestampBeforeMaxMs(),
                config.timestampAfterMaxMs()));
        if (config.compaction().compact()) {
            checks.add(new KeyRequiredCheck(topicPartition));
        }
        return checks;
    }

    /**
     * Validates every record of {@code records} (already checked by {@link BatchValidator#validate}) and returns the
     * records to append: {@code records} itself, possibly with max timestamps rewritten in place, or a new buffer when a
     * batch had to be recompressed. Base offsets of rebuilt batches are 0, as the client sent them.
     *
     * @throws InvalidRecordException when offset deltas or the record count are inconsistent
     * @throws TimestampsRejectedException when a record's timestamp is out of bounds
     * @throws RecordsRejectedException when a record breaks another rule (no key on a compacted topic)
     * @throws RecordTooLargeException when a recompressed batch exceeds {@code max.message.bytes}
     */
    static MemoryRecords validate(MemoryRecords records, LogConfig config, TopicPartition topicPartition, long now) {
        List<RecordCheck> checks = checksFor(config, topicPartition);
        TimestampType timestampType = config.logAppendTime()
                ? TimestampType.LOG_APPEND_TIME
                : TimestampType.CREATE_TIME;
        List<ByteBuffer> rebuilt = null;
        int index = 0;
        for (MutableRecordBatch batch : records.batches()) {
            boolean recompress = config.compression().mustRecompress(batch.compressionType())
                    && !batch.isControlBatch();
            if (recompress) {
                if (rebuilt == null) {
                    rebuilt = keptSoFar(records, index);
                }
                rebuilt.add(rebuild(batch, config, timestampType, checks, topicPartition, now));
            } else {
                long maxTimestamp = validateInPlace(batch, checks, topicPartition, now);
                if (timestampType == TimestampType.CREATE_TIME) {
                    // recomputes the CRC only when the value changes
                    batch.setMaxTimestamp(TimestampType.CREATE_TIME, maxTimestamp);
                }
                if (rebuilt != null) {
                    rebuilt.add(copyOf(batch));
                }
            }
            index++;
        }
        return rebuilt == null ? records : concatenate(rebuilt);
    }

    /** Walks a batch that is stored as it came; returns its largest record timestamp. */
    private static long validateInPlace(MutableRecordBatch batch, List<RecordCheck> checks,
            TopicPartition topicPartition, long now) {
        BufferSupplier buffers = BUFFERS.get();
        long maxTimestamp = RecordBatch.NO_TIMESTAMP;
        int expected = 0;
        Rejections rejections = new Rejections();
        try (CloseableIterator<Record> iterator = batch.isCompressed() && batch instanceof DefaultRecordBatch v2
                ? v2.skipKeyValueIterator(buffers)
                : batch.streamingIterator(buffers)) {
            while (iterator.hasNext()) {
                Record record = iterator.next();
                checkOffset(batch, record, expected, topicPartition);
                rejections.apply(checks, batch, record, expected, now);
                maxTimestamp = Math.max(maxTimestamp, record.timestamp());
                expected++;
            }
        }
        checkCount(batch, expected, topicPartition);
        rejections.throwIfAny(topicPartition);
        return maxTimestamp;
    }

    /** Decompresses, validates and writes one batch in the topic's codec. */
    private static ByteBuffer rebuild(MutableRecordBatch batch, LogConfig config, TimestampType timestampType,
            List<RecordCheck> checks, TopicPartition topicPartition, long now) {
        List<Record> kept = new ArrayList<>(batch.countOrNull() == null ? 16 : batch.countOrNull());
        int expected = 0;
        Rejections rejections = new Rejections();
        try (CloseableIterator<Record> iterator = batch.streamingIterator(BUFFERS.get())) {
            while (iterator.hasNext()) {
                Record record = iterator.next();
                checkOffset(batch, record, expected, topicPartition);
                rejections.apply(checks, batch, record, expected, now);
                kept.add(record);
                expected++;
            }
        }
        checkCount(batch, expected, topicPartition);
        rejections.throwIfAny(topicPartition);
        Compression target = config.compression().targetFor(batch.compressionType());
        int estimate = AbstractRecords.estimateSizeInBytes(RecordBatch.MAGIC_VALUE_V2, 0, target.type(), kept);
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(estimate),
                RecordBatch.MAGIC_VALUE_V2, target, timestampType, 0L, now, batch.producerId(),
                batch.producerEpoch(), batch.baseSequence(), batch.isTransactional(), batch.partitionLeaderEpoch());
        for (int i = 0; i < kept.size(); i++) {
            builder.appendWithOffset(i, kept.get(i));
        }
        MemoryRecords built = builder.build();
        int size = built.sizeInBytes();
        if (size > config.maxMessageBytes()) {
            throw new RecordTooLargeException("Message batch size is " + size + " bytes in append to partition "
                    + topicPartition + " which exceeds the maximum configured size of " + config.maxMessageBytes()
                    + ".");
        }
        if (size > config.segmentBytes()) {
            throw new RecordBatchTooLargeException("Record batch size is " + size + " bytes after recompression "
                    + "in append to " + topicPartition + ", which exceeds the maximum configured segment size of "
                    + config.segmentBytes() + ".");
        }
        return built.buffer();
    }

    private static void checkOffset(RecordBatch batch, Record record, int expected, TopicPartition topicPartition) {
        long delta = record.offset() - batch.baseOffset();
        if (delta != expected) {
            throw new InvalidRecordException("Record in " + topicPartition + " has offset delta " + delta
                    + " where " + expected + " was expected");
        }
    }

    private static void checkCount(RecordBatch batch, int records, TopicPartition topicPartition) {
        Integer count = batch.countOrNull();
        if (count == null || count != records) {
            throw new InvalidRecordException("Record batch in " + topicPartition + " holds " + records
                    + " records but its header says " + count);
        }
    }

    /**
     * The records of one batch that failed a check. As Kafka does, every record of the batch is checked so that the
     * response names all of them; the append fails with INVALID_TIMESTAMP if any timestamp failed, else INVALID_RECORD.
     */
    private static final class Rejections {

        /** How many rejected records the exception's message names; the response lists them all. */
        private static final int NAMED_IN_MESSAGE = 3;

        private final List<RejectedRecord> rejected = new ArrayList<>();
        private boolean anyTimestamp;

        void apply(List<RecordCheck> checks, RecordBatch batch, Record record, int batchIndex, long now) {
            for (int i = 0; i < checks.size(); i++) {
                RecordCheck.RecordRejection rejection = checks.get(i).check(batch, record, now);
                if (rejection != null) {
                    rejected.add(new RejectedRecord(batchIndex, rejection.message()));
                    anyTimestamp |= rejection.invalidTimestamp();
                    return;
                }
            }
        }

        void throwIfAny(TopicPartition topicPartition) {
            if (rejected.isEmpty()) {
                return;
            }
            StringBuilder message = new StringBuilder().append(rejected.size())
                    .append(rejected.size() == 1 ? " record" : " records").append(" of a batch to ")
                    .append(topicPartition).append(" rejected");
            for (RejectedRecord record : rejected.subList(0, Math.min(NAMED_IN_MESSAGE, rejected.size()))) {
                message.append("; record ").append(record.batchIndex()).append(": ").append(record.message());
            }
            throw anyTimestamp
                    ? new TimestampsRejectedException(message.toString(), rejected)
                    : new RecordsRejectedException(message.toString(), rejected);
        }
    }

    /** Copies of the batches before {@code index}, which were kept in place. */
    private static List<ByteBuffer> keptSoFar(MemoryRecords records, int index) {
        List<ByteBuffer> kept = new ArrayList<>();
        int i = 0;
        for (MutableRecordBatch batch : records.batches()) {
            if (i++ == index) {
                break;
            }
            kept.add(copyOf(batch));
        }
        return kept;
    }

    private static ByteBuffer copyOf(MutableRecordBatch batch) {
        ByteBuffer copy = ByteBuffer.allocate(batch.sizeInBytes());
        batch.writeTo(copy);
        copy.flip();
        return copy;
    }

    private static MemoryRecords concatenate(List<ByteBuffer> batches) {
        if (batches.size() == 1) {
            return MemoryRecords.readableRecords(batches.get(0));
        }
        int size = 0;
        for (ByteBuffer batch : batches) {
            size += batch.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        for (ByteBuffer batch : batches) {
            all.put(batch.duplicate());
        }
        all.flip();
        return MemoryRecords.readableRecords(all);
    }
}
