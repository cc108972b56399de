package io.brook.broker.handlers.data;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DeleteRecordsRequest;
import org.apache.kafka.common.requests.DeleteRecordsResponse;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.broker.partition.LocalPartitions;
import io.brook.broker.partition.LogConfigResolver;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.MetadataStore;
import io.brook.metadata.TopicImage;
import io.brook.storage.PartitionLog;

/**
 * DeleteRecords (all versions): on the leader, moves each partition's log start offset to the requested offset (-1
 * means the high watermark) and answers the new log start offset as the low watermark. Kafka's errors: an offset above
 * the high watermark or below -1 → OFFSET_OUT_OF_RANGE, a topic whose {@code cleanup.policy} lacks {@code delete} →
 * POLICY_VIOLATION, an internal topic → INVALID_TOPIC_EXCEPTION, not the leader → NOT_LEADER_OR_FOLLOWER. The records
 * become unreadable at once; the retention task deletes the segments wholly below the new start, and followers adopt
 * it through their next fetch.
 *
 * <p>Unlike Kafka it does not wait for every in-sync follower to reach the new start before answering: the low
 * watermark is the leader's. Runs on the event loop: moving the start is a short locked update (it may rewrite the
 * leader-epoch checkpoint when the start passes an epoch boundary).
 */
final class DeleteRecordsHandler implements ApiHandler<DeleteRecordsRequest> {

    private final MetadataStore metadata;
    private final LocalPartitions partitions;
    private final LogConfigResolver configs;

    DeleteRecordsHandler(MetadataStore metadata, LocalPartitions partitions, LogConfigResolver configs) {
        this.metadata = metadata;
        this.partitions = partitions;
        this.configs = configs;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_RECORDS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, DeleteRecordsRequest request) {
        MetadataImage image = metadata.image();
        DeleteRecordsResponseData response = new DeleteRecordsResponseData()
                .setThrottleTimeMs(0);
        for (DeleteRecordsRequestData.DeleteRecordsTopic topic : request.data().topics()) {
            DeleteRecordsResponseData.DeleteRecordsTopicResult topicResult = new DeleteRecordsResponseData.DeleteRecordsTopicResult()
                    .setName(topic.name());
            response.topics().add(topicResult);
            for (DeleteRecordsRequestData.DeleteRecordsPartition partition : topic.partitions()) {
                topicResult.partitions().add(deleteRecords(image, topic.name(), partition));
            }
        }
        return CompletableFuture.completedFuture(new DeleteRecordsResponse(response));
    }

    private DeleteRecordsResponseData.DeleteRecordsPartitionResult deleteRecords(MetadataImage image, String topic,
            DeleteRecordsRequestData.DeleteRecordsPartition request) {
        int index = request.partitionIndex();
        LocalPartitions.Lookup lookup = partitions.lookup(image, topic, index);
        if (!lookup.found()) {
            return result(index, lookup.error(), DeleteRecordsResponse.INVALID_LOW_WATERMARK);
        }
        if (Topic.isInternal(topic)) {
            return result(index, Errors.INVALID_TOPIC_EXCEPTION, DeleteRecordsResponse.INVALID_LOW_WATERMARK);
        }
        TopicImage topicImage = image.topic(topic).orElse(null);
        if (topicImage != null && !configs.resolve(image.brokerConfigs(), topicImage.configs()).deleteRetention()) {
            return result(index, Errors.POLICY_VIOLATION, DeleteRecordsResponse.INVALID_LOW_WATERMARK);
        }
        PartitionLog log = lookup.partition().log();
        long offset = request.offset() == DeleteRecordsRequest.HIGH_WATERMARK ? log.highWatermark() : request.offset();
        if (offset < 0) {
            return result(index, Errors.OFFSET_OUT_OF_RANGE, DeleteRecordsResponse.INVALID_LOW_WATERMARK);
        }
        try {
            log.maybeIncrementLogStartOffset(offset);
            return result(index, Errors.NONE, log.logStartOffset());
        } catch (RuntimeException e) {
            return result(index, DataPathErrors.forException(e, "delete records of " + topic + "-" + index),
                    DeleteRecordsResponse.INVALID_LOW_WATERMARK);
        }
    }

    private static DeleteRecordsResponseData.DeleteRecordsPartitionResult result(int index, Errors error,
            long lowWatermark) {
        return new DeleteRecordsResponseData.DeleteRecordsPartitionResult()
                .setPartitionIndex(index)
                .setErrorCode(error.code())
                .setLowWatermark(lowWatermark);
    }
}
