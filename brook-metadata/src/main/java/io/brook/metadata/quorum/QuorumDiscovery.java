package io.brook.metadata.quorum;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos.RaftConfigurationProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the voters of the metadata quorum from a few of their addresses, as Kafka's
 * {@code controller.quorum.bootstrap.servers} (KIP-853) lets a node that does not know the voters find them: each
 * bootstrap address (a controller's Raft port) is asked for the metadata group's current configuration, and the first
 * answer's voters, with their ids and addresses, are the result. Any member answers, not only the leader, so a
 * bootstrap list naming one live controller is enough. Stateless; blocks the calling thread.
 */
public final class QuorumDiscovery {

    private static final Logger LOG = LoggerFactory.getLogger(QuorumDiscovery.class);
    /** The peer id a bootstrap address is asked under: Ratis answers group information whatever id it is sent to. */
    private static final RaftPeerId BOOTSTRAP_PEER = RaftPeerId.valueOf("bootstrap");

    /** The Kafka property this is for, named in error messages. */
    public static final String PROPERTY = "controller.quorum.bootstrap.servers";

    private QuorumDiscovery() {
    }

    /**
     * Asks each of {@code bootstrap} ({@code host:port}, IPv6 hosts in brackets) in turn, each attempt bounded by
     * {@code attemptTimeout}, until one gives the voters; rounds repeat until {@code deadline} passes.
     *
     * @throws QuorumUnavailableException when no bootstrap server answered before the deadline
     */
    public static QuorumVoters discover(List<String> bootstrap, Duration attemptTimeout, Duration deadline) {
        return discover(bootstrap, attemptTimeout, deadline, Optional.empty());
    }

    /** As {@link #discover(List, Duration, Duration)}, asking over {@code tls} when present. */
    public static QuorumVoters discover(List<String> bootstrap, Duration attemptTimeout, Duration deadline,
            Optional<QuorumTls> tls) {
        if (bootstrap.isEmpty()) {
            throw new IllegalArgumentException(PROPERTY + " is empty");
        }
        long deadlineNs = System.nanoTime() + deadline.toNanos();
        List<String> failures = new ArrayList<>();
        do {
            failures.clear();
            for (String address : bootstrap) {
                try {
                    Optional<QuorumVoters> voters = ask(address.trim(), attemptTimeout, tls);
                    if (voters.isPresent()) {
                        LOG.info("Found the metadata quorum's voters {} through {}={}", voters.get(), PROPERTY,
                                address);
                        return voters.get();
                    }
                    failures.add(address + ": it holds no metadata quorum configuration yet");
                } catch (IOException | RuntimeException e) {
                    failures.add(address + ": " + e.getMessage());
                }
            }
            LOG.info("No bootstrap controller gave the metadata quorum's voters yet: {}", failures);
        } while (System.nanoTime() < deadlineNs);
        throw new QuorumUnavailableException("no controller in " + PROPERTY + "=" + String.join(",", bootstrap)
                + " gave the metadata quorum's voters within " + deadline.toMillis() + " ms: " + failures);
    }

    private static Optional<QuorumVoters> ask(String address, Duration timeout, Optional<QuorumTls> tls)
            throws IOException {
        RaftPeer target = RaftPeer.newBuilder().setId(BOOTSTRAP_PEER).setAddress(address).build();
        try (RaftClient client = RaftClient.newBuilder()
                .setClientId(ClientId.randomId())
                .setRaftGroup(RaftGroup.valueOf(MetadataQuorum.GROUP_ID, target))
                .setProperties(RatisSettings.adminClient(timeout))
                .setParameters(RatisSettings.parameters(tls))
                .setRetryPolicy(RetryPolicies.noRetry())
                .build()) {
            GroupInfoReply reply = client.getGroupManagementApi(BOOTSTRAP_PEER).info(MetadataQuorum.GROUP_ID);
            if (reply == null || !reply.isSuccess()) {
                throw new IOException(reply == null ? "no reply" : String.valueOf(reply.getException()));
            }
            if (reply.getConf().isPresent()) {
                return Optional.of(voters(reply.getConf().get()));
            }
            // Ratis 3.2 leaves the configuration out of the reply; the group lists the same members with their roles.
            return reply.getGroup() == null ? Optional.empty() : voters(reply.getGroup().getPeers());
        }
    }

    /** The voters of a Ratis configuration (its peers; listeners are not voters). */
    static QuorumVoters voters(RaftConfigurationProto conf) {
        List<QuorumEndpoint> voters = new ArrayList<>();
        for (RaftPeerProto peer : conf.getPeersList()) {
            int id = MetadataQuorum.nodeId(RaftPeerId.valueOf(peer.getId()));
            voters.add(endpoint(id, peer.getAddress()));
        }
        return QuorumVoters.of(voters);
    }

    /** The voters among a group's peers (listeners start as listeners); empty when there are none. */
    static Optional<QuorumVoters> voters(Collection<RaftPeer> peers) {
        List<QuorumEndpoint> voters = new ArrayList<>();
        for (RaftPeer peer : peers) {
            if (peer.getStartupRole() != RaftPeerRole.LISTENER) {
                voters.add(endpoint(MetadataQuorum.nodeId(peer.getId()), peer.getAddress()));
            }
        }
        return voters.isEmpty() ? Optional.empty() : Optional.of(QuorumVoters.of(voters));
    }

    private static QuorumEndpoint endpoint(int id, String address) {
        return QuorumVoters.parse(id + "@" + address).get(id).orElseThrow();
    }
}
