package io.brook.broker.handlers.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.TopicPartition;
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
import io.brook.broker.partition.DelayedFetchPurgatory;
import io.brook.broker.partition.LocalPartitions;
import io.brook.broker.partition.LogConfigResolver;
import io.brook.broker.replication.PartitionLeader;
import io.brook.broker.replication.ReplicaManager;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.MetadataStore;
import io.brook.metadata.TopicImage;
import io.brook.storage.PartitionLog;

/**
 * DeleteRecords (all versions): on the leader, moves each partition's log start offset to the requested offset (-1
 * means the high watermark), then, as Kafka's delayed DeleteRecords does, answers once every in-sync replica has
 * adopted it, with the lowest log start offset among them as the low watermark (REQUEST_TIMED_OUT after the request's
 * timeout). Followers learn the new start from their next fetch response, so their parked fetches are woken at once,
 * and report it in the fetch after. Kafka's errors: an offset above the high watermark or below -1 →
 * OFFSET_OUT_OF_RANGE, a topic whose {@code cleanup.policy} lacks {@code delete} → POLICY_VIOLATION, an internal topic
 * → INVALID_TOPIC_EXCEPTION, not the leader → NOT_LEADER_OR_FOLLOWER. The records become unreadable at once; the
 * retention task deletes the segments wholly below the new start.
 *
 * <p>Moving the start runs on the event loop: a short locked update (it may rewrite the leader-epoch checkpoint when
 * the start passes an epoch boundary). The wait for the followers parks on the partition's leader, never the loop.
 */
final class DeleteRecordsHandler implements ApiHandler<DeleteRecordsRequest> {

    private final MetadataStore metadata;
    private final LocalPartitions partitions;
    private final LogConfigResolver configs;
    private final ReplicaManager replicas;
    private final DelayedFetchPurgatory purgatory;

    DeleteRecordsHandler(MetadataStore metadata, LocalPartitions partitions, LogConfigResolver configs,
            ReplicaManager replicas, DelayedFetchPurgatory purgatory) {
        this.metadata = metadata;
        this.partitions = partitions;
        this.configs = configs;
        this.replicas = replicas;
        this.purgatory = purgatory;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_RECORDS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, DeleteRecordsRequest request) {
        MetadataImage image = metadata.image();
        long timeoutMs = Math.max(0, request.data().timeoutMs());
        DeleteRecordsResponseData response = new DeleteRecordsResponseData()
                .setThrottleTimeMs(0);
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (DeleteRecordsRequestData.DeleteRecordsTopic topic : request.data().topics()) {
            DeleteRecordsResponseData.DeleteRecordsTopicResult topicResult = new DeleteRecordsResponseData.DeleteRecordsTopicResult()
                    .setName(topic.name());
            response.topics().add(topicResult);
            for (DeleteRecordsRequestData.DeleteRecordsPartition partition : topic.partitions()) {
                DeleteRecordsResponseData.DeleteRecordsPartitionResult result = deleteRecords(image, topic.name(),
                        partition);
                topicResult.partitions().add(result);
                if (result.errorCode() == Errors.NONE.code()) {
                    awaitFollowers(new TopicPartition(topic.name(), partition.partitionIndex()), result, timeoutMs)
                            .ifPresent(pending::add);
                }
            }
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> new DeleteRecordsResponse(response));
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

    /**
     * Waits for the in-sync followers to reach the start {@code result} holds, then sets the low watermark (or the
     * error) in it; empty when nothing needs waiting for (no leader state: a single replica).
     */
    private Optional<CompletableFuture<Void>> awaitFollowers(TopicPartition topicPartition,
            DeleteRecordsResponseData.DeleteRecordsPartitionResult result, long timeoutMs) {
        Optional<PartitionLeader> leader = replicas.leader(topicPartition);
        if (leader.isEmpty()) {
            return Optional.empty();
        }
        long start = result.lowWatermark();
        if (leader.get().lowWatermark() >= start) {
            return Optional.empty();
        }
        purgatory.onAppend(topicPartition);
        return Optional.of(leader.get().awaitLowWatermark(start)
                .completeOnTimeout(Errors.REQUEST_TIMED_OUT, timeoutMs, TimeUnit.MILLISECONDS)
                .thenAccept(outcome -> {
                    if (outcome == Errors.NONE) {
                        result.setLowWatermark(leader.get().lowWatermark());
                    } else {
                        result.setErrorCode(outcome.code())
                                .setLowWatermark(DeleteRecordsResponse.INVALID_LOW_WATERMARK);
                    }
                }));
    }

    private static DeleteRecordsResponseData.DeleteRecordsPartitionResult result(int index, Errors error,
            long lowWatermark) {
        return new DeleteRecordsResponseData.DeleteRecordsPartitionResult()
                .setPartitionIndex(index)
                .setErrorCode(error.code())
                .setLowWatermark(lowWatermark);
    }
}
