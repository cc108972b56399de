package io.brook.broker.handlers.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.utils.Time;

import io.brook.broker.metrics.BrokerMetrics;
import io.brook.broker.partition.LocalPartitions;
import io.brook.broker.partition.Partition;
import io.brook.broker.replication.Divergence;
import io.brook.broker.replication.PartitionLeader;
import io.brook.broker.replication.ReplicaManager;
import io.brook.metadata.MetadataImage;
import io.brook.storage.AbortedTxn;
import io.brook.storage.EpochEndOffset;
import io.brook.storage.FetchIsolation;
import io.brook.storage.LogReadResult;

/**
 * Reads the partitions of one fetch within its limits: each partition gets at most its {@code partition_max_bytes}
 * and all together at most the request's {@code max_bytes}, except that the first partition with data always gets
 * one whole batch even if larger (KIP-74), so a consumer can never get stuck behind a big batch.
 *
 * <p>Consumers read up to the high watermark, read_committed ones up to the last stable offset with the aborted
 * transactions in that range; a follower (a fetch with a replica id) reads up to the log end, and its
 * first read of a request records its progress with the partition's {@link PartitionLeader} (which may move the high
 * watermark and the ISR). A fetch whose last fetched epoch has diverged from the leader's log gets the diverging epoch
 * and no records (Kafka's {@code Partition.fetchRecords}).
 *
 * <p>Records are returned as the storage gave them (file slices): nothing is copied. Stateless apart from its
 * dependencies; thread-safe.
 */
final class FetchReader {

    private final LocalPartitions partitions;
    private final ReplicaManager replicas;
    private final Time time;
    private final BrokerMetrics metrics;

    FetchReader(LocalPartitions partitions, ReplicaManager replicas, Time time) {
        this(partitions, replicas, time, BrokerMetrics.NONE);
    }

    /** With the metrics that count the bytes each read returns. */
    FetchReader(LocalPartitions partitions, ReplicaManager replicas, Time time, BrokerMetrics metrics) {
        this.partitions = partitions;
        this.replicas = replicas;
        this.time = time;
        this.metrics = metrics;
    }

    /** Who fetches: a consumer ({@code replicaId} &lt; 0) or a follower with its broker epoch. */
    record Fetcher(int replicaId, long replicaEpoch) {

        static final Fetcher CONSUMER = new Fetcher(-1, -1);

        boolean isFollower() {
            return replicaId >= 0;
        }
    }

    /** What one pass over the partitions found. */
    record Outcome(List<FetchPartitionResponse> responses, long bytesRead, boolean hasError) {
    }

    /**
     * @param firstRead true for the request's first read (follower progress is recorded once per request, not on the
     *            re-reads of a parked fetch)
     * @param leaderHints whether a NOT_LEADER_OR_FOLLOWER answer may name the current leader (Fetch v12+, KIP-951)
     */
    Outcome read(MetadataImage image, List<FetchPartitionRequest> requests, int responseMaxBytes,
            IsolationLevel isolationLevel, Fetcher fetcher, boolean firstRead, boolean leaderHints) {
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
            Errors error = LeaderEpochs.check(request.currentLeaderEpoch(), lookup);
            if (error != Errors.NONE) {
                data = FetchResponse.partitionResponse(key.partition(), error);
                if (leaderHints && error == Errors.NOT_LEADER_OR_FOLLOWER) {
                    FetchResponseData.PartitionData failed = data;
                    LeaderHints.followedPartition(lookup).ifPresent(p -> failed.currentLeader()
                            .setLeaderId(p.leaderId()).setLeaderEpoch(p.leaderEpoch()));
                }
            } else {
                int limit = (int) Math.min(Math.max(0, request.maxBytes()), remaining);
                data = readOne(lookup.partition(), request, limit, minOneMessage, isolationLevel, fetcher,
                        firstRead);
            }
            FetchPartitionResponse response = new FetchPartitionResponse(key, data);
            int size = response.recordsSize();
            if (size > 0) {
                minOneMessage = false;
                remaining = Math.max(0, remaining - size);
                bytesRead += size;
            }
            hasError |= data.errorCode() != Errors.NONE.code() || data.divergingEpoch().epoch() >= 0;
            responses.add(response);
        }
        return new Outcome(responses, bytesRead, hasError);
    }

    private FetchResponseData.PartitionData readOne(Partition partition, FetchPartitionRequest request,
            int maxBytes, boolean minOneMessage, IsolationLevel isolationLevel, Fetcher fetcher, boolean firstRead) {
        int index = request.key().partition();
        Optional<PartitionLeader> leader = replicas.leader(partition.topicPartition());
        if (leader.isEmpty() || leader.get().leaderEpoch() != partition.leaderEpoch()) {
            return FetchResponse.partitionResponse(index, Errors.NOT_LEADER_OR_FOLLOWER);
        }
        try {
            Optional<EpochEndOffset> diverging = Divergence.atLeader(request.lastFetchedEpoch(),
                    request.fetchOffset(), request.lastFetchedEpoch() >= 0
                            ? leader.get().endOffsetForEpoch(request.lastFetchedEpoch())
                            : EpochEndOffset.UNDEFINED);
            if (diverging.isPresent()) {
                return divergingResponse(partition, index, diverging.get());
            }
            if (fetcher.isFollower() && firstRead && !leader.get().onFollowerFetch(fetcher.replicaId(),
                    fetcher.replicaEpoch(), request.fetchOffset(), request.logStartOffset(), time.milliseconds())) {
                return FetchResponse.partitionResponse(index, Errors.NOT_LEADER_OR_FOLLOWER);
            }
            boolean readCommitted = !fetcher.isFollower() && isolationLevel == IsolationLevel.READ_COMMITTED;
            LogReadResult result = partition.log().read(request.fetchOffset(), maxBytes, minOneMessage,
                    fetcher.isFollower()
                            ? FetchIsolation.LOG_END
                            : readCommitted ? FetchIsolation.TXN_COMMITTED : FetchIsolation.HIGH_WATERMARK);
            if (result.records() != null) {
                metrics.onFetch(partition.topicPartition().topic(), result.records().sizeInBytes());
            }
            return new FetchResponseData.PartitionData()
                    .setPartitionIndex(index)
                    .setErrorCode(Errors.NONE.code())
                    .setHighWatermark(result.highWatermark())
                    .setLastStableOffset(result.lastStableOffset())
                    .setLogStartOffset(result.logStartOffset())
                    .setAbortedTransactions(readCommitted
                            ? abortedTransactions(partition, request.fetchOffset(), result.lastStableOffset())
                            : null)
                    .setPreferredReadReplica(FetchResponse.INVALID_PREFERRED_REPLICA_ID)
                    .setRecords(result.records() != null ? result.records() : MemoryRecords.EMPTY);
        } catch (RuntimeException e) {
            return FetchResponse.partitionResponse(index,
                    DataPathErrors.forException(e, "fetch from " + partition.topicPartition()));
        }
    }

    /**
     * The aborted transactions overlapping what a read_committed read from {@code fetchOffset} may return (it stops
     * at the last stable offset); the consumer drops their records.
     */
    private static List<FetchResponseData.AbortedTransaction> abortedTransactions(Partition partition,
            long fetchOffset, long lastStableOffset) {
        List<FetchResponseData.AbortedTransaction> aborted = new ArrayList<>();
        for (AbortedTxn txn : partition.log().abortedTransactions(fetchOffset, lastStableOffset)) {
            aborted.add(new FetchResponseData.AbortedTransaction().setProducerId(txn.producerId())
                    .setFirstOffset(txn.firstOffset()));
        }
        return aborted;
    }

    private static FetchResponseData.PartitionData divergingResponse(Partition partition, int index,
            EpochEndOffset diverging) {
        FetchResponseData.PartitionData data = new FetchResponseData.PartitionData()
                .setPartitionIndex(index)
                .setErrorCode(Errors.NONE.code())
                .setHighWatermark(partition.log().highWatermark())
                .setLastStableOffset(partition.log().lastStableOffset())
                .setLogStartOffset(partition.log().logStartOffset())
                .setPreferredReadReplica(FetchResponse.INVALID_PREFERRED_REPLICA_ID)
                .setRecords(MemoryRecords.EMPTY);
        data.divergingEpoch().setEpoch(diverging.epoch()).setEndOffset(diverging.endOffset());
        return data;
    }
}
