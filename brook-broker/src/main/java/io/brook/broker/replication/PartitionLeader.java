package io.brook.broker.replication;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.broker.partition.Partition;
import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.cluster.CommandReply.AlterPartitionResult;
import io.brook.metadata.cluster.MetadataCommand.IsrMember;
import io.brook.storage.EpochEndOffset;
import io.brook.storage.PartitionLog;

/**
 * This node's leadership of one partition for one leader epoch: follower progress and ISR ({@link IsrState}), the
 * high watermark it derives, the acks=all produces waiting for it, the DeleteRecords waiting for the low watermark,
 * and the ISR changes it asks the controller for.
 * Replaced by a new instance when the leader epoch changes; {@link #resign()} ends it.
 *
 * <p>Thread-safe: every method takes the instance lock, which guards the {@link IsrState} and the waiters; futures
 * are completed, fetches woken and AlterPartition submitted after the lock is released, never under it.
 */
public final class PartitionLeader {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionLeader.class);

    /** Sends an ISR change to the controller; completes with the controller's per-partition answer. */
    @FunctionalInterface
    public interface IsrChangeSender {
        CompletableFuture<AlterPartitionResult> send(PartitionLeader leader, int partitionEpoch,
                List<IsrMember> newIsr);
    }

    private final Partition partition;
    private final IsrState state;
    private final long maxLagMs;
    private final Runnable onHighWatermarkAdvanced;
    private final IsrChangeSender isrChanges;
    private final List<Waiter> waiters = new ArrayList<>();
    private final List<LowWatermarkWaiter> lowWatermarkWaiters = new ArrayList<>();
    private boolean resigned;

    /** An acks=all produce waiting for the high watermark to pass {@code requiredOffset}. */
    private record Waiter(long requiredOffset, int minInsyncReplicas, CompletableFuture<Errors> future) {
    }

    /** A DeleteRecords waiting for every in-sync replica's log start offset to reach {@code requiredOffset}. */
    private record LowWatermarkWaiter(long requiredOffset, CompletableFuture<Errors> future) {
    }

    public PartitionLeader(Partition partition, long nowMs, long maxLagMs, Runnable onHighWatermarkAdvanced,
            IsrChangeSender isrChanges) {
        this.partition = partition;
        this.state = new IsrState(partition.localId(), partition.registration(), partition.log().logEndOffset(),
                nowMs);
        this.maxLagMs = maxLagMs;
        this.onHighWatermarkAdvanced = onHighWatermarkAdvanced;
        this.isrChanges = isrChanges;
    }

    public Partition partition() {
        return partition;
    }

    public TopicPartition topicPartition() {
        return partition.topicPartition();
    }

    public int leaderEpoch() {
        return partition.leaderEpoch();
    }

    /** Where this leader's epoch starts in the log (its log end offset when it became leader). */
    public synchronized long epochStartOffset() {
        return state.leaderEpochStartOffset();
    }

    /**
     * Where leader epoch {@code epoch} ends in this leader's log, with the semantics of Kafka's leader, whose epoch
     * cache records its own epoch from the moment it leads: the current epoch ends at the log end; an epoch between
     * the last one in the log and the current one ends where the current one starts.
     */
    public EpochEndOffset endOffsetForEpoch(int epoch) {
        PartitionLog log = log();
        if (epoch == leaderEpoch()) {
            return new EpochEndOffset(epoch, log.logEndOffset());
        }
        EpochEndOffset found = log.endOffsetForEpoch(epoch);
        if (found.isUndefined() && epoch >= 0 && epoch < leaderEpoch()) {
            OptionalInt latest = log.latestEpoch();
            int floor = latest.isPresent() && latest.getAsInt() < epoch ? latest.getAsInt() : epoch;
            return new EpochEndOffset(floor, epochStartOffset());
        }
        return found;
    }

    public synchronized List<Integer> isr() {
        return state.isr();
    }

    /** The committed ISR's size, as Kafka counts for {@code min.insync.replicas}. */
    public synchronized int inSyncReplicaCount() {
        return state.isr().size();
    }

    /**
     * The configured {@code min.insync.replicas} as Kafka enforces it: never more than the partition has replicas, so
     * a setting above the replication factor does not make every acks=all write fail.
     */
    public synchronized int effectiveMinInsyncReplicas(int configured) {
        return Math.max(1, Math.min(configured, state.replicaCount()));
    }

    public synchronized Optional<FollowerProgress> follower(int replicaId) {
        return state.follower(replicaId);
    }

    /**
     * A follower fetched at {@code fetchOffset}: records its progress, advances the high watermark if it can and asks
     * for an ISR expansion if the follower now qualifies.
     *
     * @return false when {@code replicaId} is not a replica of this partition (the fetch is refused)
     */
    public boolean onFollowerFetch(int replicaId, long brokerEpoch, long fetchOffset, long logStartOffset,
            long nowMs) {
        List<Runnable> done;
        boolean advanced;
        List<IsrMember> expansion = null;
        int partitionEpoch;
        synchronized (this) {
            if (resigned || !state.recordFetch(replicaId, fetchOffset, logStartOffset, brokerEpoch,
                    log().logEndOffset(), nowMs)) {
                return !resigned && state.isReplica(replicaId);
            }
            advanced = advanceHighWatermarkLocked();
            done = completableWaitersLocked();
            Optional<List<Integer>> expanded = state.expansionFor(replicaId, log().highWatermark());
            if (expanded.isPresent()) {
                state.propose(expanded.get());
                expansion = members(expanded.get(), replicaId, brokerEpoch);
            }
            partitionEpoch = state.partitionEpoch();
        }
        afterUnlock(advanced, done);
        if (expansion != null) {
            LOG.info("{}: adding follower {} to the ISR {} (epoch {})", topicPartition(), replicaId, expansion,
                    leaderEpoch());
            send(partitionEpoch, expansion);
        }
        return true;
    }

    /** Records were appended locally (produce, group coordinator): with no follower in the ISR the HW moves now. */
    public void onLocalAppend() {
        boolean advanced;
        List<Runnable> done;
        synchronized (this) {
            if (resigned) {
                return;
            }
            advanced = advanceHighWatermarkLocked();
            done = completableWaitersLocked();
        }
        afterUnlock(advanced, done);
    }

    /**
     * Completes with NONE once the high watermark reaches {@code requiredOffset} (NOT_ENOUGH_REPLICAS_AFTER_APPEND if
     * the ISR then has fewer than {@code minInsyncReplicas} members), or NOT_LEADER_OR_FOLLOWER if this leadership
     * ends first. The caller bounds the wait.
     */
    public CompletableFuture<Errors> awaitHighWatermark(long requiredOffset, int minInsyncReplicas) {
        CompletableFuture<Errors> future = new CompletableFuture<>();
        List<Runnable> done;
        synchronized (this) {
            if (resigned) {
                return CompletableFuture.completedFuture(Errors.NOT_LEADER_OR_FOLLOWER);
            }
            waiters.removeIf(w -> w.future.isDone());
            waiters.add(new Waiter(requiredOffset, minInsyncReplicas, future));
            done = completableWaitersLocked();
        }
        afterUnlock(false, done);
        return future;
    }

    /** The lowest log start offset of this leader and its in-sync followers (Kafka's low watermark). */
    public synchronized long lowWatermark() {
        return state.lowWatermark(log().logStartOffset());
    }

    /**
     * Completes with NONE once the low watermark reaches {@code requiredOffset}: the followers have adopted a log start
     * offset a DeleteRecords moved, which they learn from their next fetch response and report in the fetch after.
     * Completes with NOT_LEADER_OR_FOLLOWER if this leadership ends first. The caller bounds the wait.
     */
    public CompletableFuture<Errors> awaitLowWatermark(long requiredOffset) {
        CompletableFuture<Errors> future = new CompletableFuture<>();
        List<Runnable> done;
        synchronized (this) {
            if (resigned) {
                return CompletableFuture.completedFuture(Errors.NOT_LEADER_OR_FOLLOWER);
            }
            lowWatermarkWaiters.removeIf(w -> w.future.isDone());
            lowWatermarkWaiters.add(new LowWatermarkWaiter(requiredOffset, future));
            done = completableWaitersLocked();
        }
        afterUnlock(false, done);
        return future;
    }

    /**
     * Periodic check: drops followers that lag for longer than {@code replica.lag.time.max.ms} from the ISR, and moves
     * the high watermark when the ISR allows it.
     */
    public void onTick(long nowMs) {
        List<IsrMember> shrunk = null;
        int partitionEpoch;
        boolean advanced;
        List<Runnable> done;
        synchronized (this) {
            if (resigned) {
                return;
            }
            Optional<List<Integer>> shrinkage = state.shrinkage(log().logEndOffset(), nowMs, maxLagMs);
            if (shrinkage.isPresent()) {
                state.propose(shrinkage.get());
                shrunk = members(shrinkage.get(), -1, -1);
            }
            partitionEpoch = state.partitionEpoch();
            advanced = advanceHighWatermarkLocked();
            done = completableWaitersLocked();
        }
        afterUnlock(advanced, done);
        if (shrunk != null) {
            LOG.info("{}: shrinking the ISR from {} to {} (followers behind for more than {} ms)", topicPartition(),
                    isr(), shrunk, maxLagMs);
            send(partitionEpoch, shrunk);
        }
    }

    /** The metadata image shows a new registration with this same leader epoch (an ISR change, a reassignment). */
    public void onRegistrationChange(PartitionRegistration registration, long nowMs) {
        boolean advanced;
        List<Runnable> done;
        synchronized (this) {
            if (resigned || registration.leaderEpoch() != leaderEpoch()) {
                return;
            }
            if (registration.partitionEpoch() > state.partitionEpoch()) {
                state.commit(registration.isr(), registration.partitionEpoch());
            }
            state.updateReplicas(registration.replicas(), nowMs);
            advanced = advanceHighWatermarkLocked();
            done = completableWaitersLocked();
        }
        afterUnlock(advanced, done);
    }

    /** Ends this leadership: waiting produces get NOT_LEADER_OR_FOLLOWER. Idempotent. */
    public void resign() {
        List<CompletableFuture<Errors>> pending = new ArrayList<>();
        synchronized (this) {
            resigned = true;
            waiters.forEach(w -> pending.add(w.future));
            lowWatermarkWaiters.forEach(w -> pending.add(w.future));
            waiters.clear();
            lowWatermarkWaiters.clear();
        }
        pending.forEach(future -> future.complete(Errors.NOT_LEADER_OR_FOLLOWER));
    }

    public synchronized boolean resigned() {
        return resigned;
    }

    private void send(int partitionEpoch, List<IsrMember> newIsr) {
        CompletableFuture<AlterPartitionResult> reply;
        try {
            reply = isrChanges.send(this, partitionEpoch, newIsr);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.whenComplete((result, error) -> onAlterPartitionReply(partitionEpoch, result, error));
    }

    /**
     * Applies the controller's answer as Kafka's {@code Partition.handleAlterPartitionError} does: success commits the
     * new ISR and partition epoch; INVALID_UPDATE_VERSION and FENCED_LEADER_EPOCH mean this leader is behind the
     * metadata, so the change stays pending until the image catches up (which replaces or updates this leader); any
     * other error drops the pending change so a later fetch or tick may try again.
     */
    void onAlterPartitionReply(int sentPartitionEpoch, AlterPartitionResult result, Throwable error) {
        boolean advanced = false;
        List<Runnable> done = List.of();
        synchronized (this) {
            if (resigned || state.partitionEpoch() != sentPartitionEpoch || !state.hasPendingChange()) {
                return; // the image got there first
            }
            Errors code = error != null ? Errors.forException(error) : result.error();
            if (code == Errors.NONE) {
                if (result.leaderEpoch() == leaderEpoch()) {
                    state.commit(result.isr(), result.partitionEpoch());
                    advanced = advanceHighWatermarkLocked();
                    done = completableWaitersLocked();
                }
            } else if (code == Errors.INVALID_UPDATE_VERSION || code == Errors.FENCED_LEADER_EPOCH) {
                LOG.debug("{}: ISR change refused with {}; waiting for the metadata to catch up", topicPartition(),
                        code);
            } else {
                LOG.warn("{}: ISR change failed with {}; will retry", topicPartition(), code,
                        error instanceof RuntimeException ? error : null);
                state.reject();
            }
        }
        afterUnlock(advanced, done);
    }

    private List<IsrMember> members(List<Integer> isr, int addedId, long addedEpoch) {
        List<IsrMember> members = new ArrayList<>();
        for (int id : isr) {
            long epoch = id == addedId
                    ? addedEpoch
                    : state.follower(id).map(FollowerProgress::brokerEpoch).orElse(-1L);
            members.add(new IsrMember(id, id == partition.localId() ? -1 : epoch));
        }
        return members;
    }

    private PartitionLog log() {
        return partition.log();
    }

    private boolean advanceHighWatermarkLocked() {
        long before = log().highWatermark();
        long candidate = state.highWatermark(log().logEndOffset(), before);
        return candidate > before && log().updateHighWatermark(candidate) > before;
    }

    /**
     * Removes the waiters the high watermark (and the low watermark) now cover; returns their completions, to run after
     * unlocking.
     */
    private List<Runnable> completableWaitersLocked() {
        if (waiters.isEmpty() && lowWatermarkWaiters.isEmpty()) {
            return List.of();
        }
        long highWatermark = log().highWatermark();
        List<Runnable> done = new ArrayList<>();
        if (!lowWatermarkWaiters.isEmpty()) {
            long lowWatermark = state.lowWatermark(log().logStartOffset());
            for (Iterator<LowWatermarkWaiter> it = lowWatermarkWaiters.iterator(); it.hasNext();) {
                LowWatermarkWaiter waiter = it.next();
                if (waiter.future.isDone()) {
                    it.remove();
                } else if (lowWatermark >= waiter.requiredOffset) {
                    it.remove();
                    done.add(() -> waiter.future.complete(Errors.NONE));
                }
            }
        }
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext();) {
            Waiter waiter = it.next();
            if (waiter.future.isDone()) {
                it.remove();
            } else if (highWatermark >= waiter.requiredOffset) {
                it.remove();
                Errors outcome = state.isr().size() >= waiter.minInsyncReplicas
                        ? Errors.NONE
                        : Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND;
                done.add(() -> waiter.future.complete(outcome));
            }
        }
        return done;
    }

    private void afterUnlock(boolean advanced, List<Runnable> done) {
        done.forEach(Runnable::run);
        if (advanced) {
            onHighWatermarkAdvanced.run();
        }
    }
}
