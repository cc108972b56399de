package io.brook.broker.handlers.data;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.ListOffsetsResponse;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.broker.authz.Authorization;
import io.brook.broker.partition.LocalPartitions;
import io.brook.broker.partition.Partition;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.MetadataStore;
import io.brook.storage.PartitionLog;
import io.brook.storage.TimestampAndOffset;

/**
 * ListOffsets v1..11: the offset of a timestamp, or of the special timestamps: -2 earliest, -1 latest (up to the high
 * watermark, or the last stable offset for read_committed, which is the same here), -3 the record with the largest
 * timestamp, -4 earliest local (= earliest: there is no tiered storage), -5 latest tiered and -6 earliest pending
 * upload (no tiered storage: offset -1, as Kafka answers when remote storage is off). A timestamp after every record
 * answers offset -1, timestamp -1.
 *
 * <p>Reads index files only; runs on the event loop.
 */
final class ListOffsetsHandler implements ApiHandler<ListOffsetsRequest> {

    private final MetadataStore metadata;
    private final LocalPartitions partitions;
    private final Authorization authorization;

    private static final short LEADER_EPOCH_MIN_VERSION = 4;

    ListOffsetsHandler(MetadataStore metadata, LocalPartitions partitions) {
        this(metadata, partitions, Authorization.ALLOW_ALL);
    }

    /** With {@code authorization}: each topic needs DESCRIBE, else TOPIC_AUTHORIZATION_FAILED. */
    ListOffsetsHandler(MetadataStore metadata, LocalPartitions partitions, Authorization authorization) {
        this.metadata = metadata;
        this.partitions = partitions;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_OFFSETS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, ListOffsetsRequest request) {
        var unknownIsolation = KnownIsolationLevel.rejectUnknown(request.data().isolationLevel());
        if (unknownIsolation.isPresent()) {
            return unknownIsolation.get();
        }
        MetadataImage image = metadata.image();
        Set<TopicPartition> duplicates = request.duplicatePartitions();
        boolean fromConsumer = request.replicaId() < 0;
        ListOffsetsResponseData response = new ListOffsetsResponseData();
        for (ListOffsetsRequestData.ListOffsetsTopic topic : request.topics()) {
            ListOffsetsResponseData.ListOffsetsTopicResponse topicResponse = new ListOffsetsResponseData.ListOffsetsTopicResponse()
                    .setName(topic.name());
            response.topics().add(topicResponse);
            boolean authorized = authorization.topic(context, AclOperation.DESCRIBE, topic.name());
            for (ListOffsetsRequestData.ListOffsetsPartition partition : topic.partitions()) {
                ListOffsetsResponseData.ListOffsetsPartitionResponse partitionResponse;
                if (!authorized) {
                    partitionResponse = failed(partition.partitionIndex(), Errors.TOPIC_AUTHORIZATION_FAILED);
                } else if (duplicates.contains(new TopicPartition(topic.name(), partition.partitionIndex()))) {
                    partitionResponse = failed(partition.partitionIndex(), Errors.INVALID_REQUEST);
                } else {
                    partitionResponse = listOffset(image, topic.name(), partition, request.isolationLevel(),
                            fromConsumer);
                }
                if (context.apiVersion() < LEADER_EPOCH_MIN_VERSION) {
                    // The field does not exist before v4; the codec refuses to write a non-default value there.
                    partitionResponse.setLeaderEpoch(ListOffsetsResponse.UNKNOWN_EPOCH);
                }
                topicResponse.partitions().add(partitionResponse);
            }
        }
        return CompletableFuture.completedFuture(new ListOffsetsResponse(response));
    }

    private ListOffsetsResponseData.ListOffsetsPartitionResponse listOffset(MetadataImage image, String topic,
            ListOffsetsRequestData.ListOffsetsPartition request, IsolationLevel isolationLevel, boolean fromConsumer) {
        int index = request.partitionIndex();
        LocalPartitions.Lookup lookup = partitions.lookup(image, topic, index);
        Errors lookupError = LeaderEpochs.check(request.currentLeaderEpoch(), lookup);
        if (lookupError != Errors.NONE) {
            return failed(index, lookupError);
        }
        Partition partition = lookup.partition();
        try {
            TimestampAndOffset found = find(partition, request.timestamp(), isolationLevel, fromConsumer);
            return new ListOffsetsResponseData.ListOffsetsPartitionResponse()
                    .setPartitionIndex(index)
                    .setErrorCode(Errors.NONE.code())
                    .setTimestamp(found.timestamp())
                    .setOffset(found.offset())
                    .setLeaderEpoch(found.leaderEpoch());
        } catch (RuntimeException e) {
            return failed(index,
                    DataPathErrors.forException(e, "list offsets of " + partition.topicPartition()));
        }
    }

    private static TimestampAndOffset find(Partition partition, long timestamp, IsolationLevel isolationLevel,
            boolean fromConsumer) {
        PartitionLog log = partition.log();
        // Consumers see up to the high watermark (read_uncommitted) or the last stable offset (read_committed).
        // Replicas see the log end.
        long lastVisible = !fromConsumer
                ? log.logEndOffset()
                : isolationLevel == IsolationLevel.READ_COMMITTED ? log.lastStableOffset() : log.highWatermark();
        if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP) {
            int epoch = log.offsetForTimestamp(ListOffsetsRequest.LATEST_TIMESTAMP)
                    .map(TimestampAndOffset::leaderEpoch)
                    .orElse(partition.leaderEpoch());
            return new TimestampAndOffset(ListOffsetsResponse.UNKNOWN_TIMESTAMP, lastVisible, epoch);
        }
        if (timestamp == ListOffsetsRequest.LATEST_TIERED_TIMESTAMP
                || timestamp == ListOffsetsRequest.EARLIEST_PENDING_UPLOAD_TIMESTAMP) {
            return unknown();
        }
        long query = timestamp == ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP
                ? ListOffsetsRequest.EARLIEST_TIMESTAMP
                : timestamp;
        Optional<TimestampAndOffset> found = log.offsetForTimestamp(query);
        if (found.isEmpty()) {
            return unknown();
        }
        if (query != ListOffsetsRequest.EARLIEST_TIMESTAMP && found.get().offset() >= lastVisible) {
            return unknown(); // not yet visible to this reader
        }
        return found.get();
    }

    private static TimestampAndOffset unknown() {
        return new TimestampAndOffset(ListOffsetsResponse.UNKNOWN_TIMESTAMP, ListOffsetsResponse.UNKNOWN_OFFSET,
                ListOffsetsResponse.UNKNOWN_EPOCH);
    }

    private static ListOffsetsResponseData.ListOffsetsPartitionResponse failed(int index, Errors error) {
        return new ListOffsetsResponseData.ListOffsetsPartitionResponse()
                .setPartitionIndex(index)
                .setErrorCode(error.code())
                .setTimestamp(ListOffsetsResponse.UNKNOWN_TIMESTAMP)
                .setOffset(ListOffsetsResponse.UNKNOWN_OFFSET)
                .setLeaderEpoch(ListOffsetsResponse.UNKNOWN_EPOCH);
    }
}
