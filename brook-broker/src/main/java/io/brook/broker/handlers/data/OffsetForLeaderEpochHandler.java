package io.brook.broker.handlers.data;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.broker.partition.LocalPartitions;
import io.brook.broker.replication.PartitionLeader;
import io.brook.broker.replication.ReplicaManager;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.MetadataStore;

/**
 * OffsetForLeaderEpoch (KIP-101, KIP-320), every version kafka-clients parses: for each partition, the largest leader
 * epoch at or below the requested one and the offset where it ends in the leader's log. Consumers ask after a leader
 * change to detect truncation; followers may ask too. The partition's leader answers after the KIP-320 check of the
 * caller's current leader epoch (FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH); a follower answers
 * NOT_LEADER_OR_FOLLOWER. An epoch this log cannot place gets UNDEFINED_EPOCH / UNDEFINED_EPOCH_OFFSET.
 *
 * <p>Reads the leader epoch cache only; runs on the event loop.
 */
final class OffsetForLeaderEpochHandler implements ApiHandler<OffsetsForLeaderEpochRequest> {

    private final MetadataStore metadata;
    private final LocalPartitions partitions;
    private final ReplicaManager replicas;

    OffsetForLeaderEpochHandler(MetadataStore metadata, LocalPartitions partitions, ReplicaManager replicas) {
        this.metadata = metadata;
        this.partitions = partitions;
        this.replicas = replicas;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_FOR_LEADER_EPOCH;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, OffsetsForLeaderEpochRequest request) {
        MetadataImage image = metadata.image();
        OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochResponseData();
        for (OffsetForLeaderTopic topic : request.data().topics()) {
            OffsetForLeaderTopicResult result = new OffsetForLeaderTopicResult().setTopic(topic.topic());
            response.topics().add(result);
            for (OffsetForLeaderPartition partition : topic.partitions()) {
                result.partitions().add(answer(image, topic.topic(), partition));
            }
        }
        return CompletableFuture.completedFuture(new OffsetsForLeaderEpochResponse(response));
    }

    private EpochEndOffset answer(MetadataImage image, String topic, OffsetForLeaderPartition request) {
        int index = request.partition();
        LocalPartitions.Lookup lookup = partitions.lookup(image, topic, index);
        Errors error = LeaderEpochs.check(request.currentLeaderEpoch(), lookup);
        if (error != Errors.NONE) {
            return undefined(index, error);
        }
        Optional<PartitionLeader> leader = replicas.leader(lookup.partition().topicPartition());
        if (leader.isEmpty()) {
            return undefined(index, Errors.NOT_LEADER_OR_FOLLOWER);
        }
        try {
            io.brook.storage.EpochEndOffset end = leader.get().endOffsetForEpoch(request.leaderEpoch());
            return new EpochEndOffset()
                    .setPartition(index)
                    .setErrorCode(Errors.NONE.code())
                    .setLeaderEpoch(end.epoch())
                    .setEndOffset(end.endOffset());
        } catch (RuntimeException e) {
            return undefined(index, DataPathErrors.forException(e, "OffsetForLeaderEpoch of " + topic + "-" + index));
        }
    }

    private static EpochEndOffset undefined(int index, Errors error) {
        return new EpochEndOffset()
                .setPartition(index)
                .setErrorCode(error.code())
                .setLeaderEpoch(OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH)
                .setEndOffset(OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH_OFFSET);
    }
}
