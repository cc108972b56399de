package io.brook.server.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

import io.brook.broker.group.GroupRecord;
import io.brook.broker.group.GroupRecordCodec;

class RestoredBatchesTest {

    private static final TopicPartition ORDERS = new TopicPartition("orders", 3);

    private static GroupRecord.OffsetCommit commit(long offset, int leaderEpoch) {
        return new GroupRecord.OffsetCommit("g", ORDERS,
                new GroupRecord.CommittedOffset(offset, leaderEpoch, "meta", 1_700_000_000_000L));
    }

    private static MemoryRecords offsetsBatch(long baseOffset, int partitionLeaderEpoch, GroupRecord... records) {
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(1024), RecordBatch.MAGIC_VALUE_V2,
                Compression.gzip().build(), TimestampType.CREATE_TIME, baseOffset, RecordBatch.NO_TIMESTAMP, 42L,
                (short) 3, 0, false, false, partitionLeaderEpoch);
        long offset = baseOffset;
        for (GroupRecord record : records) {
            builder.appendWithOffset(offset++, 1_000L + offset, GroupRecordCodec.key(record),
                    GroupRecordCodec.value(record));
        }
        return builder.build();
    }

    private static List<GroupRecord> decode(MemoryRecords records) {
        List<GroupRecord> decoded = new ArrayList<>();
        for (RecordBatch batch : records.batches()) {
            for (Record record : batch) {
                decoded.add(GroupRecordCodec.decode(record.key(), record.value()));
            }
        }
        return decoded;
    }

    @Test
    void shouldClearCommittedLeaderEpochsAndTakeTheNewPartitionEpochWhenRestoringConsumerOffsets() {
        // given two batches from a source whose leader epoch was 9, committing offsets with leader epochs
        ByteBuffer joined = ByteBuffer.allocate(4096);
        joined.put(offsetsBatch(100, 9, commit(5, 7), commit(6, 7)).buffer());
        joined.put(offsetsBatch(102, 9, commit(8, -1)).buffer());
        joined.flip();

        // when
        MemoryRecords restored = RestoredBatches.forConsumerOffsets(MemoryRecords.readableRecords(joined), 2);

        // then the commits keep offsets, metadata and timestamps, lose their epochs, and batches are valid at epoch 2
        assertThat(decode(restored)).containsExactly(commit(5, -1), commit(6, -1), commit(8, -1));
        List<RecordBatch> batches = new ArrayList<>();
        restored.batches().forEach(batches::add);
        assertThat(batches).extracting(RecordBatch::baseOffset).containsExactly(100L, 102L);
        assertThat(batches).allSatisfy(b -> {
            assertThat(b.partitionLeaderEpoch()).isEqualTo(2);
            assertThat(b.producerId()).isEqualTo(42L);
            assertThat(b.compressionType().name).isEqualTo("gzip");
            b.ensureValid();
        });
    }

    @Test
    void shouldOnlySetThePartitionEpochOfOtherBatches() {
        MemoryRecords records = MemoryRecords.withRecords(RecordBatch.MAGIC_VALUE_V2, 10, Compression.NONE,
                TimestampType.CREATE_TIME, 7L, (short) 0, 0, 9, false,
                new org.apache.kafka.common.record.internal.SimpleRecord(1L, "k".getBytes(), "v".getBytes()));
        ByteBuffer before = records.buffer().duplicate();
        byte[] copy = new byte[before.remaining()];
        before.get(copy);

        MemoryRecords restored = RestoredBatches.withLeaderEpoch(records, 0);

        RecordBatch batch = restored.batches().iterator().next();
        assertThat(batch.partitionLeaderEpoch()).isZero();
        assertThat(batch.baseOffset()).isEqualTo(10);
        batch.ensureValid();
        assertThat(restored.sizeInBytes()).isEqualTo(copy.length);
    }
}
