package io.brook.broker.handlers.group;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopic;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartition;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopic;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.apache.kafka.common.requests.OffsetFetchResponse;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.MetadataStore;
import io.brook.metadata.TopicImage;

/**
 * OffsetFetch: one group (v1–7) or several (v8+), named topics or all. Plain commits are stable as soon as they are
 * answered (acknowledged only when durable); offsets pending in an open transaction (TxnOffsetCommit) are never shown,
 * and with {@code require_stable} (v7+) their partitions answer UNSTABLE_OFFSET_COMMIT, which the client retries.
 * v10 names topics by id.
 */
final class OffsetFetchHandler implements ApiHandler<OffsetFetchRequest> {

    private final GroupCoordinator coordinator;
    private final MetadataStore metadata;

    OffsetFetchHandler(GroupCoordinator coordinator, MetadataStore metadata) {
        this.coordinator = coordinator;
        this.metadata = metadata;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_FETCH;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, OffsetFetchRequest request) {
        short version = context.apiVersion();
        if (version >= 8) {
            List<CompletableFuture<OffsetFetchResponseGroup>> futures = new ArrayList<>();
            MetadataImage image = metadata.image();
            for (OffsetFetchRequestGroup group : request.data().groups()) {
                String memberId = version >= 9 ? group.memberId() : null;
                int memberEpoch = version >= 9 ? group.memberEpoch() : -1;
                futures.add(fetch(group.groupId(), topicsOf(group.topics(), version, image), memberId, memberEpoch,
                        request.data().requireStable())
                        .thenApply(g -> version >= 10 ? withTopicIds(g, image) : g));
            }
            return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                    .thenApply(ignored -> new OffsetFetchResponse(new OffsetFetchResponseData()
                            .setGroups(futures.stream().map(CompletableFuture::join).toList()), version));
        }
        Map<String, List<Integer>> topics = null;
        if (request.data().topics() != null) {
            topics = new LinkedHashMap<>();
            for (OffsetFetchRequestTopic t : request.data().topics()) {
                topics.put(t.name(), t.partitionIndexes());
            }
        }
        return fetch(request.data().groupId(), topics, null, -1, version >= 7 && request.data().requireStable())
                .thenApply(group -> {
                    OffsetFetchResponseData data = new OffsetFetchResponseData();
                    if (version >= 2) {
                        data.setErrorCode(group.errorCode());
                    }
                    for (OffsetFetchResponseTopics t : group.topics()) {
                        OffsetFetchResponseTopic topic = new OffsetFetchResponseTopic().setName(t.name());
                        for (OffsetFetchResponsePartitions p : t.partitions()) {
                            topic.partitions()
                                    .add(new OffsetFetchResponsePartition().setPartitionIndex(p.partitionIndex())
                                            .setCommittedOffset(p.committedOffset())
                                            .setCommittedLeaderEpoch(version >= 5 ? p.committedLeaderEpoch() : -1)
                                            .setMetadata(p.metadata())
                                            .setErrorCode(version < 2 && group.errorCode() != 0
                                                    ? group.errorCode()
                                                    : p.errorCode()));
                        }
                        data.topics().add(topic);
                    }
                    return new OffsetFetchResponse(data, version);
                });
    }

    private Map<String, List<Integer>> topicsOf(List<OffsetFetchRequestTopics> requested, short version,
            MetadataImage image) {
        if (requested == null) {
            return null;
        }
        Map<String, List<Integer>> topics = new LinkedHashMap<>();
        for (OffsetFetchRequestTopics t : requested) {
            String name = version >= 10 ? image.topic(t.topicId()).map(TopicImage::name).orElse(null) : t.name();
            if (name != null) {
                topics.put(name, t.partitionIndexes());
            }
        }
        return topics;
    }

    private static OffsetFetchResponseGroup withTopicIds(OffsetFetchResponseGroup group, MetadataImage image) {
        for (OffsetFetchResponseTopics t : group.topics()) {
            Optional<TopicImage> topic = image.topic(t.name());
            t.setTopicId(topic.map(TopicImage::id).orElse(Uuid.ZERO_UUID));
            t.setName("");
        }
        group.topics().removeIf(t -> t.topicId().equals(Uuid.ZERO_UUID));
        return group;
    }

    private CompletableFuture<OffsetFetchResponseGroup> fetch(String groupId, Map<String, List<Integer>> topics,
            String memberId, int memberEpoch, boolean requireStable) {
        if (groupId == null) {
            return CompletableFuture.completedFuture(
                    new OffsetFetchResponseGroup().setGroupId(groupId).setErrorCode(Errors.INVALID_GROUP_ID.code()));
        }
        return coordinator.read(groupId,
                (shard, now) -> shard.fetchOffsets(groupId, topics, memberId, memberEpoch, requireStable),
                error -> new OffsetFetchResponseGroup().setGroupId(groupId).setErrorCode(error.code()));
    }
}
