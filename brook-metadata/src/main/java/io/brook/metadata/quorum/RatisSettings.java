package io.brook.metadata.quorum;

import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.client.retry.RequestTypeDependentRetryPolicy;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * The Ratis settings the quorum depends on, each set explicitly from a {@link QuorumConfig} with the reason. Anything
 * not set here is Ratis's default and does not matter to correctness.
 *
 * <p>Stateless.
 */
final class RatisSettings {

    /**
     * A single voter has nobody to split a vote with, so its first election may start almost at once: this is most of
     * the start-up time of a one-node Brook.
     */
    static final Duration SINGLE_VOTER_FIRST_ELECTION = Duration.ofMillis(5);

    /** Pause between a client's attempts while there is no leader; short, as elections take ~ election timeout. */
    static final Duration CLIENT_RETRY_SLEEP = Duration.ofMillis(50);

    private RatisSettings() {
    }

    static RaftProperties server(QuorumConfig config) {
        RaftProperties p = new RaftProperties();
        // gRPC transport, not Ratis's Netty one: in Ratis 3.2.0 the Netty server answers each client request on its
        // event loop and blocks there until the command commits, and the Netty client matches replies to requests
        // in arrival order and cannot send unordered requests, so commands were serialised per connection and a
        // burst timed out. gRPC is Ratis's primary, fully asynchronous transport (shaded in ratis-thirdparty).
        // Server, client and admin services share this one port.
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
        GrpcConfigKeys.Server.setHost(p, config.bindHost());
        GrpcConfigKeys.Server.setPort(p, config.address().port());

        RaftServerConfigKeys.setStorageDir(p, List.of(config.storageDir().toFile()));
        RaftServerConfigKeys.setRemovedGroupsDir(p, new File(config.storageDir().toFile(), "removed-groups"));

        // Election: a follower that hears nothing for [t, 2t] calls one. Pre-vote (Ratis's default, set anyway) keeps a
        // node that was cut off from bumping the term and unseating a healthy leader when it returns.
        Duration election = config.electionTimeout();
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, millis(election));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, millis(election.multipliedBy(2)));
        RaftServerConfigKeys.LeaderElection.setPreVote(p, true);
        if (config.voters().size() == 1) {
            RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(p, millis(SINGLE_VOTER_FIRST_ELECTION));
            RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(p, millis(SINGLE_VOTER_FIRST_ELECTION.multipliedBy(2)));
        } else {
            RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(p, millis(election));
            RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(p, millis(election.multipliedBy(2)));
        }
        // Left at Ratis's 10 s on purpose: how long a leader that hears from no majority keeps its role, and also the
        // JVM pause after which a leader steps down. Shorter made leaders resign on a loaded machine; an isolated
        // leader cannot commit anything meanwhile, so its clients only see timeouts, never a wrong answer.
        RaftServerConfigKeys.LeaderElection.setLeaderStepDownWaitTime(p, TimeDuration.valueOf(10, TimeUnit.SECONDS));
        // Server-to-server RPCs (append entries, votes, snapshot chunks) give up after the request timeout, but never
        // sooner than an election timeout.
        Duration rpc = max(config.requestTimeout(), election.multipliedBy(2));
        RaftServerConfigKeys.Rpc.setRequestTimeout(p, millis(rpc));
        // Reads sent to the leader (queryLeader) are answered from its state at once, without a ReadIndex round trip:
        // they serve leader-local bookkeeping such as heartbeats, not linearizable reads.
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.DEFAULT);

        // Durability: an entry counts towards the commit (and so the client's acknowledgement) only once fsynced on a
        // majority. Both are Ratis's defaults, set so nobody "optimises" them away.
        RaftServerConfigKeys.Log.setUnsafeFlushEnabled(p, false);
        RaftServerConfigKeys.Log.setAsyncFlushEnabled(p, false);
        // Segment size: see QuorumConfig.DEFAULT_SEGMENT_BYTES. Preallocating 1 MB (not Ratis's 4 MB) at a time is
        // plenty for small entries.
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(config.segmentBytes()));
        RaftServerConfigKeys.Log.setPreallocatedSize(p, SizeInBytes.valueOf(Math.min(config.segmentBytes(), 1 << 20)));
        // Also record the commit index in the log, so a restarted node re-applies everything committed even before it
        // hears from a leader.
        RaftServerConfigKeys.Log.setLogMetadataEnabled(p, true);
        // A corrupt log is an error to look at, not something to skip over silently.
        RaftServerConfigKeys.Log.setCorruptionPolicy(p, RaftServerConfigKeys.Log.CorruptionPolicy.EXCEPTION);

        // Snapshots bound the log: one every `snapshotThreshold` applied entries, then the log up to it is purged even
        // if a follower is behind (it gets the snapshot instead), and only the last two snapshots are kept.
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, config.snapshotThreshold());
        RaftServerConfigKeys.Snapshot.setCreationGap(p, Math.min(config.snapshotThreshold(), 1024));
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
        // No snapshot on close: closing stays quick, and a restart replays at most `snapshotThreshold` entries.
        RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(p, false);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.min(config.snapshotThreshold(), 1024));
        RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(p, true);

        // close() waits at most this long for Ratis's threads to stop.
        RaftServerConfigKeys.setCloseThreshold(p, TimeDuration.valueOf(5, TimeUnit.SECONDS));
        return p;
    }

    /**
     * The Ratis parameters of every server and client of this node: none in clear text, else the TLS configuration.
     * Ratis 3.2.0 reads a TLS configuration per role (server-to-server, client, admin) and falls back to the general
     * one for a role without its own; all three share one port here, so they get the same one.
     */
    static Parameters parameters(Optional<QuorumTls> tls) {
        Parameters parameters = new Parameters();
        tls.ifPresent(t -> {
            GrpcTlsConfig conf = new GrpcTlsConfig(t.keyManager(), t.trustManager(), t.mutual());
            GrpcConfigKeys.TLS.setConf(parameters, conf);
            GrpcConfigKeys.Server.setTlsConf(parameters, conf);
            GrpcConfigKeys.Client.setTlsConf(parameters, conf);
            GrpcConfigKeys.Admin.setTlsConf(parameters, conf);
        });
        return parameters;
    }

    /**
     * For commands ({@link MetadataQuorum#submit}): one attempt lasts at most the request timeout, as a query's does.
     * A longer attempt would pin every command of this node to a leader whose connection went silent (a network
     * partition without resets) until it ran out, and fence this broker meanwhile. A slow apply is not a reason for a
     * longer attempt: the retry carries the same call id, so the leader's retry cache answers it with the first
     * attempt's outcome instead of applying the command twice. What limits a call is the caller's own timeout
     * ({@code MetadataQuorum.bounded}) within {@link #commandRetryPolicy}.
     */
    static RaftProperties commandClient(QuorumConfig config) {
        return client(config.requestTimeout());
    }

    /**
     * For queries ({@link MetadataQuorum#queryLeader}, {@link MetadataQuorum#leaderStatus}): answered from the
     * leader's state at once, so an attempt that outlasts the request timeout is lost and the next one should go
     * elsewhere.
     */
    static RaftProperties queryClient(QuorumConfig config) {
        return client(config.requestTimeout());
    }

    private static RaftProperties client(Duration attemptTimeout) {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, millis(attemptTimeout));
        // The ordered async client would otherwise open with a dummy watch request, which only adds a round trip
        // and an error log when the leader is away.
        RaftClientConfigKeys.Async.Experimental.setSendDummyRequest(p, false);
        return p;
    }

    /** For one-off admin calls ({@link QuorumDiscovery}): each attempt bounded by {@code timeout}. */
    static RaftProperties adminClient(Duration timeout) {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, millis(timeout));
        RaftClientConfigKeys.Async.Experimental.setSendDummyRequest(p, false);
        return p;
    }

    /**
     * For commands: retries (a leader change, a leader not yet ready) every {@link #CLIENT_RETRY_SLEEP} for up to
     * {@link QuorumConfig#MAX_CALL_TIMEOUT} since the request was made. Callers give up sooner (each call's own
     * timeout); this bound only stops a command its caller abandoned from being retried forever.
     */
    static RetryPolicy commandRetryPolicy(QuorumConfig config) {
        return retryPolicy(QuorumConfig.MAX_CALL_TIMEOUT);
    }

    /** For queries: retries as for commands, for up to the request timeout (a query's own timeout). */
    static RetryPolicy queryRetryPolicy(QuorumConfig config) {
        return retryPolicy(config.requestTimeout());
    }

    private static RetryPolicy retryPolicy(Duration total) {
        RequestTypeDependentRetryPolicy.Builder builder = RequestTypeDependentRetryPolicy.newBuilder();
        for (RaftClientRequestProto.TypeCase type : RaftClientRequestProto.TypeCase.values()) {
            builder.setRetryPolicy(type, RetryPolicies.retryForeverWithSleep(millis(CLIENT_RETRY_SLEEP)));
            builder.setTimeout(type, millis(total));
        }
        return builder.build();
    }

    private static TimeDuration millis(Duration d) {
        return TimeDuration.valueOf(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
