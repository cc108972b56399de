package io.brook.server.backup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Records;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;

/**
 * Copies one partition from its leader into a {@link SegmentWriter}: Fetch requests as a consumer
 * (read_uncommitted, so transactional data and control batches come too) from {@code startOffset} until the high
 * watermark the first response reported. Batches are written as received, byte for byte: offsets, epochs,
 * timestamps, producer ids and compression are kept. Blocks the calling thread; not thread-safe.
 */
final class PartitionCopier {

    /** Per-request fetch size: large enough to amortise round trips, small enough to bound memory. */
    static final int FETCH_MAX_BYTES = 8 * 1024 * 1024;

    /** What a copy read and where it ended. */
    record Result(long logStartOffset, long endOffset, long bytes, long records) {
    }

    /** Called after each response with the totals so far of this partition. */
    interface Progress {
        void copied(long bytes, long records, long nextOffset, long targetOffset);
    }

    private PartitionCopier() {
    }

    /**
     * @throws IOException on a connection failure, or when the leader answers with an error (e.g. it is no longer the
     *     leader, or {@code startOffset} is out of range); nothing the manifest names has been touched then
     */
    static Result copy(LeaderConnection connection, TopicPartition partition, Uuid topicId, long startOffset,
            SegmentWriter writer, Progress progress) throws IOException {
        short version = connection.version(ApiKeys.FETCH, ApiKeys.FETCH.latestVersion());
        long next = startOffset;
        long target = -1;
        long logStart = -1;
        long bytes = 0;
        long records = 0;
        while (target < 0 || next < target) {
            FetchResponseData.PartitionData data = fetch(connection, version, partition, topicId, next);
            Errors error = Errors.forCode(data.errorCode());
            if (error != Errors.NONE) {
                throw new IOException("Fetching " + partition + " at offset " + next + " from "
                        + connection.address() + " failed: " + error.name() + " (" + error.message() + ")");
            }
            if (target < 0) {
                target = data.highWatermark(); // the backup point of this partition
                logStart = data.logStartOffset();
            }
            int copied = 0;
            Records received = FetchResponse.recordsOrFail(data);
            if (received instanceof MemoryRecords memory) {
                ByteBuffer buffer = memory.buffer();
                int position = buffer.position();
                for (MutableRecordBatch batch : memory.batches()) {
                    int size = batch.sizeInBytes();
                    ByteBuffer slice = buffer.duplicate().position(position).limit(position + size).slice();
                    position += size;
                    if (batch.baseOffset() >= target) {
                        break;
                    }
                    if (batch.lastOffset() < next) {
                        continue;
                    }
                    writer.append(batch, slice);
                    copied++;
                    bytes += size;
                    Integer count = batch.countOrNull();
                    records += count != null ? count : batch.lastOffset() - batch.baseOffset() + 1;
                    next = batch.lastOffset() + 1;
                }
            }
            progress.copied(bytes, records, next, target);
            if (copied == 0) {
                // Nothing below the target past next: the rest of the range holds no batch (compacted away).
                break;
            }
        }
        return new Result(logStart, Math.max(next, Math.max(target, startOffset)), bytes, records);
    }

    private static FetchResponseData.PartitionData fetch(LeaderConnection connection, short version,
            TopicPartition partition, Uuid topicId, long offset) throws IOException {
        FetchRequest.PartitionData wanted = new FetchRequest.PartitionData(topicId, offset, -1, FETCH_MAX_BYTES,
                Optional.empty());
        FetchRequest request = FetchRequest.Builder.forConsumer(version, 0, 1, Map.of(partition, wanted))
                .isolationLevel(IsolationLevel.READ_UNCOMMITTED).setMaxBytes(FETCH_MAX_BYTES).build(version);
        FetchResponse response = (FetchResponse) connection.send(request);
        if (response.error() != Errors.NONE) {
            throw new IOException("Fetch from " + connection.address() + " failed: " + response.error().name());
        }
        FetchResponseData.PartitionData data = response.responseData(Map.of(topicId, partition.topic()), version)
                .get(partition);
        if (data == null) {
            throw new IOException("The fetch response from " + connection.address() + " has no " + partition);
        }
        return data;
    }
}
