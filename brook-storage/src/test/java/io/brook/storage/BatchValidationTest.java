package io.brook.storage;

import static io.brook.storage.TestRecords.batch;
import static io.brook.storage.TestRecords.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchValidationTest {

    @TempDir
    Path dir;

    private DefaultLogManager manager;
    private PartitionLog log;

    @BeforeEach
    void setUp() {
        LogConfig d = LogConfig.defaults();
        LogConfig config = new LogConfig(d.segmentBytes(), d.segmentMs(), d.indexIntervalBytes(), d.maxIndexBytes(),
                1000, d.flushIntervalMessages(), d.flushIntervalMs(), false);
        manager = DefaultLogManager.open(List.of(dir), config, new ManualTime(), false);
        log = manager.getOrCreate(new TopicPartition("t", 0), config);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void shouldRejectOldMagicAsInvalidRecord() {
        MemoryRecords v1 = MemoryRecords.withRecords(RecordBatch.MAGIC_VALUE_V1, Compression.NONE,
                new SimpleRecord(1L, "v".getBytes()));

        assertThatThrownBy(() -> log.appendAsLeader(v1, 0)).isInstanceOf(InvalidRecordException.class);
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void shouldRejectCorruptCrc() {
        MemoryRecords records = batch(1L, "hello");
        ByteBuffer buffer = records.buffer();
        int last = buffer.limit() - 1;
        buffer.put(last, (byte) (buffer.get(last) ^ 0xFF));

        assertThatThrownBy(() -> log.appendAsLeader(records, 0)).isInstanceOf(CorruptRecordException.class);
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void shouldRejectBatchLargerThanMaxMessageBytes() {
        assertThatThrownBy(() -> log.appendAsLeader(batch(1L, payload(2000)), 0))
                .isInstanceOf(RecordTooLargeException.class);
    }

    @Test
    void shouldRejectEmptyRecords() {
        assertThatThrownBy(() -> log.appendAsLeader(MemoryRecords.EMPTY, 0))
                .isInstanceOf(InvalidRecordException.class);
    }

    @Test
    void shouldRejectCountThatDisagreesWithOffsetRange() {
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(1024), RecordBatch.MAGIC_VALUE_V2,
                Compression.NONE, TimestampType.CREATE_TIME, 0L);
        builder.appendWithOffset(0, new SimpleRecord(1L, "a".getBytes()));
        builder.appendWithOffset(2, new SimpleRecord(1L, "b".getBytes()));

        assertThatThrownBy(() -> log.appendAsLeader(builder.build(), 0)).isInstanceOf(InvalidRecordException.class);
    }

    @Test
    void shouldRejectTwoBatchesForOnePartitionAndAppendNothing() {
        ByteBuffer both = ByteBuffer.allocate(1024);
        both.put(batch(1L, "a").buffer()).put(batch(1L, "b").buffer()).flip();

        assertThatThrownBy(() -> log.appendAsLeader(MemoryRecords.readableRecords(both), 0))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("only one record batch");
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void shouldRejectNonZeroClientBaseOffset() {
        MemoryRecords records = MemoryRecords.withRecords(5L, Compression.NONE, new SimpleRecord(1L, "a".getBytes()));

        assertThatThrownBy(() -> log.appendAsLeader(records, 0)).isInstanceOf(InvalidRecordException.class);
    }

    @Test
    void shouldAcceptCompressedBatchesAndReadThemBack() {
        LogAppendInfo info = log.appendAsLeader(TestRecords.compressedBatch(1L, "a", "b", "c"), 0);
        log.appendAsLeader(batch(1L, "d"), 0);

        assertThat(info.lastOffset()).isEqualTo(2);
        assertThat(TestRecords.values(log.read(1, 10_000, true).records())).containsExactly("a", "b", "c", "d");
    }
}
