package io.brook.storage;

import static io.brook.storage.TestRecords.offsets;
import static io.brook.storage.TestRecords.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Broker-side {@code compression.type}, timestamp types and bounds, on a real log with a manual clock. */
class BrokerCompressionTest {

    private static final TopicPartition TP = new TopicPartition("compressed", 0);
    private static final long HOUR = 3_600_000L;

    @TempDir
    Path dir;

    private final ManualTime time = new ManualTime();
    private DefaultLogManager manager;

    @AfterEach
    void tearDown() {
        if (manager != null) {
            manager.close();
        }
    }

    private PartitionLog openLog(TopicCompression compression, boolean logAppendTime, long beforeMaxMs,
            long afterMaxMs, int maxMessageBytes) {
        LogConfig d = LogConfig.defaults();
        LogConfig config = new LogConfig(d.segmentBytes(), d.segmentMs(), d.indexIntervalBytes(), d.maxIndexBytes(),
                maxMessageBytes, d.flushIntervalMessages(), d.flushIntervalMs(), logAppendTime)
                .withCompression(compression, beforeMaxMs, afterMaxMs);
        manager = DefaultLogManager.open(List.of(dir), config, time, false);
        return manager.getOrCreate(TP, config);
    }

    private PartitionLog openLog(TopicCompression compression) {
        return openLog(compression, false, Long.MAX_VALUE, HOUR, LogConfig.defaults().maxMessageBytes());
    }

    /** A batch of {@code count} records with keys, headers and increasing timestamps from {@code firstTimestamp}. */
    private static MemoryRecords produced(Compression codec, long firstTimestamp, int count) {
        return produced(codec, firstTimestamp, count, 0);
    }

    private static MemoryRecords produced(Compression codec, long firstTimestamp, int count, int baseSequence) {
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(1024), RecordBatch.MAGIC_VALUE_V2,
                codec, TimestampType.CREATE_TIME, 0L, RecordBatch.NO_TIMESTAMP, 42L, (short) 0, baseSequence, false,
                RecordBatch.NO_PARTITION_LEADER_EPOCH);
        for (int i = 0; i < count; i++) {
            builder.append(new SimpleRecord(firstTimestamp + i, bytes("key-" + i), bytes("value-" + i),
                    new Header[]{new RecordHeader("h", bytes("header-" + i))}));
        }
        return builder.build();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return new String(copy, StandardCharsets.UTF_8);
    }

    private static List<RecordBatch> storedBatches(PartitionLog log) {
        List<RecordBatch> batches = new ArrayList<>();
        for (RecordBatch batch : log.read(0, Integer.MAX_VALUE, true).records().batches()) {
            batches.add(batch);
        }
        return batches;
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void shouldKeepBatchBytesWhenCompressionTypeIsProducer(CompressionType codec) {
        PartitionLog log = openLog(TopicCompression.producer());
        long now = time.milliseconds();
        MemoryRecords batch = produced(Compression.of(codec).build(), now, 5);
        ByteBuffer sent = batch.buffer().duplicate();

        log.appendAsLeader(batch, 0);

        RecordBatch stored = storedBatches(log).get(0);
        assertThat(stored.compressionType()).isEqualTo(codec);
        assertThat(stored.sizeInBytes()).isEqualTo(sent.remaining());
        ByteBuffer storedBytes = ByteBuffer.allocate(stored.sizeInBytes());
        stored.writeTo(storedBytes);
        storedBytes.flip();
        // only the base offset (0 either way) and partition leader epoch, both outside the CRC, may differ
        assertThat(storedBytes.slice(16, storedBytes.remaining() - 16))
                .isEqualTo(sent.slice(16, sent.remaining() - 16));
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void shouldRecompressEveryCodecToZstdKeepingOffsetsTimestampsAndHeaders(CompressionType source) {
        PartitionLog log = openLog(TopicCompression.parse("zstd", -1, 9, 3));
        long now = time.milliseconds();
        log.appendAsLeader(produced(Compression.of(source).build(), now - 10, 3), 0);
        log.appendAsLeader(produced(Compression.of(source).build(), now - 5, 4, 3), 0);

        List<RecordBatch> batches = storedBatches(log);
        assertThat(batches).hasSize(2).allSatisfy(b -> {
            assertThat(b.compressionType()).isEqualTo(CompressionType.ZSTD);
            assertThat(b.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
            assertThat(b.producerId()).isEqualTo(42L);
            b.ensureValid();
        });
        assertThat(batches.get(0).maxTimestamp()).isEqualTo(now - 8);
        assertThat(batches.get(1).baseOffset()).isEqualTo(3);
        assertThat(batches.get(1).maxTimestamp()).isEqualTo(now - 2);
        List<Record> records = new ArrayList<>();
        batches.forEach(b -> b.forEach(records::add));
        assertThat(records).extracting(Record::offset).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(records).extracting(Record::timestamp)
                .containsExactly(now - 10, now - 9, now - 8, now - 5, now - 4, now - 3, now - 2);
        assertThat(records).extracting(r -> text(r.key())).containsExactly("key-0", "key-1", "key-2", "key-0",
                "key-1", "key-2", "key-3");
        assertThat(records).extracting(r -> text(r.value())).startsWith("value-0", "value-1");
        assertThat(records).extracting(r -> text(ByteBuffer.wrap(r.headers()[0].value()))).startsWith("header-0");
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = {"GZIP", "SNAPPY", "LZ4", "ZSTD"})
    void shouldDecompressWhenTopicIsUncompressed(CompressionType source) {
        PartitionLog log = openLog(TopicCompression.parse("uncompressed", -1, 9, 3));

        log.appendAsLeader(produced(Compression.of(source).build(), time.milliseconds(), 3), 0);

        RecordBatch stored = storedBatches(log).get(0);
        assertThat(stored.compressionType()).isEqualTo(CompressionType.NONE);
        assertThat(values(log.read(0, Integer.MAX_VALUE, true).records())).containsExactly("value-0", "value-1",
                "value-2");
    }

    @Test
    void shouldKeepBatchInTargetCodecWhateverItsLevel() {
        PartitionLog log = openLog(TopicCompression.parse("gzip", 9, 9, 3));
        MemoryRecords batch = produced(Compression.gzip().level(1).build(), time.milliseconds(), 3);
        int sentSize = batch.sizeInBytes();

        log.appendAsLeader(batch, 0);

        assertThat(storedBatches(log).get(0).sizeInBytes()).isEqualTo(sentSize);
    }

    @Test
    void shouldKeepIdempotentDuplicateDetectionWhenRecompressing() {
        PartitionLog log = openLog(TopicCompression.parse("lz4", -1, 9, 3));
        MemoryRecords first = produced(Compression.NONE, time.milliseconds(), 2);
        MemoryRecords retry = produced(Compression.NONE, time.milliseconds(), 2);

        LogAppendInfo appended = log.appendAsLeader(first, 0);
        LogAppendInfo duplicate = log.appendAsLeader(retry, 0);

        assertThat(duplicate.duplicate()).isTrue();
        assertThat(duplicate.firstOffset()).isEqualTo(appended.firstOffset());
        assertThat(log.logEndOffset()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void shouldStampLogAppendTimeWhenRecompressingOrNot(CompressionType source) {
        PartitionLog log = openLog(TopicCompression.parse("snappy", -1, 9, 3), true, Long.MAX_VALUE, HOUR,
                LogConfig.defaults().maxMessageBytes());
        long now = time.milliseconds();

        LogAppendInfo info = log.appendAsLeader(produced(Compression.of(source).build(), 5L, 3), 0);

        assertThat(info.logAppendTime()).isEqualTo(now);
        RecordBatch stored = storedBatches(log).get(0);
        stored.ensureValid();
        assertThat(stored.compressionType()).isEqualTo(CompressionType.SNAPPY);
        assertThat(stored.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(stored.maxTimestamp()).isEqualTo(now);
        assertThat(offsets(log.read(0, Integer.MAX_VALUE, true).records())).containsExactly(0L, 1L, 2L);
        for (Record record : log.read(0, Integer.MAX_VALUE, true).records().records()) {
            assertThat(record.timestamp()).isEqualTo(now);
        }
        assertThat(log.offsetForTimestamp(now)).map(TimestampAndOffset::offset).contains(0L);
    }

    @Test
    void shouldRejectTimestampTooFarInTheFutureWhenCreateTime() {
        PartitionLog log = openLog(TopicCompression.producer(), false, Long.MAX_VALUE, HOUR,
                LogConfig.defaults().maxMessageBytes());
        long tooLate = time.milliseconds() + HOUR + 1;

        assertThatThrownBy(() -> log.appendAsLeader(produced(Compression.lz4().build(), tooLate, 1), 0))
                .isInstanceOf(InvalidTimestampException.class)
                .hasMessageContaining("Timestamp " + tooLate + " of message with offset 0 is out of range")
                .isInstanceOfSatisfying(TimestampsRejectedException.class, e -> assertThat(e.rejectedRecords())
                        .extracting(RejectedRecord::batchIndex).containsExactly(0));
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void shouldRejectTimestampTooFarInThePastWhenBeforeMaxIsSet() {
        PartitionLog log = openLog(TopicCompression.parse("gzip", -1, 9, 3), false, 1000, HOUR,
                LogConfig.defaults().maxMessageBytes());
        long now = time.milliseconds();

        assertThatThrownBy(() -> log.appendAsLeader(produced(Compression.NONE, now - 1001, 1), 0))
                .isInstanceOf(InvalidTimestampException.class);
        log.appendAsLeader(produced(Compression.NONE, now - 1000, 1), 0);
        assertThat(log.logEndOffset()).isEqualTo(1);
    }

    @Test
    void shouldAcceptAnyTimestampWhenLogAppendTime() {
        PartitionLog log = openLog(TopicCompression.producer(), true, 0, 0, LogConfig.defaults().maxMessageBytes());

        log.appendAsLeader(produced(Compression.zstd().build(), 1L, 2), 0);

        assertThat(log.logEndOffset()).isEqualTo(2);
    }

    @Test
    void shouldRejectProducerBatchMarkedLogAppendTimeWhenTopicUsesLogAppendTime() {
        PartitionLog log = openLog(TopicCompression.producer(), true, Long.MAX_VALUE, HOUR,
                LogConfig.defaults().maxMessageBytes());
        MemoryRecords batch = MemoryRecords.withRecords(RecordBatch.MAGIC_VALUE_V2, 0L, Compression.NONE,
                TimestampType.LOG_APPEND_TIME, new SimpleRecord(time.milliseconds(), bytes("v")));

        assertThatThrownBy(() -> log.appendAsLeader(batch, 0)).isInstanceOf(InvalidTimestampException.class)
                .hasMessageContaining("LogAppendTime");
    }

    @Test
    void shouldCorrectBatchMaxTimestampFromRecordsWhenCreateTime() {
        PartitionLog log = openLog(TopicCompression.producer());
        long now = time.milliseconds();
        MemoryRecords batch = produced(Compression.gzip().build(), now - 100, 3);
        batch.batches().iterator().next().setMaxTimestamp(TimestampType.CREATE_TIME, now - 500);

        log.appendAsLeader(batch, 0);

        RecordBatch stored = storedBatches(log).get(0);
        assertThat(stored.maxTimestamp()).isEqualTo(now - 98);
        stored.ensureValid();
        // the record with that timestamp, found through the corrected header in the time index
        assertThat(log.offsetForTimestamp(now - 98)).map(TimestampAndOffset::offset).contains(2L);
    }

    @Test
    void shouldRejectRecompressedBatchLargerThanMaxMessageBytes() {
        // one small record: gzip's header and trailer make the recompressed batch larger than the one sent
        MemoryRecords batch = produced(Compression.NONE, time.milliseconds(), 1);
        int size = batch.sizeInBytes();
        PartitionLog log = openLog(TopicCompression.parse("gzip", -1, 9, 3), false, Long.MAX_VALUE, HOUR, size);

        assertThatThrownBy(() -> log.appendAsLeader(batch, 0)).isInstanceOf(RecordTooLargeException.class)
                .hasMessageContaining("exceeds the maximum configured size of " + size);
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void shouldRejectCompressedBatchWhoseOffsetDeltasAreWrong() {
        PartitionLog log = openLog(TopicCompression.producer());
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(256), RecordBatch.MAGIC_VALUE_V2,
                Compression.gzip().build(), TimestampType.CREATE_TIME, 0L);
        builder.appendWithOffset(0, new SimpleRecord(time.milliseconds(), bytes("a")));
        builder.appendWithOffset(2, new SimpleRecord(time.milliseconds(), bytes("b")));
        MemoryRecords batch = builder.build();
        // the header claims two records at offsets 0..1, the second record says delta 2
        batch.batches().iterator().next().setLastOffset(1);

        assertThatThrownBy(() -> log.appendAsLeader(batch, 0)).isInstanceOf(InvalidRecordException.class);
    }
}
