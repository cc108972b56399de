package io.brook.server.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentWriterTest {

    @TempDir
    Path dir;

    private static MemoryRecords batch(long baseOffset, int records, Compression compression) {
        SimpleRecord[] simple = new SimpleRecord[records];
        for (int i = 0; i < records; i++) {
            simple[i] = new SimpleRecord(1_000L + i, ("k" + i).getBytes(StandardCharsets.UTF_8),
                    ("value-" + (baseOffset + i)).getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withIdempotentRecords(RecordBatch.MAGIC_VALUE_V2, baseOffset, compression, 7L,
                (short) 1, (int) baseOffset, 3, simple);
    }

    private static void append(SegmentWriter writer, MemoryRecords records) throws Exception {
        for (MutableRecordBatch batch : records.batches()) {
            writer.append(batch, records.buffer());
        }
    }

    @Test
    void shouldWriteBatchesByteForByteInFilesKafkaCanRead() throws Exception {
        // given
        MemoryRecords first = batch(0, 3, Compression.NONE);
        MemoryRecords second = batch(3, 4, Compression.gzip().build());

        // when
        try (SegmentWriter writer = new SegmentWriter(dir.resolve("orders-0"), 1 << 20)) {
            append(writer, first);
            append(writer, second);
            assertThat(writer.segments()).singleElement()
                    .isEqualTo(new BackupManifest.Segment("00000000000000000000.log", 0, 7,
                            first.sizeInBytes() + second.sizeInBytes(), 7));
        }

        // then kafka-clients reads the same batches, producer ids, compression and records back
        try (FileRecords file = FileRecords.open(dir.resolve("orders-0/00000000000000000000.log").toFile())) {
            List<RecordBatch> batches = new ArrayList<>();
            file.batches().forEach(batches::add);
            assertThat(batches).hasSize(2);
            assertThat(batches.get(1).compressionType().name).isEqualTo("gzip");
            assertThat(batches.get(1).producerId()).isEqualTo(7L);
            assertThat(batches.get(1).baseOffset()).isEqualTo(3);
            List<String> values = new ArrayList<>();
            for (RecordBatch b : batches) {
                for (Record r : b) {
                    values.add(StandardCharsets.UTF_8.decode(r.value()).toString());
                }
            }
            assertThat(values).containsExactly("value-0", "value-1", "value-2", "value-3", "value-4", "value-5",
                    "value-6");
            ByteBuffer written = ByteBuffer
                    .wrap(java.nio.file.Files.readAllBytes(dir.resolve("orders-0/00000000000000000000.log")));
            assertThat(written.slice(0, first.sizeInBytes())).isEqualTo(first.buffer());
        }
    }

    @Test
    void shouldRollANewFileWhenTheNextBatchWouldPassSegmentBytes() throws Exception {
        MemoryRecords one = batch(0, 5, Compression.NONE);
        long segmentBytes = one.sizeInBytes() * 2L;

        SegmentWriter writer = new SegmentWriter(dir.resolve("t-0"), segmentBytes);
        try (writer) {
            append(writer, one);
            append(writer, batch(5, 5, Compression.NONE));
            append(writer, batch(10, 5, Compression.NONE));
        }
        {
            assertThat(writer.segments()).extracting(BackupManifest.Segment::file)
                    .containsExactly("00000000000000000000.log", "00000000000000000010.log");
            assertThat(writer.segments()).extracting(BackupManifest.Segment::endOffset).containsExactly(10L, 15L);
        }
        assertThat(dir.resolve("t-0/00000000000000000010.log")).exists();
    }
}
