package io.brook.broker.handlers.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.TxnOffsetCommitRequest;
import org.apache.kafka.common.requests.TxnOffsetCommitResponse;

import io.brook.broker.BrokerServices;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.broker.replication.CoordinatorErrors;
import io.brook.broker.txn.TransactionVerifier;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.MetadataStore;
import io.brook.metadata.TopicImage;

/**
 * TxnOffsetCommit (v0-5): offsets committed inside a transaction. As Kafka: partitions of unknown topics answer
 * UNKNOWN_TOPIC_OR_PARTITION; when a {@link TransactionVerifier} is registered, the transaction coordinator is asked
 * first whether the producer's transaction includes the group's {@code __consumer_offsets} partition (v5, transaction
 * version 2, adds it); then the group coordinator validates the group and member, and writes the offsets in a
 * transactional batch of the producer, answered once replicated. The offsets stay pending until the producer's marker.
 * v6 (topic ids, KIP-1319) is not served.
 */
final class TxnOffsetCommitHandler implements ApiHandler<TxnOffsetCommitRequest> {

    private static final short MAX_VERSION = 5;

    private final GroupCoordinator coordinator;
    private final MetadataStore metadata;
    private final BrokerServices services;

    TxnOffsetCommitHandler(GroupCoordinator coordinator, MetadataStore metadata, BrokerServices services) {
        this.coordinator = coordinator;
        this.metadata = metadata;
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.TXN_OFFSET_COMMIT;
    }

    @Override
    public short maxVersion() {
        return MAX_VERSION;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, TxnOffsetCommitRequest request) {
        short version = context.apiVersion();
        TxnOffsetCommitRequestData data = request.data();
        if (data.groupId() == null || data.groupId().isEmpty()) {
            return CompletableFuture.completedFuture(respond(errorResponse(data.topics(), Errors.INVALID_GROUP_ID),
                    version));
        }
        MetadataImage image = metadata.image();
        List<TxnOffsetCommitResponseTopic> unknown = new ArrayList<>();
        List<TxnOffsetCommitRequestTopic> known = new ArrayList<>();
        for (TxnOffsetCommitRequestTopic topic : data.topics()) {
            Optional<TopicImage> t = image.topic(topic.name());
            TxnOffsetCommitRequestTopic valid = new TxnOffsetCommitRequestTopic().setName(topic.name());
            TxnOffsetCommitResponseTopic invalid = new TxnOffsetCommitResponseTopic().setName(topic.name());
            for (var p : topic.partitions()) {
                if (t.isPresent() && p.partitionIndex() >= 0 && p.partitionIndex() < t.get().partitionCount()) {
                    valid.partitions().add(p);
                } else {
                    invalid.partitions().add(new TxnOffsetCommitResponsePartition()
                            .setPartitionIndex(p.partitionIndex())
                            .setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
                }
            }
            if (!valid.partitions().isEmpty()) {
                known.add(valid);
            }
            if (!invalid.partitions().isEmpty()) {
                unknown.add(invalid);
            }
        }
        if (known.isEmpty()) {
            return CompletableFuture.completedFuture(respond(new TxnOffsetCommitResponseData().setTopics(unknown),
                    version));
        }
        data.setTopics(known);
        return verify(data, version, image).thenCompose(error -> error != Errors.NONE
                ? CompletableFuture.completedFuture(errorResponse(known, error))
                : coordinator.<TxnOffsetCommitResponseData>writeTransactional(data.groupId(),
                        new GroupCoordinator.TransactionalProducer(data.producerId(), data.producerEpoch()),
                        (shard, now, f) -> shard.commitTransactionalOffsets(data, version, now, f),
                        e -> errorResponse(known, e)))
                .thenApply(response -> {
                    response.topics().addAll(unknown);
                    return respond(response, version);
                });
    }

    /** Asks the transaction coordinator, if one is registered, whether the transaction includes the partition. */
    private CompletableFuture<Errors> verify(TxnOffsetCommitRequestData data, short version, MetadataImage image) {
        Optional<TransactionVerifier> verifier = services.find(TransactionVerifier.class);
        Optional<TopicImage> offsets = image.topic(Topic.GROUP_METADATA_TOPIC_NAME);
        if (verifier.isEmpty() || offsets.isEmpty()) {
            // Without the offsets topic the coordinator answers (COORDINATOR_NOT_AVAILABLE) on its own.
            return CompletableFuture.completedFuture(Errors.NONE);
        }
        TopicPartition partition = new TopicPartition(Topic.GROUP_METADATA_TOPIC_NAME,
                GroupCoordinator.partitionFor(data.groupId(), offsets.get().partitionCount()));
        return verifier.get().verify(data.transactionalId(), data.producerId(), data.producerEpoch(), partition,
                version >= 5).thenApply(e -> e == Errors.NONE ? e : CoordinatorErrors.normalize(e.exception()));
    }

    private static AbstractResponse respond(TxnOffsetCommitResponseData response, short version) {
        if (version < 2) {
            // As Kafka: clients before 2.0 do not know COORDINATOR_LOAD_IN_PROGRESS here (KAFKA-7296).
            response.topics().forEach(t -> t.partitions().forEach(p -> {
                if (p.errorCode() == Errors.COORDINATOR_LOAD_IN_PROGRESS.code()) {
                    p.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
                }
            }));
        }
        return new TxnOffsetCommitResponse(response);
    }

    private static TxnOffsetCommitResponseData errorResponse(List<TxnOffsetCommitRequestTopic> topics, Errors error) {
        TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData();
        for (TxnOffsetCommitRequestTopic topic : topics) {
            TxnOffsetCommitResponseTopic t = new TxnOffsetCommitResponseTopic().setName(topic.name());
            topic.partitions().forEach(p -> t.partitions().add(new TxnOffsetCommitResponsePartition()
                    .setPartitionIndex(p.partitionIndex()).setErrorCode(error.code())));
            response.topics().add(t);
        }
        return response;
    }
}
