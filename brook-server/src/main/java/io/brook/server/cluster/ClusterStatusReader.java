package io.brook.server.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.DescribeMetadataQuorumOptions;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.common.Node;

/**
 * Reads a {@link ClusterStatus} with an {@link Admin}: DescribeCluster, then DescribeQuorum, each bounded by the
 * timeout. Works against Brook and Kafka alike. Stateless; blocks the calling thread.
 */
public final class ClusterStatusReader {

    private ClusterStatusReader() {
    }

    /**
     * @param nowMs the wall clock, to turn the leader's timestamps into ages
     * @throws ExecutionException with the admin client's error as the cause (e.g. a timeout when nothing answers)
     * @throws TimeoutException when a call outlives {@code timeout} despite the admin's own deadline
     */
    public static ClusterStatus read(Admin admin, Duration timeout, long nowMs)
            throws ExecutionException, TimeoutException, InterruptedException {
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        // The admin client enforces timeoutMs; the get() bound is only a guard against it not doing so.
        long guardMs = timeoutMs + 5_000L;
        DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs));
        String clusterId = cluster.clusterId().get(guardMs, TimeUnit.MILLISECONDS);
        Node controller = cluster.controller().get(guardMs, TimeUnit.MILLISECONDS);
        Collection<Node> nodes = cluster.nodes().get(guardMs, TimeUnit.MILLISECONDS);
        QuorumInfo info = admin.describeMetadataQuorum(new DescribeMetadataQuorumOptions().timeoutMs(timeoutMs))
                .quorumInfo().get(guardMs, TimeUnit.MILLISECONDS);
        ClusterStatus.Quorum quorum = quorum(info, nowMs);
        List<ClusterStatus.Broker> brokers = nodes.stream().sorted(Comparator.comparingInt(Node::id))
                .map(n -> new ClusterStatus.Broker(n.id(), n.host(), n.port(), n.rack(), quorumRole(quorum, n.id())))
                .toList();
        return new ClusterStatus(clusterId, controller == null || controller.isEmpty() ? -1 : controller.id(), brokers,
                quorum);
    }

    static ClusterStatus.Quorum quorum(QuorumInfo info, long nowMs) {
        long leaderEnd = info.voters().stream().filter(v -> v.replicaId() == info.leaderId())
                .mapToLong(QuorumInfo.ReplicaState::logEndOffset).findFirst().orElse(-1);
        List<ClusterStatus.Member> members = new ArrayList<>();
        info.voters().stream().filter(v -> v.replicaId() == info.leaderId())
                .forEach(v -> members.add(member(v, ClusterStatus.Member.LEADER, leaderEnd, nowMs)));
        info.voters().stream().filter(v -> v.replicaId() != info.leaderId())
                .sorted(Comparator.comparingInt(QuorumInfo.ReplicaState::replicaId))
                .forEach(v -> members.add(member(v, ClusterStatus.Member.FOLLOWER, leaderEnd, nowMs)));
        info.observers().stream().sorted(Comparator.comparingInt(QuorumInfo.ReplicaState::replicaId))
                .forEach(o -> members.add(member(o, ClusterStatus.Member.OBSERVER, leaderEnd, nowMs)));
        return new ClusterStatus.Quorum(info.leaderId(), info.leaderEpoch(), info.highWatermark(), members);
    }

    private static ClusterStatus.Member member(QuorumInfo.ReplicaState replica, String role, long leaderEnd,
            long nowMs) {
        long end = replica.logEndOffset();
        long lag = end >= 0 && leaderEnd >= 0 ? Math.max(0, leaderEnd - end) : -1;
        return new ClusterStatus.Member(replica.replicaId(), role, end, lag,
                age(replica.lastFetchTimestamp().orElse(-1), nowMs),
                age(replica.lastCaughtUpTimestamp().orElse(-1), nowMs));
    }

    /** Milliseconds from {@code timestampMs} to now; 0 if the clocks disagree and it lies ahead; -1 when unknown. */
    private static long age(long timestampMs, long nowMs) {
        return timestampMs < 0 ? -1 : Math.max(0, nowMs - timestampMs);
    }

    private static String quorumRole(ClusterStatus.Quorum quorum, int id) {
        for (ClusterStatus.Member member : quorum.members()) {
            if (member.id() == id) {
                return member.role().equals(ClusterStatus.Member.FOLLOWER) ? "voter" : member.role();
            }
        }
        return null;
    }
}
