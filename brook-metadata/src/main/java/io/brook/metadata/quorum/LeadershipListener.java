package io.brook.metadata.quorum;

/**
 * Told when this node becomes the leader (and can serve: every earlier command is applied) or stops being it. The
 * controller logic runs its timers only between the two calls.
 *
 * <p>Called on a Ratis thread, in order, never twice in a row with the same {@code leader}: hand work off and return,
 * never block nor call {@link MetadataQuorum#submit} and wait for it here.
 */
@FunctionalInterface
public interface LeadershipListener {

    /**
     * @param leader true when this node has become the leader, false when it has stopped being it
     * @param term the Raft term of the change
     */
    void onLeadershipChange(boolean leader, long term);
}
