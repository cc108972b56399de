package io.brook.broker.handlers.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.broker.BrokerServices;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.broker.authz.Authorization;
import io.brook.broker.metrics.BrokerMetrics;
import io.brook.broker.partition.DelayedFetchPurgatory;
import io.brook.broker.partition.LocalPartitions;
import io.brook.broker.partition.LogConfigResolver;
import io.brook.broker.partition.Partition;
import io.brook.broker.replication.PartitionLeader;
import io.brook.broker.replication.ReplicaManager;
import io.brook.broker.txn.TransactionVerifier;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.MetadataStore;
import io.brook.metadata.TopicImage;
import io.brook.storage.LogAppendInfo;
import io.brook.storage.RejectedRecord;
import io.brook.storage.RejectedRecords;

/**
 * Produce v3..13: validates and appends each partition's batch on the calling event loop (a page-cache write), wakes
 * the fetches waiting on that partition, and answers: acks=0 never, acks=1 at once, acks=all once, for every appended
 * partition, the high watermark has passed the batch (every ISR member has it) <em>and</em> the leader has fsynced
 * it ({@code PartitionLog.awaitDurable}, group commit), or with REQUEST_TIMED_OUT after the request's
 * {@code timeout_ms}. The event loop never waits.
 *
 * <p>acks=all needs at least {@code min.insync.replicas} in the ISR: fewer is NOT_ENOUGH_REPLICAS before the append,
 * and NOT_ENOUGH_REPLICAS_AFTER_APPEND if the ISR shrank below it by the time the high watermark got there (Kafka's
 * rules). A partition this node does not lead is NOT_LEADER_OR_FOLLOWER.
 *
 * <p>Transactional batches need the request's {@code transactional_id} (else TRANSACTIONAL_ID_AUTHORIZATION_FAILED, as
 * Kafka answers). Before the first append of a producer's transaction to a partition, the {@link TransactionVerifier}
 * registered in {@link BrokerServices} (if any) is asked whether the transaction includes the partition (from v12,
 * transaction version 2, to add it; {@link ProduceTransactionVerification}), and its error is the answer; the append
 * then runs on the thread completing the verification. A producer's later batches to that partition wait for it
 * ({@link ProducerAppendOrder}: requests are pipelined, and must not be appended out of order). Without a verifier
 * the batch is appended at once.
 *
 * <p>With acks=0 an error cannot be reported (Kafka closes the connection instead; the handler contract has no way
 * to ask for that), so it is only logged at debug level.
 */
final class ProduceHandler implements ApiHandler<ProduceRequest> {

    /** Produce v13 replaced topic names with topic ids. */
    static final short FIRST_TOPIC_ID_VERSION = 13;
    /** Produce v10 added the current leader and node endpoints to NOT_LEADER_OR_FOLLOWER answers (KIP-951). */
    static final short FIRST_LEADER_HINT_VERSION = 10;
    /** Produce v0..2 carry old message formats Brook does not store; the registry answers them. */
    static final short MIN_VERSION = 3;
    /** The client id of Kafka's admin tools, which may write to internal topics. */
    private static final String ADMIN_CLIENT_ID = "__admin_client";

    private static final Logger LOG = LoggerFactory.getLogger(ProduceHandler.class);

    private final MetadataStore metadata;
    private final LocalPartitions partitions;
    private final DelayedFetchPurgatory purgatory;
    private final ReplicaManager replicas;
    private final LogConfigResolver configs;
    private final BrokerServices services;
    private final ProduceTransactionVerification verification;
    private final ProducerAppendOrder appendOrder = new ProducerAppendOrder();
    private final Authorization authorization;
    private final BrokerMetrics metrics;

    ProduceHandler(MetadataStore metadata, LocalPartitions partitions, DelayedFetchPurgatory purgatory,
            ReplicaManager replicas, LogConfigResolver configs) {
        this(metadata, partitions, purgatory, replicas, configs, new BrokerServices());
    }

    /** With {@code services} to find the transaction coordinator's {@link TransactionVerifier} in, per request. */
    ProduceHandler(MetadataStore metadata, LocalPartitions partitions, DelayedFetchPurgatory purgatory,
            ReplicaManager replicas, LogConfigResolver configs, BrokerServices services) {
        this(metadata, partitions, purgatory, replicas, configs, services, Time.SYSTEM);
    }

    /** As above, with the clock that bounds the retries of a verification. */
    ProduceHandler(MetadataStore metadata, LocalPartitions partitions, DelayedFetchPurgatory purgatory,
            ReplicaManager replicas, LogConfigResolver configs, BrokerServices services, Time time) {
        this.verification = new ProduceTransactionVerification(time);
        this.metadata = metadata;
        this.partitions = partitions;
        this.purgatory = purgatory;
        this.replicas = replicas;
        this.configs = configs;
        this.services = services;
        this.authorization = Authorization.of(services);
        this.metrics = BrokerMetrics.of(services);
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.PRODUCE;
    }

    @Override
    public short minVersion() {
        return MIN_VERSION;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, ProduceRequest request) {
        short version = context.apiVersion();
        short acks = request.acks();
        boolean usesTopicIds = version >= FIRST_TOPIC_ID_VERSION;
        boolean validAcks = acks == -1 || acks == 0 || acks == 1;
        MetadataImage image = metadata.image();
        String transactionalId = request.data().transactionalId();
        if (transactionalId != null
                && !authorization.transactionalId(context, AclOperation.WRITE, transactionalId)) {
            throw new TransactionalIdAuthorizationException("Transactional id authorization failed");
        }

        ProduceResponseData response = new ProduceResponseData();
        List<PendingPartition> pending = new ArrayList<>();
        Set<Integer> leaders = new TreeSet<>();
        for (ProduceRequestData.TopicProduceData topic : request.data().topicData()) {
            ProduceResponseData.TopicProduceResponse topicResponse = new ProduceResponseData.TopicProduceResponse();
            if (usesTopicIds) {
                topicResponse.setTopicId(topic.topicId());
            } else {
                topicResponse.setName(topic.name());
            }
            response.responses().add(topicResponse);
            for (ProduceRequestData.PartitionProduceData partition : topic.partitionData()) {
                CompletableFuture<Appended> appended = validAcks
                        ? append(context, version, acks, image, topic, partition, leaders,
                                request.data().transactionalId())
                        : CompletableFuture.completedFuture(
                                Appended.failed(failed(partition.index(), Errors.INVALID_REQUIRED_ACKS, null)));
                pending.add(new PendingPartition(topicResponse, appended));
            }
        }
        // Without transaction verification every future is complete and this runs on the calling thread.
        return CompletableFuture.allOf(pending.stream().map(PendingPartition::appended)
                .toArray(CompletableFuture[]::new))
                .thenCompose(ignored -> respond(context, acks, image, request, response, pending, leaders));
    }

    /** One partition of the request, in request order, and its append (which may wait for verification). */
    private record PendingPartition(ProduceResponseData.TopicProduceResponse topicResponse,
            CompletableFuture<Appended> appended) {
    }

    private CompletableFuture<AbstractResponse> respond(RequestContext context, short acks, MetadataImage image,
            ProduceRequest request, ProduceResponseData response, List<PendingPartition> pending,
            Set<Integer> leaders) {
        List<CompletableFuture<Void>> durability = new ArrayList<>();
        for (PendingPartition partition : pending) {
            Appended appended = partition.appended().join();
            partition.topicResponse().partitionResponses().add(appended.response);
            if (acks == -1 && appended.lastOffset >= 0) {
                durability.add(awaitReplicatedAndDurable(appended, appended.response, request.timeout()));
            }
        }
        for (int leaderId : leaders) {
            LeaderHints.endpoint(image, leaderId, context.listenerName()).ifPresent(e -> response.nodeEndpoints()
                    .add(new ProduceResponseData.NodeEndpoint().setNodeId(leaderId).setHost(e.host())
                            .setPort(e.port()).setRack(LeaderHints.rack(image, leaderId))));
        }
        if (acks == 0) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("acks=0 produce from {} answered nothing: {}", context.clientId(), response);
            }
            return CompletableFuture.completedFuture(null);
        }
        if (durability.isEmpty()) {
            return CompletableFuture.completedFuture(new ProduceResponse(response));
        }
        return CompletableFuture.allOf(durability.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> new ProduceResponse(response));
    }

    /**
     * Waits for the high watermark to pass the appended records and for their fsync on this leader; a failure, a
     * shrunk ISR or the timeout becomes that partition's error. Never completes exceptionally.
     */
    private static CompletableFuture<Void> awaitReplicatedAndDurable(Appended appended,
            ProduceResponseData.PartitionProduceResponse response, int timeoutMs) {
        long end = appended.lastOffset + 1;
        CompletableFuture<Errors> replicated = appended.leader.awaitHighWatermark(end, appended.minInsyncReplicas)
                .completeOnTimeout(Errors.REQUEST_TIMED_OUT, Math.max(0, timeoutMs), TimeUnit.MILLISECONDS);
        CompletableFuture<Void> durable;
        try {
            durable = appended.partition.log().awaitDurable(end);
        } catch (RuntimeException e) {
            durable = CompletableFuture.failedFuture(e);
        }
        return durable.handle((ignored, error) -> error).thenCombine(replicated, (error, outcome) -> {
            if (error != null) {
                Errors mapped = DataPathErrors.forException(error,
                        "fsync of " + appended.partition.topicPartition());
                fail(response, mapped, DataPathErrors.unwrap(error).getMessage());
            } else if (outcome != Errors.NONE) {
                fail(response, outcome, outcome == Errors.REQUEST_TIMED_OUT
                        ? "The ISR did not replicate the records within " + timeoutMs + " ms"
                        : outcome.message());
            }
            return null;
        });
    }

    private static void fail(ProduceResponseData.PartitionProduceResponse response, Errors error, String message) {
        response.setErrorCode(error.code())
                .setErrorMessage(message)
                .setBaseOffset(ProduceResponse.INVALID_OFFSET)
                .setLogAppendTimeMs(-1)
                .setLogStartOffset(-1);
    }

    private CompletableFuture<Appended> append(RequestContext context, short version, short acks,
            MetadataImage image, ProduceRequestData.TopicProduceData topic,
            ProduceRequestData.PartitionProduceData data,
            Set<Integer> leaders, String transactionalId) {
        Appended checked = check(context, version, acks, image, topic, data, leaders);
        if (checked.failed()) {
            return CompletableFuture.completedFuture(checked);
        }
        MemoryRecords records = (MemoryRecords) data.records();
        Optional<MutableRecordBatch> transactional = firstTransactionalBatch(records);
        if (transactional.isEmpty()) {
            return CompletableFuture.completedFuture(appendChecked(checked, records));
        }
        if (transactionalId == null) {
            return CompletableFuture.completedFuture(Appended.failed(failed(data.index(),
                    Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, "Transactional records need a transactional id")));
        }
        long producerId = transactional.get().producerId();
        short producerEpoch = transactional.get().producerEpoch();
        Optional<TransactionVerifier> verifier = services.find(TransactionVerifier.class);
        if (verifier.isEmpty()) {
            return CompletableFuture.completedFuture(appendChecked(checked, records));
        }
        // After the producer's earlier batches to the partition, which may still wait for their verification.
        return appendOrder.run(checked.partition.topicPartition(), producerId, () -> {
            if (checked.partition.log().hasOngoingTransaction(producerId, producerEpoch)) {
                return CompletableFuture.completedFuture(appendChecked(checked, records));
            }
            return verification
                    .verify(verifier.get(), version, transactionalId, producerId, producerEpoch,
                            checked.partition.topicPartition())
                    .thenApply(outcome -> outcome.error() == Errors.NONE
                            ? appendChecked(checked, records)
                            : Appended.failed(failed(data.index(), outcome.error(), outcome.message())));
        });
    }

    private static Optional<MutableRecordBatch> firstTransactionalBatch(MemoryRecords records) {
        for (MutableRecordBatch batch : records.batches()) {
            if (batch.isTransactional()) {
                return Optional.of(batch);
            }
        }
        return Optional.empty();
    }

    /**
     * Everything checked before the append: the partition, its leadership, the batches and the ISR. Returns a failed
     * {@link Appended} or one holding the partition, its leader and min ISR, with no response yet.
     */
    private Appended check(RequestContext context, short version, short acks, MetadataImage image,
            ProduceRequestData.TopicProduceData topic, ProduceRequestData.PartitionProduceData data,
            Set<Integer> leaders) {
        int index = data.index();
        String topicName = version >= FIRST_TOPIC_ID_VERSION
                ? image.topic(topic.topicId()).map(TopicImage::name).orElse(null)
                : topic.name();
        if (topicName != null && !authorization.topic(context, AclOperation.WRITE, topicName)) {
            return Appended.failed(failed(index, Errors.TOPIC_AUTHORIZATION_FAILED, null));
        }
        LocalPartitions.Lookup lookup;
        if (version >= FIRST_TOPIC_ID_VERSION) {
            lookup = partitions.lookup(image, topic.topicId(), index);
        } else {
            if (!Topic.isValid(topic.name())) {
                return Appended.failed(failed(index, Errors.INVALID_TOPIC_EXCEPTION, null));
            }
            lookup = partitions.lookup(image, topic.name(), index);
        }
        if (!lookup.found()) {
            ProduceResponseData.PartitionProduceResponse response = failed(index, lookup.error(), null);
            if (version >= FIRST_LEADER_HINT_VERSION) {
                LeaderHints.followedPartition(lookup).ifPresent(p -> {
                    response.currentLeader().setLeaderId(p.leaderId()).setLeaderEpoch(p.leaderEpoch());
                    leaders.add(p.leaderId());
                });
            }
            return Appended.failed(response);
        }
        Partition partition = lookup.partition();
        TopicPartition topicPartition = partition.topicPartition();
        if (Topic.isInternal(topicPartition.topic()) && !ADMIN_CLIENT_ID.equals(context.clientId())) {
            return Appended.failed(failed(index, Errors.INVALID_TOPIC_EXCEPTION,
                    "Cannot append to internal topic " + topicPartition.topic()));
        }
        BaseRecords base = data.records();
        if (!(base instanceof MemoryRecords records)) {
            return Appended.failed(failed(index, Errors.CORRUPT_MESSAGE, "Produce request carries no records"));
        }
        try {
            ProduceRequest.validateRecords(version, records);
        } catch (ApiException e) {
            return Appended.failed(failed(index, Errors.forException(e), e.getMessage()));
        }
        Errors invalid = checkBatches(records, partition);
        if (invalid != Errors.NONE) {
            return Appended.failed(failed(index, invalid, invalidMessage(invalid, records, partition)));
        }
        Optional<PartitionLeader> leader = replicas.leader(topicPartition);
        if (leader.isEmpty() || leader.get().leaderEpoch() != partition.leaderEpoch()) {
            return Appended.failed(failed(index, Errors.NOT_LEADER_OR_FOLLOWER, null));
        }
        TopicImage topicImage = image.topic(topicPartition.topic()).orElse(null);
        int minInsyncReplicas = leader.get().effectiveMinInsyncReplicas(topicImage == null
                ? 1
                : configs.minInsyncReplicas(image.brokerConfigs(), topicImage.configs()));
        int inSync = leader.get().inSyncReplicaCount();
        if (acks == -1 && inSync < minInsyncReplicas) {
            return Appended.failed(failed(index, Errors.NOT_ENOUGH_REPLICAS, "The size of the current ISR " + inSync
                    + " is insufficient to satisfy the min.isr requirement of " + minInsyncReplicas
                    + " for partition " + topicPartition));
        }
        return new Appended(null, partition, leader.get(), minInsyncReplicas, -1);
    }

    /** Appends records that passed {@link #check} and answers for them. */
    private Appended appendChecked(Appended checked, MemoryRecords records) {
        Partition partition = checked.partition;
        TopicPartition topicPartition = partition.topicPartition();
        int index = topicPartition.partition();
        try {
            LogAppendInfo info = partition.log().appendAsLeader(records, partition.leaderEpoch());
            if (!info.duplicate()) {
                metrics.onProduce(topicPartition.topic(), records.sizeInBytes(),
                        info.lastOffset() - info.firstOffset() + 1);
                checked.leader.onLocalAppend();
                purgatory.onAppend(topicPartition);
            }
            ProduceResponseData.PartitionProduceResponse response = new ProduceResponseData.PartitionProduceResponse()
                    .setIndex(index)
                    .setErrorCode(Errors.NONE.code())
                    .setBaseOffset(info.firstOffset())
                    .setLogAppendTimeMs(info.logAppendTime())
                    .setLogStartOffset(info.logStartOffset());
            return new Appended(response, partition, checked.leader, checked.minInsyncReplicas, info.lastOffset());
        } catch (RuntimeException e) {
            Errors mapped = DataPathErrors.forException(e, "append to " + topicPartition);
            ProduceResponseData.PartitionProduceResponse response = failed(index, mapped, e.getMessage());
            if (e instanceof RejectedRecords rejected) {
                // KIP-467: the producer fails the named records with their reason, the rest of the batch with it
                for (RejectedRecord record : rejected.rejectedRecords()) {
                    response.recordErrors().add(new ProduceResponseData.BatchIndexAndErrorMessage()
                            .setBatchIndex(record.batchIndex()).setBatchIndexErrorMessage(record.message()));
                }
            }
            return Appended.failed(response);
        }
    }

    /**
     * Checks Kafka applies before the log does: a batch above {@code max.message.bytes} is MESSAGE_TOO_LARGE, a
     * control batch from a client is INVALID_RECORD.
     */
    private static Errors checkBatches(MemoryRecords records, Partition partition) {
        if (records.sizeInBytes() > partition.config().segmentBytes()) {
            return Errors.RECORD_LIST_TOO_LARGE;
        }
        for (MutableRecordBatch batch : records.batches()) {
            if (batch.sizeInBytes() > partition.config().maxMessageBytes()) {
                return Errors.MESSAGE_TOO_LARGE;
            }
            if (batch.isControlBatch()) {
                // only a transaction coordinator writes commit/abort markers, never a producer
                return Errors.INVALID_RECORD;
            }
        }
        return Errors.NONE;
    }

    private static String invalidMessage(Errors error, MemoryRecords records, Partition partition) {
        return switch (error) {
            case MESSAGE_TOO_LARGE -> "A batch of " + partition.topicPartition() + " is larger than max.message.bytes="
                    + partition.config().maxMessageBytes();
            case RECORD_LIST_TOO_LARGE -> "Records of " + records.sizeInBytes() + " bytes exceed segment.bytes="
                    + partition.config().segmentBytes();
            case INVALID_RECORD -> "Clients may not append control batches (transaction markers)";
            default -> error.message();
        };
    }

    private static ProduceResponseData.PartitionProduceResponse failed(int index, Errors error, String message) {
        return new ProduceResponseData.PartitionProduceResponse()
                .setIndex(index)
                .setErrorCode(error.code())
                .setErrorMessage(message)
                .setBaseOffset(ProduceResponse.INVALID_OFFSET)
                .setLogAppendTimeMs(-1)
                .setLogStartOffset(-1);
    }

    /** One partition's append: its response and, when it succeeded, where the records ended. */
    private record Appended(ProduceResponseData.PartitionProduceResponse response, Partition partition,
            PartitionLeader leader, int minInsyncReplicas, long lastOffset) {

        static Appended failed(ProduceResponseData.PartitionProduceResponse response) {
            return new Appended(response, null, null, 0, -1);
        }

        boolean failed() {
            return partition == null;
        }
    }
}
