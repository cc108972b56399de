package io.brook.broker.replication;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;

import io.brook.storage.PartitionLog;

/**
 * The {@link PartitionWriter} over this node's leaderships ({@link ReplicaManager}): the same checks and waits as a
 * Produce with acks=all. {@code min.insync.replicas} counts at most the partition's replicas, as Kafka's effective
 * min ISR does, so a coordinator on a single node with a broker-wide {@code min.insync.replicas=2} still works.
 *
 * <p>Thread-safe: the leaders are thread-safe and the log serialises appends.
 */
public final class ReplicatedPartitionWriter implements PartitionWriter {

    private final ReplicaManager replicas;
    private final ToIntFunction<TopicPartition> minInsyncReplicas;
    private final Consumer<TopicPartition> onAppend;

    /**
     * @param minInsyncReplicas the configured {@code min.insync.replicas} of a partition (topic, then broker config)
     * @param onAppend wakes the fetches parked on a partition (followers' included)
     */
    public ReplicatedPartitionWriter(ReplicaManager replicas, ToIntFunction<TopicPartition> minInsyncReplicas,
            Consumer<TopicPartition> onAppend) {
        this.replicas = replicas;
        this.minInsyncReplicas = minInsyncReplicas;
        this.onAppend = onAppend;
    }

    @Override
    public long append(TopicPartition topicPartition, int leaderEpoch, MemoryRecords records) {
        PartitionLeader leader = leaderAt(topicPartition, leaderEpoch).orElseThrow(() -> notLeader(topicPartition,
                leaderEpoch));
        int minIsr = effectiveMinIsr(leader);
        int inSync = leader.inSyncReplicaCount();
        if (inSync < minIsr) {
            throw new NotEnoughReplicasException("The size of the current ISR " + leader.isr()
                    + " is insufficient to satisfy the min.isr requirement of " + minIsr + " for partition "
                    + topicPartition);
        }
        long end = leader.partition().log().appendAsLeader(records, leaderEpoch).lastOffset() + 1;
        leader.onLocalAppend();
        onAppend.accept(topicPartition);
        return end;
    }

    @Override
    public CompletableFuture<Void> awaitCommitted(TopicPartition topicPartition, int leaderEpoch, long endOffset,
            long timeoutMs) {
        Optional<PartitionLeader> leader = leaderAt(topicPartition, leaderEpoch);
        if (leader.isEmpty()) {
            return CompletableFuture.failedFuture(notLeader(topicPartition, leaderEpoch));
        }
        PartitionLog log = leader.get().partition().log();
        // The leader's own waiter is timed out (not a copy of it), so it leaves the leader's list at once.
        CompletableFuture<Errors> replicated = leader.get().awaitHighWatermark(endOffset, effectiveMinIsr(leader.get()))
                .completeOnTimeout(Errors.REQUEST_TIMED_OUT, timeoutMs, TimeUnit.MILLISECONDS);
        CompletableFuture<Void> durable;
        try {
            durable = log.awaitDurable(endOffset);
        } catch (RuntimeException e) {
            durable = CompletableFuture.failedFuture(e);
        }
        return durable.thenCombine(replicated, (ignored, outcome) -> {
            if (outcome == Errors.REQUEST_TIMED_OUT) {
                throw new TimeoutException("The ISR of " + topicPartition + " did not reach offset " + endOffset
                        + " within " + timeoutMs + " ms");
            }
            if (outcome != Errors.NONE) {
                throw outcome.exception();
            }
            return null;
        });
    }

    private Optional<PartitionLeader> leaderAt(TopicPartition topicPartition, int leaderEpoch) {
        return replicas.leader(topicPartition).filter(l -> l.leaderEpoch() == leaderEpoch && !l.resigned());
    }

    private int effectiveMinIsr(PartitionLeader leader) {
        return leader.effectiveMinInsyncReplicas(minInsyncReplicas.applyAsInt(leader.topicPartition()));
    }

    private static NotLeaderOrFollowerException notLeader(TopicPartition topicPartition, int leaderEpoch) {
        return new NotLeaderOrFollowerException("This node does not lead " + topicPartition + " at leader epoch "
                + leaderEpoch);
    }
}
