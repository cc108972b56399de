package io.brook.metadata.quorum;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.ExitUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's member of the metadata quorum: a Ratis server over a {@link ReplicatedStateMachine}, plus a client to
 * reach the leader. Voters elect the leader and commit commands; listeners follow the log and hold the same state.
 * Knows nothing of what the commands mean.
 *
 * <pre>
 *   NEW --start()--> RUNNING --close()--> CLOSED
 *    \______________close()_____________/
 * </pre>
 *
 * <p>Thread-safe. {@link #start} and {@link #close} are serialised by the instance monitor; the other methods may be
 * called from any thread once started and never block: their futures complete on Ratis or quorum threads, so a caller
 * must not block inside a callback on them either.
 */
public final class MetadataQuorum implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataQuorum.class);

    /** The one Raft group of the cluster metadata; fixed, so every node agrees on it without configuration. */
    static final RaftGroupId GROUP_ID = RaftGroupId
            .valueOf(UUID.nameUUIDFromBytes("brook-cluster-metadata".getBytes(StandardCharsets.UTF_8)));

    private enum State {
        NEW, RUNNING, CLOSED
    }

    private final QuorumConfig config;
    private final ReplicatedStateMachine machine;
    private final AppliedIndexWaiters applied = new AppliedIndexWaiters();
    private final List<LeadershipListener> leadershipListeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    /**
     * Request deadlines, and a listener's attempts to join (a blocking admin call, hence two threads so deadlines
     * never wait behind it); daemon threads, ended by {@link #close}.
     */
    private final ScheduledThreadPoolExecutor scheduler;
    /** TLS of every Raft server and client of this node; empty in clear text. */
    private final Optional<QuorumTls> tls;

    private volatile State state = State.NEW;
    private volatile RaftServer server;
    /** Commands and queries use separate clients, so a failed query never fails commands in flight. */
    private volatile ClientSlot commands;
    private volatile ClientSlot queries;
    private volatile boolean joined;
    /** Guarded by {@code leadershipListeners}: the last leadership told to listeners. */
    private boolean leader;

    public MetadataQuorum(QuorumConfig config, ReplicatedStateMachine machine) {
        this(config, machine, Optional.empty());
    }

    /** As {@link #MetadataQuorum(QuorumConfig, ReplicatedStateMachine)}, with the Raft traffic over {@code tls}. */
    public MetadataQuorum(QuorumConfig config, ReplicatedStateMachine machine, Optional<QuorumTls> tls) {
        this.config = config;
        this.tls = Objects.requireNonNull(tls, "tls");
        this.machine = machine;
        this.scheduler = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "brook-quorum-" + config.nodeId());
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /**
     * Opens the storage (restoring the latest snapshot and replaying the log after it), starts the Raft server and
     * the client, and for a listener starts asking the leader to add it. Returns without waiting for a leader: see
     * {@link #ready()}.
     */
    public synchronized void start() throws IOException {
        if (state != State.NEW) {
            throw new IllegalStateException("the metadata quorum was already started or closed: " + state);
        }
        RatisProcessGuard.install();
        try {
            startServerAndClients();
        } catch (ExitUtils.ExitException e) {
            // Ratis wanted to exit the JVM (its gRPC server could not bind): a start failure to us
            IOException failure = new IOException("the metadata quorum could not start on " + config.bindHost() + ":"
                    + config.address().port() + ": " + e.getMessage(), e.getCause() != null ? e.getCause() : e);
            closeAfterFailedStart(failure);
            throw failure;
        } catch (IOException | RuntimeException e) {
            // e.g. the storage is locked: release what was opened before reporting it
            closeAfterFailedStart(e);
            throw e;
        }
        state = State.RUNNING;
        if (joined) {
            maybeReady();
        } else {
            scheduler.execute(() -> joinAsListener(RatisSettings.CLIENT_RETRY_SLEEP.toMillis()));
        }
        LOG.info("Metadata quorum member {} started as a {} of {}={}, storage {}", config.nodeId(), config.role(),
                QuorumVoters.PROPERTY, config.voters(), config.storageDir());
    }

    private void closeAfterFailedStart(Exception failure) {
        try {
            close();
        } catch (IOException | RuntimeException suppressed) {
            failure.addSuppressed(suppressed);
        }
    }

    private void startServerAndClients() throws IOException {
        Files.createDirectories(config.storageDir());
        RaftPeerId self = peerId(config.nodeId());
        RaftServer newServer = RaftServer.newBuilder()
                .setServerId(self)
                .setGroup(initialGroup())
                .setProperties(RatisSettings.server(config))
                .setParameters(RatisSettings.parameters(tls))
                .setStateMachine(new RatisStateMachine(machine, applied, new Events()))
                // RECOVER opens the existing storage, or formats it when there is none yet.
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
        server = newServer;
        joined = config.role() == QuorumRole.VOTER;
        newServer.start();
        commands = new ClientSlot(
                () -> newClient(RatisSettings.commandClient(config), RatisSettings.commandRetryPolicy(config)));
        queries = new ClientSlot(
                () -> newClient(RatisSettings.queryClient(config), RatisSettings.queryRetryPolicy(config)));
    }

    /**
     * Completes once a leader is known (and, on the leader itself, ready to take commands), this node has applied
     * what it knew to be committed at that moment (the state restored from snapshot and log), and for a listener once
     * the leader has added it to the configuration. Fails if the quorum closes first.
     */
    public CompletableFuture<Void> ready() {
        return ready.copy();
    }

    /**
     * Replicates a command and completes with the state machine's reply once it is committed and applied on this
     * node too, so the caller sees its own write in the local state. Routed to the leader from any node.
     *
     * <p>Fails with {@link QuorumUnavailableException} when no leader with a majority commits it within the request
     * timeout; the command may then still commit later (its outcome is unknown).
     */
    public CompletableFuture<byte[]> submit(byte[] command) {
        return submit(command, config.requestTimeout());
    }

    /**
     * As {@link #submit(byte[])}, waiting up to {@code timeout} instead of the request timeout: for callers that
     * can wait longer than a Raft round trip for the local apply (a node catching up with the log).
     *
     * @throws IllegalArgumentException when {@code timeout} exceeds {@link QuorumConfig#MAX_CALL_TIMEOUT}, after
     *         which the quorum's client gives the command up whatever the caller waits for
     */
    public CompletableFuture<byte[]> submit(byte[] command, Duration timeout) {
        if (timeout.compareTo(QuorumConfig.MAX_CALL_TIMEOUT) > 0) {
            throw new IllegalArgumentException("a call timeout must be at most " + QuorumConfig.MAX_CALL_TIMEOUT
                    .toMillis() + " ms, got " + timeout.toMillis() + " ms");
        }
        ClientSlot slot = commands;
        if (state != State.RUNNING || slot == null) {
            return notRunning();
        }
        Message message = Message.valueOf(ByteString.copyFrom(command));
        CompletableFuture<byte[]> result = slot.send(c -> c.async().send(message))
                .thenCompose(reply -> {
                    byte[] bytes = replyBytes(reply);
                    return applied.await(reply.getLogIndex()).thenApply(v -> bytes);
                });
        return bounded(result, "submit", timeout);
    }

    /**
     * Runs {@link ReplicatedStateMachine#query} on the leader, without replicating anything (broker heartbeats).
     * Fails with {@link QuorumUnavailableException} when no leader answers within the request timeout.
     */
    public CompletableFuture<byte[]> queryLeader(byte[] request) {
        ClientSlot slot = queries;
        if (state != State.RUNNING || slot == null) {
            return notRunning();
        }
        byte[] tagged = new byte[request.length + 1];
        tagged[0] = RatisStateMachine.QUERY_MACHINE;
        System.arraycopy(request, 0, tagged, 1, request.length);
        return sendToLeader(slot, tagged, "queryLeader");
    }

    /**
     * The quorum's status as the leader sees it: the only member that knows every other member's replication progress.
     * Answered locally on the leader, else asked of it like {@link #queryLeader}; fails with
     * {@link QuorumUnavailableException} when no leader answers within the request timeout.
     */
    public CompletableFuture<QuorumStatus> leaderStatus() {
        ClientSlot slot = queries;
        if (state != State.RUNNING || slot == null) {
            return notRunning();
        }
        RaftServer.Division d = division();
        if (d != null && d.getInfo().isLeader()) {
            return CompletableFuture.completedFuture(status());
        }
        return sendToLeader(slot, new byte[]{RatisStateMachine.QUERY_QUORUM_STATUS}, "leaderStatus")
                .thenApply(QuorumStatusCodec::decode);
    }

    private CompletableFuture<byte[]> sendToLeader(ClientSlot slot, byte[] tagged, String what) {
        Message message = Message.valueOf(ByteString.copyFrom(tagged));
        // Unordered: queries need no order among themselves, and a failed one must not hold back later ones.
        return bounded(slot.send(c -> c.async().sendReadOnlyUnordered(message))
                .thenApply(MetadataQuorum::replyBytes), what);
    }

    /** Whether this node is the leader and ready (every earlier command applied). */
    public boolean isLeader() {
        RaftServer.Division d = division();
        return d != null && d.getInfo().isLeaderReady();
    }

    /** The leader this node knows of, if any. */
    public OptionalInt leaderId() {
        RaftServer.Division d = division();
        RaftPeerId id = d == null ? null : d.getInfo().getLeaderId();
        return id == null ? OptionalInt.empty() : OptionalInt.of(nodeId(id));
    }

    /** The current Raft term as this node knows it (0 before start). */
    public long currentTerm() {
        RaftServer.Division d = division();
        return d == null ? 0 : d.getInfo().getCurrentTerm();
    }

    /** The highest log index applied to this node's state (-1 when nothing is). */
    public long lastAppliedIndex() {
        return applied.applied();
    }

    /**
     * Registers a listener for this node's leadership; if this node is already the leader it is told at once (on the
     * calling thread).
     */
    public void addLeadershipListener(LeadershipListener listener) {
        synchronized (leadershipListeners) {
            leadershipListeners.add(listener);
            if (leader) {
                listener.onLeadershipChange(true, currentTerm());
            }
        }
    }

    public QuorumConfig config() {
        return config;
    }

    /** This node's view of the quorum; replication progress of the others is known only on the leader. */
    public QuorumStatus status() {
        RaftServer.Division d = division();
        if (d == null) {
            return new QuorumStatus(config.nodeId(), config.role(), OptionalInt.empty(), 0, -1, applied.applied(),
                    List.of(), List.of());
        }
        Map<RaftPeerId, Long> commitIndexes = new HashMap<>();
        for (CommitInfoProto info : d.getCommitInfos()) {
            commitIndexes.put(RaftPeerId.valueOf(info.getServer().getId()), info.getCommitIndex());
        }
        Map<RaftPeerId, long[]> progress = followerProgress(d);
        long lastIndex = d.getRaftLog().getLastEntryTermIndex() == null
                ? -1
                : d.getRaftLog().getLastEntryTermIndex().getIndex();
        boolean isLeader = d.getInfo().isLeader();
        Function<RaftPeer, QuorumStatus.Member> member = peer -> {
            long[] p = progress.get(peer.getId());
            boolean me = peer.getId().equals(d.getId());
            long match = p != null ? p[0] : me && isLeader ? lastIndex : -1;
            long contact = p != null ? p[1] : me && isLeader ? 0 : -1;
            return new QuorumStatus.Member(nodeId(peer.getId()), peer.getAddress(), match,
                    commitIndexes.getOrDefault(peer.getId(), -1L), contact);
        };
        return new QuorumStatus(config.nodeId(), config.role(), leaderId(), d.getInfo().getCurrentTerm(),
                d.getRaftLog().getLastCommittedIndex(), applied.applied(),
                members(d.getRaftConf().getCurrentPeers(RaftPeerRole.FOLLOWER), member),
                members(d.getRaftConf().getCurrentPeers(RaftPeerRole.LISTENER), member));
    }

    /** Closes the client and the server and fails pending waits; bounded by Ratis's close threshold. Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        scheduler.shutdownNow();
        IOException failure = null;
        for (ClientSlot slot : new ClientSlot[]{commands, queries}) {
            try {
                if (slot != null) {
                    slot.close();
                }
            } catch (IOException e) {
                failure = e;
            }
        }
        try {
            if (server != null) {
                // Takes up to a second: Ratis's log worker notices the close only at its next one-second poll.
                server.close();
            }
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        applied.close();
        ready.completeExceptionally(new QuorumUnavailableException("the metadata quorum is closed"));
        leadershipChanged(false);
        try {
            scheduler.awaitTermination(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Metadata quorum member {} closed", config.nodeId());
        if (failure != null) {
            throw failure;
        }
    }

    // ---- internals ----

    static RaftPeerId peerId(int nodeId) {
        return RaftPeerId.valueOf(Integer.toString(nodeId));
    }

    static int nodeId(RaftPeerId peerId) {
        return Integer.parseInt(peerId.toString());
    }

    private static RaftPeer peer(QuorumEndpoint endpoint, RaftPeerRole role) {
        return RaftPeer.newBuilder().setId(peerId(endpoint.id())).setAddress(endpoint.address())
                .setStartupRole(role).build();
    }

    private RaftGroup votersGroup() {
        return RaftGroup.valueOf(GROUP_ID,
                config.voters().all().stream().map(v -> peer(v, RaftPeerRole.FOLLOWER)).toList());
    }

    /**
     * The configuration a fresh storage starts from: the static voters, plus this node as a listener if it is one
     * (so it starts as a listener and never campaigns). Once the log holds a configuration, that one wins.
     */
    private RaftGroup initialGroup() {
        List<RaftPeer> peers = new ArrayList<>(votersGroup().getPeers());
        if (config.role() == QuorumRole.LISTENER) {
            peers.add(peer(config.address(), RaftPeerRole.LISTENER));
        }
        return RaftGroup.valueOf(GROUP_ID, peers);
    }

    private RaftServer.Division division() {
        RaftServer s = server;
        if (s == null) {
            return null;
        }
        try {
            return s.getDivision(GROUP_ID);
        } catch (IOException e) {
            return null;
        }
    }

    private RaftClient newClient(RaftProperties properties, RetryPolicy retryPolicy) {
        RaftClient.Builder builder = RaftClient.newBuilder()
                .setClientId(ClientId.randomId())
                .setRaftGroup(votersGroup())
                .setProperties(properties)
                .setParameters(RatisSettings.parameters(tls))
                .setRetryPolicy(retryPolicy);
        RaftServer.Division d = division();
        RaftPeerId knownLeader = d == null ? null : d.getInfo().getLeaderId();
        if (knownLeader != null) {
            builder.setLeaderId(knownLeader); // saves a NotLeader round trip on the first request
        }
        return builder.build();
    }

    private <T> CompletableFuture<T> notRunning() {
        return CompletableFuture.failedFuture(new QuorumUnavailableException(
                "the metadata quorum is " + state.name().toLowerCase(Locale.ROOT)));
    }

    private static byte[] replyBytes(RaftClientReply reply) {
        if (!reply.isSuccess()) {
            throw new CompletionException(reply.getException());
        }
        return reply.getMessage().getContent().toByteArray();
    }

    /** Maps Ratis failures to ours and enforces the request timeout whatever Ratis's retries do. */
    private CompletableFuture<byte[]> bounded(CompletableFuture<byte[]> inner, String what) {
        return bounded(inner, what, config.requestTimeout());
    }

    private CompletableFuture<byte[]> bounded(CompletableFuture<byte[]> inner, String what, Duration timeout) {
        CompletableFuture<byte[]> outer = new CompletableFuture<>();
        ScheduledFuture<?> deadline;
        try {
            deadline = scheduler.schedule(() -> outer.completeExceptionally(new QuorumUnavailableException(
                    what + " timed out after " + timeout.toMillis() + " ms: no majority of the metadata quorum "
                            + config.voters() + " answered")),
                    timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) { // close() ran meanwhile; it fails the inner future as well
            deadline = null;
        }
        ScheduledFuture<?> toCancel = deadline;
        inner.whenComplete((value, error) -> {
            if (toCancel != null) {
                toCancel.cancel(false);
            }
            if (error == null) {
                outer.complete(value);
            } else {
                outer.completeExceptionally(translate(error, what));
            }
        });
        return outer;
    }

    private static Throwable translate(Throwable error, String what) {
        Throwable cause = ClientSlot.unwrap(error);
        if (cause instanceof QuorumUnavailableException) {
            return cause;
        }
        if (cause instanceof StateMachineException) {
            // The state machine threw: a bug, not unavailability; keep Ratis's exception as the cause.
            return new IllegalStateException(what + " failed in the metadata state machine", cause);
        }
        return new QuorumUnavailableException(what + " failed: " + cause, cause);
    }

    /**
     * Makes this listener a member of the leader's configuration, retrying with a growing pause (up to the request
     * timeout) until it is one or the quorum closes. Each attempt reads the leader's configuration and, unless this
     * node is already in it at its address (a restart: nothing to change), asks for it plus this node as a
     * compare-and-set (see {@link ListenerMembership}); a concurrent change makes the compare fail and the next
     * attempt start from the new configuration.
     */
    private void joinAsListener(long retryMillis) {
        if (state != State.RUNNING || joined) {
            return;
        }
        long delay = retryMillis;
        long nextDelay = Math.min(retryMillis * 2, config.requestTimeout().toMillis());
        try {
            if (joinStep()) {
                joined = true;
                LOG.info("Listener {} is in the metadata quorum's configuration", config.nodeId());
                maybeReady();
                return;
            }
            // A change was committed: check the outcome (or take the next step) soon, from the shortest pause again.
            delay = RatisSettings.CLIENT_RETRY_SLEEP.toMillis();
            nextDelay = delay;
        } catch (IOException | RuntimeException e) {
            LOG.info("Listener {} not in the metadata quorum's configuration yet, retrying in {} ms: {}",
                    config.nodeId(), retryMillis, e.toString());
        }
        if (state == State.RUNNING) {
            long following = nextDelay;
            try {
                scheduler.schedule(() -> joinAsListener(following), delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // closing
            }
        }
    }

    /**
     * One attempt to join: true when this node already is a listener at its address in the leader's configuration,
     * false after a change was committed (the next attempt checks the outcome). Blocks, each call bounded by the
     * request timeout.
     */
    private boolean joinStep() throws IOException {
        RaftPeer self = peer(config.address(), RaftPeerRole.LISTENER);
        RaftGroup leaderConf;
        RaftPeerId leaderId;
        try (RaftClient client = newAdminClient(null)) {
            GroupInfoReply info = leaderGroupInfo(client);
            leaderConf = info.getGroup();
            leaderId = info.getServerId();
        }
        List<RaftPeer> voters = new ArrayList<>();
        List<RaftPeer> listeners = new ArrayList<>();
        for (RaftPeer p : leaderConf.getPeers()) {
            (p.getStartupRole() == RaftPeerRole.LISTENER ? listeners : voters).add(p);
        }
        Optional<SetConfigurationRequest.Arguments> change = ListenerMembership.nextChange(voters, listeners, self);
        if (change.isEmpty()) {
            return true;
        }
        LOG.info("Listener {} asks leader {} to change the metadata quorum's listeners from {} to {}",
                config.nodeId(), leaderId, listeners, change.get().getPeersInNewConf(RaftPeerRole.LISTENER));
        try (RaftClient client = newAdminClient(leaderId)) {
            RaftClientReply reply = client.admin().setConfiguration(change.get());
            if (!reply.isSuccess()) {
                throw reply.getException() != null
                        ? reply.getException()
                        : new IOException("the leader refused the configuration change");
            }
        }
        return false;
    }

    /** The group information of the voter that answers as the leader; fails when none does. */
    private GroupInfoReply leaderGroupInfo(RaftClient client) throws IOException {
        List<String> answers = new ArrayList<>();
        for (QuorumEndpoint voter : config.voters().all()) {
            try {
                GroupInfoReply info = client.getGroupManagementApi(peerId(voter.id())).info(GROUP_ID);
                if (info != null && info.isSuccess() && info.getRoleInfoProto().getRole() == RaftPeerRole.LEADER
                        && info.getGroup() != null) {
                    return info;
                }
                answers.add(voter.id() + ": " + (info == null ? "no reply" : info.getRoleInfoProto().getRole()));
            } catch (IOException | RuntimeException e) {
                answers.add(voter.id() + ": " + e.getMessage());
            }
        }
        throw new IOException("no voter answers as the metadata quorum leader: " + answers);
    }

    /** A one-off client for the join's admin calls: one attempt each, bounded by the request timeout. */
    private RaftClient newAdminClient(RaftPeerId leaderId) {
        RaftClient.Builder builder = RaftClient.newBuilder()
                .setClientId(ClientId.randomId())
                .setRaftGroup(votersGroup())
                .setProperties(RatisSettings.adminClient(config.requestTimeout()))
                .setParameters(RatisSettings.parameters(tls))
                .setRetryPolicy(RetryPolicies.noRetry());
        if (leaderId != null) {
            builder.setLeaderId(leaderId);
        }
        return builder.build();
    }

    private void maybeReady() {
        maybeReady(false);
    }

    /**
     * Completes {@link #ready()} once a leader is known, this node is in the configuration and has applied what it
     * knew to be committed; on the leader itself only once it is ready (its first entry applied), since until then it
     * refuses commands and a first submit would only be retried.
     */
    private void maybeReady(boolean leaderReady) {
        RaftServer.Division d = division();
        if (ready.isDone() || !joined || d == null || d.getInfo().getLeaderId() == null) {
            return;
        }
        if (d.getInfo().isLeader() && !leaderReady && !d.getInfo().isLeaderReady()) {
            return; // Events.leadershipChanged(true) comes back here
        }
        applied.await(d.getRaftLog().getLastCommittedIndex()).thenRun(() -> ready.complete(null));
    }

    private void leadershipChanged(boolean nowLeader) {
        synchronized (leadershipListeners) {
            if (leader == nowLeader) {
                return;
            }
            leader = nowLeader;
            long term = currentTerm();
            LOG.info("Node {} {} the metadata quorum leader in term {}", config.nodeId(),
                    nowLeader ? "became" : "is no longer", term);
            for (LeadershipListener listener : leadershipListeners) {
                try {
                    listener.onLeadershipChange(nowLeader, term);
                } catch (RuntimeException e) {
                    LOG.error("A leadership listener failed", e);
                }
            }
        }
    }

    private static Map<RaftPeerId, long[]> followerProgress(RaftServer.Division d) {
        Map<RaftPeerId, long[]> progress = new HashMap<>();
        RoleInfoProto role = d.getInfo().getRoleInfoProto();
        long[] matches = d.getInfo().getFollowerMatchIndices();
        if (!role.hasLeaderInfo() || matches == null) {
            return progress;
        }
        List<ServerRpcProto> followers = role.getLeaderInfo().getFollowerInfoList();
        // Both lists come from the leader's log appenders in the same order; skip if a change raced between them.
        if (followers.size() != matches.length) {
            return progress;
        }
        for (int i = 0; i < matches.length; i++) {
            ServerRpcProto follower = followers.get(i);
            progress.put(RaftPeerId.valueOf(follower.getId().getId()),
                    new long[]{matches[i], follower.getLastRpcElapsedTimeMs()});
        }
        return progress;
    }

    private static List<QuorumStatus.Member> members(Collection<RaftPeer> peers,
            Function<RaftPeer, QuorumStatus.Member> member) {
        return peers.stream().map(member).sorted((a, b) -> Integer.compare(a.id(), b.id())).toList();
    }

    /** Ratis's notifications, on its threads. */
    private final class Events implements RatisStateMachine.Events {
        @Override
        public void leaderChanged(RaftPeerId leaderId) {
            if (!peerId(config.nodeId()).equals(leaderId)) {
                leadershipChanged(false);
            }
            maybeReady();
        }

        @Override
        public void leadershipChanged(boolean nowLeader) {
            MetadataQuorum.this.leadershipChanged(nowLeader);
            if (nowLeader) {
                maybeReady(true);
            }
        }

        @Override
        public QuorumStatus status() {
            return MetadataQuorum.this.status();
        }
    }
}
