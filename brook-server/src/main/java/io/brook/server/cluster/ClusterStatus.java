package io.brook.server.cluster;

import java.util.List;

/**
 * What {@code brook cluster status} reports: the brokers as {@code DescribeCluster} gives them and the metadata quorum
 * as {@code DescribeQuorum} gives it. Immutable.
 *
 * @param clusterId the cluster id
 * @param controllerId the node clients are told is the controller (-1 unknown)
 * @param brokers the registered, unfenced brokers, by id
 * @param quorum the metadata quorum
 */
public record ClusterStatus(String clusterId, int controllerId, List<Broker> brokers, Quorum quorum) {

    public ClusterStatus {
        brokers = List.copyOf(brokers);
    }

    /**
     * One broker.
     *
     * @param rack its {@code broker.rack}, or null
     * @param quorumRole its part in the metadata quorum: {@code leader}, {@code voter}, {@code observer}, or null when
     *        the quorum does not list it
     */
    public record Broker(int id, String host, int port, String rack, String quorumRole) {
    }

    /**
     * The metadata quorum as its leader reports it, in Kafka's terms (epoch, offsets).
     *
     * @param members the leader first, then the other voters, then the observers, each by id
     */
    public record Quorum(int leaderId, long leaderEpoch, long highWatermark, List<Member> members) {

        public Quorum {
            members = List.copyOf(members);
        }

    }

    /**
     * One quorum member.
     *
     * @param role {@link #LEADER}, {@link #FOLLOWER} or {@link #OBSERVER}
     * @param logEndOffset its log end offset as the leader knows it (-1 unknown)
     * @param lag the leader's log end offset minus this member's (-1 unknown)
     * @param lastFetchMsAgo milliseconds since the leader last heard from it (-1 unknown)
     * @param lastCaughtUpMsAgo milliseconds since it last held all the leader had (-1 unknown)
     */
    public record Member(int id, String role, long logEndOffset, long lag, long lastFetchMsAgo,
            long lastCaughtUpMsAgo) {
        public static final String LEADER = "leader";
        public static final String FOLLOWER = "follower";
        public static final String OBSERVER = "observer";
    }
}
