package io.brook.broker.handlers.admin;

import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.kafka.common.message.DescribeQuorumResponseData.Listener;
import org.apache.kafka.common.message.DescribeQuorumResponseData.Node;
import org.apache.kafka.common.message.DescribeQuorumResponseData.NodeCollection;
import org.apache.kafka.common.message.DescribeQuorumResponseData.PartitionData;
import org.apache.kafka.common.message.DescribeQuorumResponseData.ReplicaState;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeQuorumResponse;

import io.brook.metadata.quorum.QuorumStatus;

/**
 * Turns the metadata quorum leader's {@link QuorumStatus} (Ratis terms and indexes) into a DescribeQuorum response
 * (KRaft's epochs and offsets), as if the Raft log were Kafka's {@code __cluster_metadata-0}. Stateless, pure.
 *
 * <p>The mapping, and where it is only an approximation of what a KRaft controller reports:
 * <ul>
 * <li>leader epoch = Raft term; a Ratis log index {@code i} is offset {@code i}, so the high watermark is the commit
 * index + 1 and a member's log end offset its match index + 1 (the leader's own: its last index + 1); -1 when the
 * leader does not know it yet.</li>
 * <li>last fetch timestamp = now minus the time since the leader last heard from the member (Ratis's last RPC elapsed
 * time; now for the leader itself). An approximation: Ratis pushes entries to followers instead of being fetched
 * from, so this is the last append or heartbeat reply.</li>
 * <li>last caught-up timestamp = the last fetch timestamp when the member holds everything committed, else -1
 * (unknown). An approximation: KRaft keeps the time of the last fetch that reached the leader's end; Ratis does not
 * track it.</li>
 * <li>replica directory ids are {@link Uuid#ZERO_UUID}: Brook has no directory ids (KIP-853).</li>
 * <li>nodes (v2) are the voters, each with one endpoint named after the first controller listener: its Raft
 * address. Observers (Raft listeners, i.e. broker-only nodes) have none, as in Kafka.</li>
 * </ul>
 */
final class QuorumDescription {

    static final TopicPartition METADATA_PARTITION = Topic.CLUSTER_METADATA_TOPIC_PARTITION;

    private QuorumDescription() {
    }

    /**
     * The response for the leader's view {@code status} at {@code nowMs}; NOT_LEADER_OR_FOLLOWER when the view names no
     * leader. {@code withNodes} only from version 2 (the field does not exist before).
     */
    static DescribeQuorumResponseData describe(QuorumStatus status, long nowMs, String controllerListener,
            boolean withNodes) {
        if (status.leaderId().isEmpty()) {
            return error(Errors.NOT_LEADER_OR_FOLLOWER, "the metadata quorum has no leader");
        }
        int leaderId = status.leaderId().getAsInt();
        PartitionData partition = new PartitionData()
                .setPartitionIndex(METADATA_PARTITION.partition())
                .setLeaderId(leaderId)
                .setLeaderEpoch((int) Math.min(Integer.MAX_VALUE, status.term()))
                .setHighWatermark(status.commitIndex() + 1)
                .setCurrentVoters(replicas(status.voters(), leaderId, status.commitIndex(), nowMs))
                .setObservers(replicas(status.listeners(), leaderId, status.commitIndex(), nowMs));
        NodeCollection nodes = new NodeCollection();
        if (withNodes) {
            for (QuorumStatus.Member voter : status.voters()) {
                Node node = new Node().setNodeId(voter.id());
                hostPort(voter.address()).ifPresent(hp -> node.listeners().add(new Listener()
                        .setName(controllerListener).setHost(hp.host()).setPort(hp.port())));
                nodes.add(node);
            }
        }
        return DescribeQuorumResponse.singletonResponse(METADATA_PARTITION, partition, nodes);
    }

    /** A partition-level error, with its message (v2 carries it). */
    static DescribeQuorumResponseData error(Errors error, String message) {
        DescribeQuorumResponseData data = DescribeQuorumResponse.singletonErrorResponse(METADATA_PARTITION, error);
        data.topics().get(0).partitions().get(0).setErrorMessage(message);
        return data;
    }

    private static List<ReplicaState> replicas(List<QuorumStatus.Member> members, int leaderId, long commitIndex,
            long nowMs) {
        return members.stream().map(m -> {
            boolean leader = m.id() == leaderId;
            long lastFetch = leader ? nowMs : m.lastContactMs() >= 0 ? nowMs - m.lastContactMs() : -1;
            boolean caughtUp = m.matchIndex() >= 0 && m.matchIndex() >= commitIndex;
            return new ReplicaState()
                    .setReplicaId(m.id())
                    .setReplicaDirectoryId(Uuid.ZERO_UUID)
                    .setLogEndOffset(m.matchIndex() >= 0 ? m.matchIndex() + 1 : -1)
                    .setLastFetchTimestamp(lastFetch)
                    .setLastCaughtUpTimestamp(leader ? nowMs : caughtUp ? lastFetch : -1);
        }).toList();
    }

    record HostPort(String host, int port) {
    }

    /** Parses {@code host:port} or {@code [v6]:port} (how QuorumEndpoint writes addresses). */
    static Optional<HostPort> hostPort(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            return Optional.empty();
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(address.substring(colon + 1));
            return port > 0 && port <= 65535 ? Optional.of(new HostPort(host, port)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
