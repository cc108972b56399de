package io.brook.metadata.quorum;

/**
 * The deterministic state a metadata quorum replicates: every node applies the same committed commands in the same
 * order and so holds the same state. The quorum (Ratis) knows nothing of what the bytes mean.
 *
 * <p>Threading: the quorum calls {@link #apply}, {@link #snapshot} and {@link #restore} from one thread at a time, in
 * log order. {@link #query} may run on another thread and must only read state published safely (e.g. an immutable
 * image in a volatile field) or leader-local, unreplicated bookkeeping.
 */
public interface ReplicatedStateMachine {

    /**
     * Applies one committed command and returns the reply for its submitter. Must be deterministic: the same state
     * and command give the same new state and reply on every node, so anything random or time-dependent (ids,
     * timestamps) is chosen by the submitter and carried in the command. A rejected command (e.g. a topic that
     * already exists) leaves the state unchanged and says so in its reply; it never throws for that.
     *
     * @param index the command's position in the replicated log
     */
    byte[] apply(long index, byte[] command);

    /** The whole state, serialised, for a snapshot taken at the last applied index. */
    byte[] snapshot();

    /** Replaces the state with a snapshot's ({@link #snapshot()} output), before later commands are applied. */
    void restore(byte[] snapshot);

    /**
     * Answers a request on the leader without replicating it (e.g. a broker heartbeat that only the active
     * controller tracks).
     */
    byte[] query(byte[] request);
}
