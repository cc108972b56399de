package io.brook.broker.replication;

/**
 * What a partition leader knows of one follower, from its fetches (Kafka's {@code ReplicaState}).
 *
 * @param logEndOffset the follower's log end offset (the offset of its last fetch), -1 when not fetched yet this epoch
 * @param lastFetchMs when the follower last fetched
 * @param lastFetchLeaderLogEndOffset the leader's log end offset when the follower last fetched
 * @param lastCaughtUpMs the last time the follower had everything the leader had (it fetched at the leader's log end
 *     offset, or at least up to the leader's log end offset of its previous fetch)
 * @param brokerEpoch the broker epoch the follower fetched with, -1 if unknown
 * @param logStartOffset the follower's log start offset as its last fetch reported it, -1 when not known yet
 */
public record FollowerProgress(long logEndOffset, long lastFetchMs, long lastFetchLeaderLogEndOffset,
        long lastCaughtUpMs, long brokerEpoch, long logStartOffset) {

    static FollowerProgress initial(boolean inSync, long nowMs) {
        return new FollowerProgress(-1, 0, -1, inSync ? nowMs : 0, -1, -1);
    }

    /** Kafka's rule: caught up at this fetch, or at least up to where the leader was at the previous one. */
    FollowerProgress fetched(long fetchOffset, long followerLogStartOffset, long leaderLogEndOffset, long nowMs,
            long epoch) {
        long caughtUp = lastCaughtUpMs;
        if (fetchOffset >= leaderLogEndOffset) {
            caughtUp = Math.max(caughtUp, nowMs);
        } else if (fetchOffset >= lastFetchLeaderLogEndOffset) {
            caughtUp = Math.max(caughtUp, lastFetchMs);
        }
        return new FollowerProgress(fetchOffset, nowMs, leaderLogEndOffset, caughtUp, epoch, followerLogStartOffset);
    }

    /** In sync: has the leader's whole log, or was caught up within the last {@code maxLagMs}. */
    boolean inSync(long leaderLogEndOffset, long nowMs, long maxLagMs) {
        return logEndOffset == leaderLogEndOffset || nowMs - lastCaughtUpMs <= maxLagMs;
    }
}
