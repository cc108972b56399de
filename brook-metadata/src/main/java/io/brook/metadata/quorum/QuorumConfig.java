package io.brook.metadata.quorum;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a node needs to take part in the metadata quorum. Immutable; build one with {@link #voter} or
 * {@link #listener} and adjust it with the {@code with*} methods.
 *
 * @param nodeId this node's id ({@code node.id})
 * @param role whether this node votes or only follows
 * @param voters the static voter set ({@code controller.quorum.voters})
 * @param address where the other members reach this node's Raft server; for a voter, its entry in {@code voters}
 * @param bindHost the host the Raft server binds to (e.g. {@code 0.0.0.0}); by default {@code address.host()}
 * @param storageDir the directory holding the Raft log and snapshots (Brook passes
 *        {@code <first log dir>/__cluster_metadata})
 * @param snapshotThreshold committed entries after which a snapshot is taken and the log before it purged
 * @param segmentBytes the size at which a Raft log segment is closed and a new one started; purging after a snapshot
 *        deletes whole closed segments only
 * @param requestTimeout how long {@code submit} and {@code queryLeader} wait for a majority before they fail with
 *        {@link QuorumUnavailableException}
 * @param electionTimeout how long a follower waits without hearing from a leader before it calls an election (the
 *        lower bound; Ratis picks a random timeout between this and twice it)
 */
public record QuorumConfig(int nodeId, QuorumRole role, QuorumVoters voters, QuorumEndpoint address, String bindHost,
        Path storageDir, long snapshotThreshold, long segmentBytes, Duration requestTimeout, Duration electionTimeout) {

    /** Entries between snapshots: small enough that a restart replays little, large enough not to snapshot often. */
    public static final long DEFAULT_SNAPSHOT_THRESHOLD = 10_000;
    /**
     * Metadata entries are small (hundreds of bytes): 8 MB holds tens of thousands, more than one snapshot interval,
     * so the log keeps about one snapshot interval plus one segment.
     */
    public static final long DEFAULT_SEGMENT_BYTES = 8L * 1024 * 1024;
    /** As Kafka's {@code controller.quorum.request.timeout.ms} default. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(2);
    /**
     * The longest timeout a call may be given ({@code MetadataQuorum.submit(command, timeout)}, and the request
     * timeout itself). The quorum's client keeps retrying a command for this long whatever its caller does, so a
     * command whose caller gave up does not retry forever; one longer call timeout would be cut short by it.
     */
    public static final Duration MAX_CALL_TIMEOUT = Duration.ofMinutes(2);
    /** As Kafka's {@code controller.quorum.election.timeout.ms} default. */
    public static final Duration DEFAULT_ELECTION_TIMEOUT = Duration.ofSeconds(1);

    public QuorumConfig {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(voters, "voters");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(bindHost, "bindHost");
        Objects.requireNonNull(storageDir, "storageDir");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(electionTimeout, "electionTimeout");
        if (address.id() != nodeId) {
            throw new IllegalArgumentException("address " + address + " is not node " + nodeId + "'s");
        }
        if (role == QuorumRole.VOTER && !voters.get(nodeId).map(address::equals).orElse(false)) {
            throw new IllegalArgumentException("node " + nodeId + " is a voter but " + QuorumVoters.PROPERTY + "="
                    + voters + " does not list it as " + address);
        }
        if (role == QuorumRole.LISTENER && voters.contains(nodeId)) {
            throw new IllegalArgumentException("node " + nodeId + " is a listener but " + QuorumVoters.PROPERTY
                    + " lists it as a voter");
        }
        if (snapshotThreshold < 1) {
            throw new IllegalArgumentException("snapshot threshold must be at least 1, got " + snapshotThreshold);
        }
        if (segmentBytes < 1024) {
            throw new IllegalArgumentException("log segment size must be at least 1024 bytes, got " + segmentBytes);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("request timeout must be positive, got " + requestTimeout);
        }
        if (requestTimeout.compareTo(MAX_CALL_TIMEOUT) > 0) {
            throw new IllegalArgumentException("request timeout must be at most " + MAX_CALL_TIMEOUT.toMillis()
                    + " ms, got " + requestTimeout.toMillis() + " ms");
        }
        if (electionTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("election timeout must be at least 1 ms, got " + electionTimeout);
        }
    }

    /** A voter: its address is its entry in {@code voters}. */
    public static QuorumConfig voter(int nodeId, QuorumVoters voters, Path storageDir) {
        QuorumEndpoint self = voters.get(nodeId)
                .orElseThrow(() -> new IllegalArgumentException("node " + nodeId + " is not in "
                        + QuorumVoters.PROPERTY + "=" + voters));
        return new QuorumConfig(nodeId, QuorumRole.VOTER, voters, self, self.host(), storageDir,
                DEFAULT_SNAPSHOT_THRESHOLD, DEFAULT_SEGMENT_BYTES, DEFAULT_REQUEST_TIMEOUT, DEFAULT_ELECTION_TIMEOUT);
    }

    /** A listener reached at {@code address}, following the given voters. */
    public static QuorumConfig listener(QuorumEndpoint address, QuorumVoters voters, Path storageDir) {
        return new QuorumConfig(address.id(), QuorumRole.LISTENER, voters, address, address.host(), storageDir,
                DEFAULT_SNAPSHOT_THRESHOLD, DEFAULT_SEGMENT_BYTES, DEFAULT_REQUEST_TIMEOUT, DEFAULT_ELECTION_TIMEOUT);
    }

    public QuorumConfig withBindHost(String host) {
        return new QuorumConfig(nodeId, role, voters, address, host, storageDir, snapshotThreshold, segmentBytes,
                requestTimeout,
                electionTimeout);
    }

    public QuorumConfig withSnapshotThreshold(long entries) {
        return new QuorumConfig(nodeId, role, voters, address, bindHost, storageDir, entries, segmentBytes,
                requestTimeout,
                electionTimeout);
    }

    public QuorumConfig withSegmentBytes(long bytes) {
        return new QuorumConfig(nodeId, role, voters, address, bindHost, storageDir, snapshotThreshold, bytes,
                requestTimeout, electionTimeout);
    }

    public QuorumConfig withRequestTimeout(Duration timeout) {
        return new QuorumConfig(nodeId, role, voters, address, bindHost, storageDir, snapshotThreshold, segmentBytes,
                timeout,
                electionTimeout);
    }

    public QuorumConfig withElectionTimeout(Duration timeout) {
        return new QuorumConfig(nodeId, role, voters, address, bindHost, storageDir, snapshotThreshold,
                segmentBytes, requestTimeout, timeout);
    }
}
