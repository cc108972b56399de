package io.brook.broker.handlers.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetCommitResponse;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.metadata.MetadataStore;
import io.brook.metadata.TopicImage;

/**
 * OffsetCommit: answered once the commit records are durable. v10 names topics by id; an unknown id gets
 * UNKNOWN_TOPIC_ID.
 */
final class OffsetCommitHandler implements ApiHandler<OffsetCommitRequest> {

    private final GroupCoordinator coordinator;
    private final MetadataStore metadata;

    OffsetCommitHandler(GroupCoordinator coordinator, MetadataStore metadata) {
        this.coordinator = coordinator;
        this.metadata = metadata;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_COMMIT;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, OffsetCommitRequest request) {
        short version = context.apiVersion();
        OffsetCommitRequestData data = request.data();
        List<OffsetCommitResponseTopic> unknown = new ArrayList<>();
        if (version >= 10) {
            List<OffsetCommitRequestTopic> known = new ArrayList<>();
            for (OffsetCommitRequestTopic topic : data.topics()) {
                Optional<TopicImage> image = metadata.image().topic(topic.topicId());
                if (image.isPresent()) {
                    known.add(topic.setName(image.get().name()));
                } else {
                    unknown.add(failed(topic, Errors.UNKNOWN_TOPIC_ID));
                }
            }
            data.setTopics(known);
        }
        if (data.groupId() == null) {
            return CompletableFuture.completedFuture(failedAll(data, Errors.INVALID_GROUP_ID, unknown, version));
        }
        return coordinator.<OffsetCommitResponseData>write(data.groupId(),
                (shard, now, f) -> shard.commitOffsets(data, version, now, f),
                error -> errorResponse(data, error)).thenApply(response -> {
                    response.topics().addAll(unknown);
                    if (version < 10) {
                        response.topics().forEach(t -> t.setTopicId(Uuid.ZERO_UUID));
                    } else {
                        response.topics().forEach(t -> t.setName(""));
                    }
                    return new OffsetCommitResponse(response);
                });
    }

    private static AbstractResponse failedAll(OffsetCommitRequestData data, Errors error,
            List<OffsetCommitResponseTopic> unknown, short version) {
        OffsetCommitResponseData response = errorResponse(data, error);
        response.topics().addAll(unknown);
        return new OffsetCommitResponse(response);
    }

    private static OffsetCommitResponseData errorResponse(OffsetCommitRequestData data, Errors error) {
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        data.topics().forEach(t -> response.topics().add(failed(t, error)));
        return response;
    }

    private static OffsetCommitResponseTopic failed(OffsetCommitRequestTopic topic, Errors error) {
        OffsetCommitResponseTopic t = new OffsetCommitResponseTopic().setName(topic.name())
                .setTopicId(topic.topicId());
        topic.partitions().forEach(p -> t.partitions().add(new OffsetCommitResponsePartition()
                .setPartitionIndex(p.partitionIndex()).setErrorCode(error.code())));
        return t;
    }
}
