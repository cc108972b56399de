package io.brook.server.backup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
    /** Errors saying another broker leads (or will lead) the partition. */
    static final Set<Errors> LEADER_MOVED = Set.of(Errors.NOT_LEADER_OR_FOLLOWER, Errors.LEADER_NOT_AVAILABLE,
            Errors.FENCED_LEADER_EPOCH, Errors.UNKNOWN_LEADER_EPOCH, Errors.REPLICA_NOT_AVAILABLE,
            Errors.KAFKA_STORAGE_ERROR);

    /** What a copy read and where it ended. */
    record Result(long logStartOffset, long endOffset, long bytes, long records) {
    }

    /**
     * Where a copy stands: the next offset to fetch, the backup point (-1 until the first response sets it), the
     * log start the first response reported, and the totals so far. A copy interrupted by a leader change resumes
     * from its position at the new leader, towards the same backup point.
     */
    static final class Position {
        long next;
        long target = -1;
        long logStart = -1;
        long bytes;
        long records;

        Position(long startOffset) {
            this.next = startOffset;
        }
    }

    /** The partition's leader moved (or is moving): fetch from the new one, from the same position. */
    static final class LeaderMovedException extends IOException {
        private static final long serialVersionUID = 1L;

        LeaderMovedException(String message) {
            super(message);
        }
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
        Position position = new Position(startOffset);
        copy(connection, partition, topicId, position, writer, progress);
        return new Result(position.logStart, Math.max(position.next, Math.max(position.target, startOffset)),
                position.bytes, position.records);
    }

    /**
     * Copies from {@code position} on, advancing it as batches are written.
     *
     * @throws LeaderMovedException when {@code connection} no longer leads the partition
     */
    static void copy(LeaderConnection connection, TopicPartition partition, Uuid topicId, Position position,
            SegmentWriter writer, Progress progress) throws IOException {
        short version = connection.version(ApiKeys.FETCH, ApiKeys.FETCH.latestVersion());
        while (position.target < 0 || position.next < position.target) {
            long next = position.next;
            FetchResponseData.PartitionData data = fetch(connection, version, partition, topicId, next);
            Errors error = Errors.forCode(data.errorCode());
            if (LEADER_MOVED.contains(error)) {
                throw new LeaderMovedException(partition + ": " + connection.address() + " answered " + error.name());
            }
            if (error != Errors.NONE) {
                throw new IOException("Fetching " + partition + " at offset " + next + " from "
                        + connection.address() + " failed: " + error.name() + " (" + error.message() + ")");
            }
            if (position.target < 0) {
                position.target = data.highWatermark(); // the backup point of this partition
                position.logStart = data.logStartOffset();
            }
            long target = position.target;
            int copied = 0;
            Records received = FetchResponse.recordsOrFail(data);
            if (received instanceof MemoryRecords memory) {
                ByteBuffer buffer = memory.buffer();
                int at = buffer.position();
                for (MutableRecordBatch batch : memory.batches()) {
                    int size = batch.sizeInBytes();
                    ByteBuffer slice = buffer.duplicate().position(at).limit(at + size).slice();
                    at += size;
                    if (batch.baseOffset() >= target) {
                        break;
                    }
                    if (batch.lastOffset() < next) {
                        continue;
                    }
                    writer.append(batch, slice);
                    copied++;
                    position.bytes += size;
                    Integer count = batch.countOrNull();
                    position.records += count != null ? count : batch.lastOffset() - batch.baseOffset() + 1;
                    position.next = batch.lastOffset() + 1;
                    next = position.next;
                }
            }
            progress.copied(position.bytes, position.records, position.next, target);
            if (copied == 0) {
                // Nothing below the target past next: the rest of the range holds no batch (compacted away).
                break;
            }
        }
    }

    private static FetchResponseData.PartitionData fetch(LeaderConnection connection, short version,
            TopicPartition partition, Uuid topicId, long offset) throws IOException {
        FetchRequest.PartitionData wanted = new FetchRequest.PartitionData(topicId, offset, -1, FETCH_MAX_BYTES,
                Optional.empty());
        FetchRequest request = FetchRequest.Builder.forConsumer(version, 0, 1, Map.of(partition, wanted))
                .isolationLevel(IsolationLevel.READ_UNCOMMITTED).setMaxBytes(FETCH_MAX_BYTES).build(version);
        FetchResponse response;
        try {
            response = (FetchResponse) connection.send(request);
        } catch (IOException e) {
            // The leader may have stopped: the caller finds out who leads now.
            throw new LeaderMovedException(partition + ": the connection to " + connection.address() + " failed: "
                    + e);
        }
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
