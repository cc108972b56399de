package io.brook.broker.handlers.data;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FetchMetadata;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.utils.Time;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.broker.authz.Authorization;
import io.brook.broker.partition.DelayedFetchPurgatory;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.MetadataStore;
import io.brook.metadata.TopicImage;

/**
 * Fetch v4..18: reads the requested partitions (through the fetch session, KIP-227) and answers at once when at
 * least {@code min_bytes} are there, an error occurred or {@code max_wait_ms} is 0; otherwise parks the fetch in the
 * {@link DelayedFetchPurgatory} until an append brings enough bytes or the wait ends.
 *
 * <p>Fetches from a follower ({@code replica_id} before v15, {@code replica_state.replica_id} since, &ge; 0) read up
 * to the log end and record the follower's progress with the partition leader ({@link FetchReader}); consumer fetches
 * read up to the high watermark. Both get the diverging epoch when their {@code last_fetched_epoch} no longer matches
 * the leader's log.
 *
 * <p>Runs on the event loop and never blocks; a parked fetch is answered on the appending thread or the timer
 * thread.
 */
final class FetchHandler implements ApiHandler<org.apache.kafka.common.requests.FetchRequest> {

    /** Fetch v13 replaced topic names with topic ids. */
    static final short FIRST_TOPIC_ID_VERSION = 13;
    /** Fetch v12 may name the current leader of a partition this node does not lead (KIP-951). */
    static final short FIRST_LEADER_HINT_VERSION = 12;
    /** Fetch v16 added the leaders' node endpoints to the response. */
    static final short FIRST_NODE_ENDPOINTS_VERSION = 16;

    private final MetadataStore metadata;
    private final FetchReader reader;
    private final FetchSessionCache sessions;
    private final DelayedFetchPurgatory purgatory;
    private final LongConsumer wakeAt;
    private final Time time;
    private final Authorization authorization;

    /**
     * @param wakeAt asked to expire the purgatory at the given time (the timer); tests pass a no-op and expire by
     *            hand
     */
    FetchHandler(MetadataStore metadata, FetchReader reader, FetchSessionCache sessions,
            DelayedFetchPurgatory purgatory, LongConsumer wakeAt, Time time) {
        this(metadata, reader, sessions, purgatory, wakeAt, time, Authorization.ALLOW_ALL);
    }

    /** With {@code authorization}: consumers need READ on each topic, followers CLUSTER_ACTION. */
    FetchHandler(MetadataStore metadata, FetchReader reader, FetchSessionCache sessions,
            DelayedFetchPurgatory purgatory, LongConsumer wakeAt, Time time, Authorization authorization) {
        this.authorization = authorization;
        this.metadata = metadata;
        this.reader = reader;
        this.sessions = sessions;
        this.purgatory = purgatory;
        this.wakeAt = wakeAt;
        this.time = time;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FETCH;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context,
            org.apache.kafka.common.requests.FetchRequest request) {
        FetchRequestData data = request.data();
        var unknownIsolation = KnownIsolationLevel.rejectUnknown(data.isolationLevel());
        if (unknownIsolation.isPresent()) {
            return unknownIsolation.get();
        }
        boolean usesTopicIds = context.apiVersion() >= FIRST_TOPIC_ID_VERSION;
        List<FetchPartitionRequest> requested = partitionsOf(data, usesTopicIds);
        // As Kafka: unauthorized partitions are answered with an error and kept out of the fetch session.
        List<FetchPartitionKey> denied = deniedPartitions(context, request.replicaId() >= 0, requested);
        if (!denied.isEmpty()) {
            requested.removeIf(p -> denied.contains(p.key()));
        }
        FetchSessionCache.FetchContext fetchContext = sessions.newContext(data.sessionId(), data.sessionEpoch(),
                usesTopicIds, requested, forgottenOf(data, usesTopicIds), time.milliseconds());
        if (fetchContext instanceof FetchSessionCache.FetchContext.SessionError error) {
            return CompletableFuture.completedFuture(sessionError(error.error()));
        }
        FetchReader.Fetcher fetcher = request.replicaId() >= 0
                ? new FetchReader.Fetcher(request.replicaId(), request.replicaEpoch())
                : FetchReader.Fetcher.CONSUMER;
        Fetch fetch = new Fetch(fetchContext, usesTopicIds, data.maxBytes(), data.minBytes(),
                request.isolationLevel(), fetcher, context.apiVersion(), context.listenerName(), denied);
        FetchReader.Outcome outcome = fetch.read(true);
        if (data.maxWaitMs() <= 0 || fetchContext.partitions().isEmpty() || outcome.hasError() || !denied.isEmpty()
                || outcome.bytesRead() >= data.minBytes()) {
            return CompletableFuture.completedFuture(fetch.respond(outcome));
        }
        long deadlineMs = time.milliseconds() + data.maxWaitMs();
        purgatory.park(fetch, fetch.watchedPartitions(), deadlineMs);
        wakeAt.accept(deadlineMs);
        return fetch.future;
    }

    /** Followers need CLUSTER_ACTION on the cluster, consumers READ on each topic. */
    private List<FetchPartitionKey> deniedPartitions(RequestContext context, boolean follower,
            List<FetchPartitionRequest> requested) {
        if (!authorization.enabled()) {
            return List.of();
        }
        if (follower) {
            return authorization.cluster(context, AclOperation.CLUSTER_ACTION)
                    ? List.of()
                    : requested.stream().map(FetchPartitionRequest::key).toList();
        }
        MetadataImage image = metadata.image();
        List<FetchPartitionKey> denied = new ArrayList<>();
        for (FetchPartitionRequest partition : requested) {
            FetchPartitionKey key = partition.key();
            String topic = key.usesTopicId()
                    ? image.topic(key.topicId()).map(TopicImage::name).orElse(null)
                    : key.topic();
            if (topic != null && !authorization.topic(context, AclOperation.READ, topic)) {
                denied.add(key);
            }
        }
        return denied;
    }

    private static List<FetchPartitionRequest> partitionsOf(FetchRequestData data, boolean usesTopicIds) {
        List<FetchPartitionRequest> partitions = new ArrayList<>();
        for (FetchRequestData.FetchTopic topic : data.topics()) {
            for (FetchRequestData.FetchPartition partition : topic.partitions()) {
                FetchPartitionKey key = usesTopicIds
                        ? FetchPartitionKey.byId(topic.topicId(), partition.partition())
                        : FetchPartitionKey.byName(topic.topic(), partition.partition());
                partitions.add(new FetchPartitionRequest(key, partition.fetchOffset(), partition.partitionMaxBytes(),
                        partition.currentLeaderEpoch(), partition.lastFetchedEpoch(), partition.logStartOffset()));
            }
        }
        return partitions;
    }

    private static List<FetchPartitionKey> forgottenOf(FetchRequestData data, boolean usesTopicIds) {
        List<FetchPartitionKey> forgotten = new ArrayList<>();
        for (FetchRequestData.ForgottenTopic topic : data.forgottenTopicsData()) {
            for (int partition : topic.partitions()) {
                forgotten.add(usesTopicIds
                        ? FetchPartitionKey.byId(topic.topicId(), partition)
                        : FetchPartitionKey.byName(topic.topic(), partition));
            }
        }
        return forgotten;
    }

    private static FetchResponse sessionError(Errors error) {
        return FetchResponse.of(new FetchResponseData()
                .setErrorCode(error.code())
                .setSessionId(FetchMetadata.INVALID_SESSION_ID));
    }

    /** One fetch, from its first read to its response; the purgatory waiter when it has to wait. */
    private final class Fetch implements DelayedFetchPurgatory.Waiter {
        final CompletableFuture<AbstractResponse> future = new CompletableFuture<>();
        private final AtomicBoolean answered = new AtomicBoolean();
        private final FetchSessionCache.FetchContext fetchContext;
        private final boolean usesTopicIds;
        private final int responseMaxBytes;
        private final int minBytes;
        private final IsolationLevel isolationLevel;
        private final FetchReader.Fetcher fetcher;
        private final short version;
        private final String listenerName;
        private final List<FetchPartitionKey> denied;

        Fetch(FetchSessionCache.FetchContext fetchContext, boolean usesTopicIds, int responseMaxBytes, int minBytes,
                IsolationLevel isolationLevel, FetchReader.Fetcher fetcher, short version, String listenerName,
                List<FetchPartitionKey> denied) {
            this.denied = denied;
            this.fetchContext = fetchContext;
            this.usesTopicIds = usesTopicIds;
            this.responseMaxBytes = responseMaxBytes;
            this.minBytes = minBytes;
            this.isolationLevel = isolationLevel;
            this.fetcher = fetcher;
            this.version = version;
            this.listenerName = listenerName;
        }

        FetchReader.Outcome read(boolean firstRead) {
            return reader.read(metadata.image(), fetchContext.partitions(), responseMaxBytes, isolationLevel, fetcher,
                    firstRead, version >= FIRST_LEADER_HINT_VERSION);
        }

        @Override
        public boolean tryComplete() {
            if (answered.get()) {
                return true;
            }
            FetchReader.Outcome outcome = read(false);
            if (outcome.bytesRead() < minBytes && !outcome.hasError()) {
                return false;
            }
            answer(outcome);
            return true;
        }

        @Override
        public void expire() {
            if (!answered.get()) {
                answer(read(false));
            }
        }

        private void answer(FetchReader.Outcome outcome) {
            if (answered.compareAndSet(false, true)) {
                try {
                    future.complete(respond(outcome));
                } catch (RuntimeException e) {
                    future.completeExceptionally(e);
                }
            }
        }

        FetchResponse respond(FetchReader.Outcome outcome) {
            FetchSessionCache.SessionResponse sessionResponse = sessions.complete(fetchContext, outcome.responses(),
                    time.milliseconds());
            FetchResponseData response = new FetchResponseData()
                    .setErrorCode(Errors.NONE.code())
                    .setSessionId(sessionResponse.sessionId());
            FetchResponseData.FetchableTopicResponse current = null;
            for (FetchPartitionResponse partition : sessionResponse.partitions()) {
                FetchPartitionKey key = partition.key();
                if (current == null || !sameTopic(current, key)) {
                    current = new FetchResponseData.FetchableTopicResponse();
                    if (usesTopicIds) {
                        current.setTopicId(key.topicId());
                    } else {
                        current.setTopic(key.topic());
                    }
                    response.responses().add(current);
                }
                current.partitions().add(partition.data());
            }
            for (FetchPartitionKey key : denied) {
                FetchResponseData.FetchableTopicResponse topic = new FetchResponseData.FetchableTopicResponse();
                if (usesTopicIds) {
                    topic.setTopicId(key.topicId());
                } else {
                    topic.setTopic(key.topic());
                }
                topic.partitions().add(FetchResponse.partitionResponse(key.partition(),
                        Errors.TOPIC_AUTHORIZATION_FAILED));
                response.responses().add(topic);
            }
            if (version >= FIRST_NODE_ENDPOINTS_VERSION) {
                addLeaderEndpoints(response);
            }
            return FetchResponse.of(response);
        }

        /** The endpoints of the leaders named in NOT_LEADER_OR_FOLLOWER answers (KIP-951). */
        private void addLeaderEndpoints(FetchResponseData response) {
            MetadataImage image = metadata.image();
            Set<Integer> leaders = new java.util.TreeSet<>();
            response.responses().forEach(t -> t.partitions().stream().map(p -> p.currentLeader().leaderId())
                    .filter(id -> id >= 0).forEach(leaders::add));
            for (int id : leaders) {
                LeaderHints.endpoint(image, id, listenerName).ifPresent(e -> response.nodeEndpoints()
                        .add(new FetchResponseData.NodeEndpoint().setNodeId(id).setHost(e.host()).setPort(e.port())
                                .setRack(LeaderHints.rack(image, id))));
            }
        }

        private boolean sameTopic(FetchResponseData.FetchableTopicResponse topic, FetchPartitionKey key) {
            return usesTopicIds ? topic.topicId().equals(key.topicId()) : topic.topic().equals(key.topic());
        }

        /** Partitions by name, for the purgatory; ids unknown to the metadata are skipped (they answered an error). */
        Set<TopicPartition> watchedPartitions() {
            MetadataImage image = metadata.image();
            Set<TopicPartition> watched = new LinkedHashSet<>();
            for (FetchPartitionRequest request : fetchContext.partitions()) {
                FetchPartitionKey key = request.key();
                if (key.usesTopicId()) {
                    Uuid id = key.topicId();
                    image.topic(id).map(TopicImage::name)
                            .ifPresent(name -> watched.add(new TopicPartition(name, key.partition())));
                } else {
                    watched.add(new TopicPartition(key.topic(), key.partition()));
                }
            }
            return watched;
        }
    }
}
