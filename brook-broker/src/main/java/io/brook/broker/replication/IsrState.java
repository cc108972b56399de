package io.brook.broker.replication;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.brook.metadata.PartitionRegistration;

/**
 * A partition leader's view of its replicas: follower progress, the ISR the controller committed, the one change it
 * has in flight, and from those the high watermark and the next ISR change to ask for. Kafka's rules
 * ({@code Partition.scala}):
 *
 * <ul>
 * <li>high watermark = the lowest log end offset among the <em>maximal</em> ISR (committed ISR plus a pending
 * addition; a pending removal still counts until committed), the leader's own included;</li>
 * <li>a follower outside the ISR is added once its log end offset reaches the high watermark and the start of the
 * leader's current epoch;</li>
 * <li>a follower in the ISR is removed once it has neither the leader's log end offset nor was caught up within
 * {@code replica.lag.time.max.ms};</li>
 * <li>one ISR change in flight at a time; the committed ISR only changes when the controller's answer is applied.</li>
 * </ul>
 *
 * <pre>
 *   committed ──propose(isr)──► pending ──commit(isr, epoch)──► committed
 *                                  └──────── reject() ─────────┘
 * </pre>
 *
 * <p>No I/O, threads or clock: callers pass the time. Not thread-safe; {@link PartitionLeader} holds its lock around
 * every call.
 */
public final class IsrState {

    private final int localId;
    private final long leaderEpochStartOffset;
    private final Map<Integer, FollowerProgress> followers = new HashMap<>();
    private List<Integer> committedIsr;
    private int partitionEpoch;
    private List<Integer> pendingIsr;

    /**
     * @param localId the leader's broker id
     * @param registration the registration that made this node leader
     * @param leaderEpochStartOffset the log end offset when this node became leader (the start of its epoch)
     */
    public IsrState(int localId, PartitionRegistration registration, long leaderEpochStartOffset, long nowMs) {
        this.localId = localId;
        this.leaderEpochStartOffset = leaderEpochStartOffset;
        this.committedIsr = List.copyOf(registration.isr());
        this.partitionEpoch = registration.partitionEpoch();
        for (int replica : registration.replicas()) {
            if (replica != localId) {
                followers.put(replica, FollowerProgress.initial(committedIsr.contains(replica), nowMs));
            }
        }
    }

    /**
     * Follows a change of the replica set within this leader epoch (a reassignment adds or removes replicas without
     * moving leadership): new replicas start as out-of-sync followers, removed ones are forgotten.
     */
    public void updateReplicas(List<Integer> replicas, long nowMs) {
        followers.keySet().retainAll(replicas);
        for (int replica : replicas) {
            if (replica != localId) {
                followers.computeIfAbsent(replica, r -> FollowerProgress.initial(committedIsr.contains(r), nowMs));
            }
        }
    }

    /** The partition's replicas, this leader included. */
    public int replicaCount() {
        return followers.size() + 1;
    }

    /** The leader's log end offset when it became leader: where its epoch starts. */
    public long leaderEpochStartOffset() {
        return leaderEpochStartOffset;
    }

    public List<Integer> isr() {
        return committedIsr;
    }

    public int partitionEpoch() {
        return partitionEpoch;
    }

    public boolean hasPendingChange() {
        return pendingIsr != null;
    }

    public Optional<FollowerProgress> follower(int replicaId) {
        return Optional.ofNullable(followers.get(replicaId));
    }

    public boolean isReplica(int replicaId) {
        return followers.containsKey(replicaId);
    }

    /** Records a follower's fetch at {@code fetchOffset}; false if it is not a replica of this partition. */
    public boolean recordFetch(int replicaId, long fetchOffset, long logStartOffset, long brokerEpoch,
            long leaderLogEndOffset, long nowMs) {
        FollowerProgress progress = followers.get(replicaId);
        if (progress == null) {
            return false;
        }
        followers.put(replicaId, progress.fetched(fetchOffset, logStartOffset, leaderLogEndOffset, nowMs,
                brokerEpoch));
        return true;
    }

    /**
     * Kafka's low watermark: the lowest log start offset among this leader and the in-sync followers, which is how far
     * a DeleteRecords has reached every replica that counts. A follower that has not reported its start this epoch
     * holds it at -1.
     */
    public long lowWatermark(long localLogStartOffset) {
        long min = localLogStartOffset;
        for (int member : committedIsr) {
            if (member != localId) {
                FollowerProgress progress = followers.get(member);
                min = Math.min(min, progress == null ? -1 : progress.logStartOffset());
            }
        }
        return min;
    }

    /** The ISR plus a pending addition: the replicas the high watermark must wait for. */
    public Set<Integer> maximalIsr() {
        Set<Integer> maximal = new LinkedHashSet<>(committedIsr);
        if (pendingIsr != null) {
            maximal.addAll(pendingIsr);
        }
        return maximal;
    }

    /** The lowest log end offset of the maximal ISR; a member that has not fetched this epoch holds it where it is. */
    public long highWatermark(long localLogEndOffset, long currentHighWatermark) {
        long min = localLogEndOffset;
        for (int member : maximalIsr()) {
            if (member == localId) {
                continue;
            }
            FollowerProgress progress = followers.get(member);
            long end = progress == null || progress.logEndOffset() < 0 ? currentHighWatermark : progress.logEndOffset();
            min = Math.min(min, end);
        }
        return Math.max(min, currentHighWatermark);
    }

    /** The ISR with {@code replicaId} added if it qualifies and nothing is in flight (Kafka's expand rule). */
    public Optional<List<Integer>> expansionFor(int replicaId, long highWatermark) {
        FollowerProgress progress = followers.get(replicaId);
        if (pendingIsr != null || progress == null || committedIsr.contains(replicaId)) {
            return Optional.empty();
        }
        long end = progress.logEndOffset();
        if (end >= highWatermark && end >= leaderEpochStartOffset) {
            List<Integer> expanded = new ArrayList<>(committedIsr);
            expanded.add(replicaId);
            return Optional.of(List.copyOf(expanded));
        }
        return Optional.empty();
    }

    /** The ISR without its members that fell behind for longer than {@code maxLagMs}, if any did. */
    public Optional<List<Integer>> shrinkage(long localLogEndOffset, long nowMs, long maxLagMs) {
        if (pendingIsr != null) {
            return Optional.empty();
        }
        List<Integer> kept = new ArrayList<>();
        for (int member : committedIsr) {
            FollowerProgress progress = followers.get(member);
            if (member == localId || progress == null || progress.inSync(localLogEndOffset, nowMs, maxLagMs)) {
                kept.add(member);
            }
        }
        return kept.size() == committedIsr.size() ? Optional.empty() : Optional.of(List.copyOf(kept));
    }

    /** An AlterPartition for {@code isr} was sent; no other change until it is answered. */
    public void propose(List<Integer> isr) {
        pendingIsr = List.copyOf(isr);
    }

    /** The controller committed {@code isr} at {@code newPartitionEpoch} (or the image showed it). */
    public void commit(List<Integer> isr, int newPartitionEpoch) {
        if (newPartitionEpoch < partitionEpoch) {
            return;
        }
        committedIsr = List.copyOf(isr);
        partitionEpoch = newPartitionEpoch;
        pendingIsr = null;
        for (int member : committedIsr) {
            FollowerProgress progress = followers.get(member);
            if (progress != null && progress.lastCaughtUpMs() == 0) {
                // A replica added by someone else (e.g. the controller at a reassignment) starts its lag clock now.
                followers.put(member, new FollowerProgress(progress.logEndOffset(), progress.lastFetchMs(),
                        progress.lastFetchLeaderLogEndOffset(), progress.lastFetchMs(), progress.brokerEpoch(),
                        progress.logStartOffset()));
            }
        }
    }

    /** The change in flight failed; the committed ISR stands and a new change may be proposed. */
    public void reject() {
        pendingIsr = null;
    }
}
