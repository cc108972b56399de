package io.brook.broker.replication;

import java.util.Optional;

import io.brook.storage.EpochEndOffset;

/**
 * The two halves of log reconciliation through leader epochs (KIP-320, KIP-595's diverging epoch in Fetch), free of
 * I/O so they can be tested on their own.
 */
public final class Divergence {

    private Divergence() {
    }

    /**
     * Leader side, as Kafka's {@code Partition.fetchRecords}: a follower that last fetched {@code lastFetchedEpoch} and
     * now fetches at {@code fetchOffset} has diverged when the leader's log has no such epoch (the largest epoch at or
     * below it is smaller) or that epoch ends before {@code fetchOffset}. The answer is where the leader's epoch ends.
     *
     * @param lastFetchedEpoch the follower's last fetched epoch, -1 when it sent none (no check)
     * @param leaderEnd the leader's {@code endOffsetForEpoch(lastFetchedEpoch)}
     * @return the diverging epoch to put in the response, if the follower must truncate
     */
    public static Optional<EpochEndOffset> atLeader(int lastFetchedEpoch, long fetchOffset, EpochEndOffset leaderEnd) {
        if (lastFetchedEpoch < 0) {
            return Optional.empty();
        }
        if (leaderEnd.epoch() < lastFetchedEpoch || leaderEnd.endOffset() < fetchOffset) {
            return Optional.of(leaderEnd);
        }
        return Optional.empty();
    }

    /**
     * Follower side, as Kafka's {@code AbstractFetcherThread}: given the leader's diverging epoch and end offset, the
     * offset to truncate the local log to. When the local log's largest epoch at or below the leader's is the same
     * epoch, the logs agree up to the smaller of the two ends; when it is an older epoch, the local log agrees at most
     * up to that older epoch's end (the next fetch refines it); an unknown epoch on either side truncates to the
     * leader's end.
     *
     * @param diverging the leader's answer (epoch and its end offset)
     * @param localEnd the local {@code endOffsetForEpoch(diverging.epoch())}
     * @param localLogEndOffset the local log end offset
     */
    public static long truncationOffset(EpochEndOffset diverging, EpochEndOffset localEnd, long localLogEndOffset) {
        if (diverging.epoch() < 0 || localEnd.isUndefined()) {
            return Math.max(0, Math.min(diverging.endOffset(), localLogEndOffset));
        }
        if (localEnd.epoch() != diverging.epoch()) {
            return Math.min(localEnd.endOffset(), localLogEndOffset);
        }
        return Math.min(Math.min(diverging.endOffset(), localEnd.endOffset()), localLogEndOffset);
    }
}
