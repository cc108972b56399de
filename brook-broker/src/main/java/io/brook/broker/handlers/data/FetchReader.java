package io.brook.broker.handlers.data;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.FetchResponse;

import io.brook.broker.partition.LocalPartitions;
import io.brook.broker.partition.Partition;
import io.brook.metadata.MetadataImage;
import io.brook.storage.LogReadResult;

/**
 * Reads the partitions of one fetch within its limits: each partition gets at most its {@code partition_max_bytes}
 * and all together at most the request's {@code max_bytes}, except that the first partition with data always gets
 * one whole batch even if larger (KIP-74), so a consumer can never get stuck behind a big batch.
 *
 * <p>Records are returned as the storage gave them (file slices): nothing is copied. Stateless apart from its
 * dependencies; thread-safe.
 */
final class FetchReader {

    private final LocalPartitions partitions;

    FetchReader(LocalPartitions partitions) {
        this.partitions = partitions;
    }

    /** What one pass over the partitions found. */
    record Outcome(List<FetchPartitionResponse> responses, long bytesRead, boolean hasError) {
    }

    Outcome read(MetadataImage image, List<FetchPartitionRequest> requests, int responseMaxBytes,
            IsolationLevel isolationLevel) {
        List<FetchPartitionResponse> responses = new ArrayList<>(requests.size());
        long remaining = Math.max(0, responseMaxBytes);
        long bytesRead = 0;
        boolean hasError = false;
        boolean minOneMessage = true;
        for (FetchPartitionRequest request : requests) {
            FetchPartitionKey key = request.key();
            LocalPartitions.Lookup lookup = key.usesTopicId()
                    ? partitions.lookup(image, key.topicId(), key.partition())
                    : partitions.lookup(image, key.topic(), key.partition());
            FetchResponseData.PartitionData data;
            if (!lookup.found()) {
                data = FetchResponse.partitionResponse(key.partition(), lookup.error());
            } else {
                int limit = (int) Math.min(Math.max(0, request.maxBytes()), remaining);
                data = readOne(lookup.partition(), request, limit, minOneMessage, isolationLevel);
            }
            FetchPartitionResponse response = new FetchPartitionResponse(key, data);
            int size = response.recordsSize();
            if (size > 0) {
                minOneMessage = false;
                remaining = Math.max(0, remaining - size);
                bytesRead += size;
            }
            hasError |= data.errorCode() != Errors.NONE.code();
            responses.add(response);
        }
        return new Outcome(responses, bytesRead, hasError);
    }

    private static FetchResponseData.PartitionData readOne(Partition partition, FetchPartitionRequest request,
            int maxBytes, boolean minOneMessage, IsolationLevel isolationLevel) {
        Errors epochError = LeaderEpochs.check(request.currentLeaderEpoch(), partition.leaderEpoch());
        if (epochError != Errors.NONE) {
            return FetchResponse.partitionResponse(request.key().partition(), epochError);
        }
        try {
            // The storage never reads beyond the high watermark, which on a single node without transactions is
            // also the last stable offset: read_committed and read_uncommitted see the same records.
            LogReadResult result = partition.log().read(request.fetchOffset(), maxBytes, minOneMessage);
            return new FetchResponseData.PartitionData()
                    .setPartitionIndex(request.key().partition())
                    .setErrorCode(Errors.NONE.code())
                    .setHighWatermark(result.highWatermark())
                    .setLastStableOffset(result.lastStableOffset())
                    .setLogStartOffset(result.logStartOffset())
                    .setAbortedTransactions(isolationLevel == IsolationLevel.READ_COMMITTED ? new ArrayList<>() : null)
                    .setPreferredReadReplica(FetchResponse.INVALID_PREFERRED_REPLICA_ID)
                    .setRecords(result.records() != null ? result.records() : MemoryRecords.EMPTY);
        } catch (RuntimeException e) {
            return FetchResponse.partitionResponse(request.key().partition(),
                    DataPathErrors.forException(e, "fetch from " + partition.topicPartition()));
        }
    }
}
