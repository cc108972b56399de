package io.brook.metadata.quorum;

import java.util.List;
import java.util.OptionalInt;

/**
 * A node's view of the quorum, for a {@code kafka-metadata-quorum describe}-like report. Match indexes are known only
 * on the leader; elsewhere they are -1.
 *
 * @param nodeId this node
 * @param role this node's role
 * @param leaderId the leader this node knows of, if any
 * @param term the current Raft term
 * @param commitIndex the highest index this node knows to be committed
 * @param lastAppliedIndex the highest index applied to this node's state
 * @param voters the voters in the current configuration
 * @param listeners the listeners in the current configuration
 */
public record QuorumStatus(int nodeId, QuorumRole role, OptionalInt leaderId, long term, long commitIndex,
        long lastAppliedIndex, List<Member> voters, List<Member> listeners) {

    public QuorumStatus {
        voters = List.copyOf(voters);
        listeners = List.copyOf(listeners);
    }

    /**
     * One member as this node sees it.
     *
     * @param id its node id
     * @param address its Raft address
     * @param matchIndex the highest index the leader knows it holds (-1 unknown; on the leader, its own last index)
     * @param commitIndex the commit index it last reported (-1 unknown)
     * @param lastContactMs milliseconds since the leader last heard from it (-1 unknown, 0 for the leader itself)
     */
    public record Member(int id, String address, long matchIndex, long commitIndex, long lastContactMs) {
    }
}
