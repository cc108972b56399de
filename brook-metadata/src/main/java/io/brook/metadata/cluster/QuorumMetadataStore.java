package io.brook.metadata.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.BrokerIdNotRegisteredException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.metadata.BrokerRegistration;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.MetadataStore;
import io.brook.metadata.TopicImage;
import io.brook.metadata.quorum.MetadataQuorum;
import io.brook.metadata.quorum.QuorumConfig;
import io.brook.metadata.quorum.QuorumEndpoint;
import io.brook.metadata.quorum.QuorumStatus;
import io.brook.metadata.quorum.QuorumTls;
import io.brook.metadata.quorum.QuorumUnavailableException;

/**
 * The {@link MetadataStore} of a Brook node: the {@link MetadataStateMachine} replicated by this node's member of the
 * {@link MetadataQuorum} (one voter on a single node). A mutation is built into a {@link MetadataCommand} (random ids
 * and seeds chosen here, by {@link MetadataRequests}), submitted, and awaited until it is applied on this node, so
 * {@link #image()} shows it when the call returns. Error replies become the kafka-clients exception Kafka's
 * controller would answer; a quorum that does not commit in time becomes {@link TimeoutException} (REQUEST_TIMED_OUT,
 * which the Admin client retries). Validate-only operations apply the command to the current image locally and
 * replicate nothing.
 *
 * <p>While this node leads the quorum it also runs the active controller's {@link ControllerDuties}.
 *
 * <p>Listeners are called by the node's {@link MetadataPublisher}, on its own thread, not the quorum's apply thread:
 * {@link #image()} and command replies show a change as soon as it is applied, and listeners hear of it soon after,
 * in log order, possibly several commands at once (see the publisher's guarantees). The synchronous mutations of
 * {@link MetadataStore} (createTopic, deleteTopic, createPartitions, alter*Configs) also wait until the change has
 * reached this node's listeners, so the node hosts a topic when its creation returns, as callers expect;
 * {@link #submit} does not wait for them.
 *
 * <p>Thread-safe. A listener must not block for long (it delays later changes) and must not wait for a synchronous
 * mutation of this store; if it calls one, that call does not wait for the listeners.
 */
public final class QuorumMetadataStore implements MetadataStore {

    private static final Logger LOG = LoggerFactory.getLogger(QuorumMetadataStore.class);
    /** How long close waits for a listener call in progress (a log creation) before it goes on without it. */
    private static final Duration PUBLISHER_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    /**
     * @param operationTimeout how long a synchronous mutation waits for its command to be applied
     * @param sessionTimeoutMs {@code broker.session.timeout.ms}: a broker not heard from for this long is fenced
     * @param heartbeatIntervalMs {@code broker.heartbeat.interval.ms}: how often the active controller looks for
     *        expired sessions
     * @param leaderImbalanceCheckIntervalMs {@code leader.imbalance.check.interval.seconds} in ms: how often the active
     *        controller moves partitions back to their preferred leaders; 0 when {@code auto.leader.rebalance.enable}
     *        is off
     */
    public record Settings(Duration operationTimeout, long sessionTimeoutMs, long heartbeatIntervalMs,
            long leaderImbalanceCheckIntervalMs) {

        /** Kafka's {@code leader.imbalance.check.interval.seconds} default, 300 s. */
        public static final long DEFAULT_LEADER_IMBALANCE_CHECK_INTERVAL_MS = 300_000;
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(30),
                BrokerHeartbeats.DEFAULT_SESSION_TIMEOUT_MS, BrokerHeartbeats.DEFAULT_HEARTBEAT_INTERVAL_MS);

        /** With Kafka's automatic leader rebalance (on, every 300 s). */
        public Settings(Duration operationTimeout, long sessionTimeoutMs, long heartbeatIntervalMs) {
            this(operationTimeout, sessionTimeoutMs, heartbeatIntervalMs, DEFAULT_LEADER_IMBALANCE_CHECK_INTERVAL_MS);
        }
    }

    private final int nodeId;
    private final MetadataStateMachine machine;
    private final MetadataPublisher publisher;
    private final MetadataQuorum quorum;
    private final ControllerDuties duties;
    private final ScheduledThreadPoolExecutor controllerTimer;
    private final MetadataRequests requests = new MetadataRequests(new SecureRandom());
    private final Duration operationTimeout;
    /** Completes when this node first becomes a ready leader. */
    private final CompletableFuture<Void> leading = new CompletableFuture<>();

    private QuorumMetadataStore(QuorumConfig config, Optional<QuorumTls> tls, Settings settings, Time time) {
        this.nodeId = config.nodeId();
        this.operationTimeout = settings.operationTimeout();
        this.publisher = new MetadataPublisher("brook-metadata-publisher-" + config.nodeId(),
                PUBLISHER_CLOSE_TIMEOUT);
        this.machine = new MetadataStateMachine(time, settings.sessionTimeoutMs(), publisher::offer);
        this.quorum = new MetadataQuorum(config, machine, tls);
        this.controllerTimer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "brook-controller-" + config.nodeId());
            t.setDaemon(true);
            return t;
        });
        controllerTimer.setRemoveOnCancelPolicy(true);
        this.duties = new ControllerDuties(machine, this::submit, controllerTimer, settings.heartbeatIntervalMs(),
                config.voters().all().stream().map(QuorumEndpoint::id).toList(),
                settings.leaderImbalanceCheckIntervalMs());
        quorum.addLeadershipListener(duties);
        quorum.addLeadershipListener((leader, term) -> {
            if (leader) {
                leading.complete(null);
            }
        });
    }

    /**
     * Starts this node's quorum member (restoring its snapshot and replaying its log). Returns without waiting for a
     * leader: see {@link #ready()}.
     */
    public static QuorumMetadataStore start(QuorumConfig config, Settings settings, Time time) throws IOException {
        return start(config, Optional.empty(), settings, time);
    }

    /** As {@link #start(QuorumConfig, Settings, Time)}, with the quorum's Raft traffic over {@code tls} when present. */
    public static QuorumMetadataStore start(QuorumConfig config, Optional<QuorumTls> tls, Settings settings, Time time)
            throws IOException {
        QuorumMetadataStore store = new QuorumMetadataStore(config, tls, settings, time);
        try {
            store.publisher.start();
            store.quorum.start();
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /** Completes once a leader is known and this node has applied what was committed when it learned of it. */
    public CompletableFuture<Void> ready() {
        return quorum.ready();
    }

    /** Waits for {@link #ready()} at most {@code timeout}; throws {@link TimeoutException} when it does not come. */
    public void awaitReady(Duration timeout) {
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        await(ready(), timeout, "the metadata quorum to elect a leader");
        // A node that leads after a restart knows it before it can serve (it first commits an entry of its term);
        // waiting for that spares the first command a round of retries.
        if (quorum.leaderId().orElse(-1) == nodeId && !quorum.isLeader()) {
            Duration left = Duration.ofNanos(Math.max(0, deadlineNs - System.nanoTime()));
            await(leading, left, "this node to be ready to lead the metadata quorum");
        }
    }

    public QuorumStatus status() {
        return quorum.status();
    }

    /** The quorum's status as its leader sees it (replication progress of every member); see MetadataQuorum. */
    public CompletableFuture<QuorumStatus> leaderStatus() {
        return quorum.leaderStatus();
    }

    public MetadataQuorum quorum() {
        return quorum;
    }

    /** The highest metadata log index applied on this node. */
    public long lastAppliedIndex() {
        return quorum.lastAppliedIndex();
    }

    /**
     * The index of the newest image this node's listeners have been given: what a broker heartbeat reports, as a
     * Kafka broker reports the offset its metadata publishers reached, so the controller unfences a broker (and gives
     * it leaderships) only once it hosts what it has been assigned so far.
     */
    public long publishedIndex() {
        return publisher.publishedIndex();
    }

    /**
     * Waits until this node's listeners have been given every change applied here so far, at most {@code timeout}.
     * Not from a listener.
     *
     * @return false on timeout
     */
    public boolean awaitListeners(Duration timeout) throws InterruptedException {
        return publisher.awaitPublished(machine.lastAppliedIndex(), timeout);
    }

    @Override
    public MetadataImage image() {
        return machine.image();
    }

    @Override
    public TopicImage createTopic(String name, int partitions, short replicationFactor, Map<String, String> configs) {
        return created(name, callAndPublish(requests.createTopic(image(), name, partitions, replicationFactor,
                configs), CommandReply.TopicResults.class));
    }

    /**
     * As {@link #createTopic(String, int, short, Map)}, but returns once the creation is committed and applied on this
     * node, without waiting for this node's listeners to create its logs: Kafka's controller answers CreateTopics at
     * commit too. Until a node has created a partition's log it answers Produce and Fetch for it with
     * NOT_LEADER_OR_FOLLOWER, which clients retry, as a Kafka broker whose logs lag its metadata cache.
     */
    public TopicImage createTopicCommitted(String name, int partitions, short replicationFactor,
            Map<String, String> configs) {
        TopicImage created = created(name, call(requests.createTopic(image(), name, partitions, replicationFactor,
                configs), CommandReply.TopicResults.class));
        LOG.debug("Creation of topic {} ({} partitions) committed at index {}", name, partitions,
                machine.lastAppliedIndex());
        return created;
    }

    /** The topic a creation command made, or its error thrown. */
    private TopicImage created(String name, CommandReply.TopicResults results) {
        MetadataRequests.orThrow(results.topics().get(0));
        return image().topic(name).orElseThrow(() -> new IllegalStateException("created topic " + name
                + " is not in the image"));
    }

    @Override
    public void validateCreateTopic(String name, int partitions, short replicationFactor,
            Map<String, String> configs) {
        CommandReply.TopicResults results = dryRun(
                requests.createTopic(image(), name, partitions, replicationFactor, configs),
                CommandReply.TopicResults.class);
        MetadataRequests.orThrow(results.topics().get(0));
    }

    /**
     * Creates a topic with a manual assignment (partition index → ordered replicas), as CreateTopics does when the
     * request carries assignments; validated against the registered brokers by the controller. Returns at commit, as
     * {@link #createTopicCommitted} does.
     *
     * @return the created topic, or empty when {@code validateOnly}
     */
    public Optional<TopicImage> createTopic(String name, Map<Integer, List<Integer>> assignments,
            Map<String, String> configs, boolean validateOnly) {
        MetadataCommand command = new MetadataCommand.CreateTopics(List.of(new MetadataCommand.NewTopic(name,
                requests.newTopicId(image()), -1, (short) -1, assignments, configs)), 0);
        CommandReply.TopicResults results = validateOnly
                ? dryRun(command, CommandReply.TopicResults.class)
                : call(command, CommandReply.TopicResults.class);
        MetadataRequests.orThrow(results.topics().get(0));
        return validateOnly ? Optional.empty() : image().topic(name);
    }

    @Override
    public void deleteTopic(Uuid topicId) {
        CommandReply.TopicResults results = callAndPublish(new MetadataCommand.DeleteTopics(List.of(topicId)),
                CommandReply.TopicResults.class);
        MetadataRequests.orThrow(results.topics().get(0));
    }

    @Override
    public void createPartitions(String topicName, int totalCount, boolean validateOnly) {
        MetadataCommand command = requests.createPartitions(topicName, totalCount, null);
        CommandReply.TopicResults results = validateOnly
                ? dryRun(command, CommandReply.TopicResults.class)
                : callAndPublish(command, CommandReply.TopicResults.class);
        MetadataRequests.orThrow(results.topics().get(0));
    }

    @Override
    public void alterTopicConfigs(String topicName, Map<String, Optional<String>> changes, boolean replaceAll,
            boolean validateOnly) {
        Map<String, String> set = new HashMap<>();
        List<String> remove = new ArrayList<>();
        split(changes, set, remove);
        MetadataCommand command = new MetadataCommand.AlterTopicConfigs(topicName, set, remove, replaceAll);
        if (validateOnly) {
            dryRun(command, CommandReply.class);
        } else {
            callAndPublish(command, CommandReply.class);
        }
    }

    @Override
    public void alterBrokerConfigs(Map<String, Optional<String>> changes, boolean replaceAll, boolean validateOnly) {
        Map<String, String> set = new HashMap<>();
        List<String> remove = new ArrayList<>();
        split(changes, set, remove);
        MetadataCommand command = new MetadataCommand.AlterBrokerConfigs(set, remove, replaceAll);
        if (validateOnly) {
            dryRun(command, CommandReply.class);
        } else {
            callAndPublish(command, CommandReply.class);
        }
    }

    /** Takes a block of {@code count} ids for this node's broker, which must be registered. */
    @Override
    public long allocateProducerIds(int count) {
        BrokerRegistration self = image().broker(nodeId)
                .orElseThrow(() -> new BrokerIdNotRegisteredException("Broker " + nodeId + " is not registered."));
        return call(new MetadataCommand.AllocateProducerIds(nodeId, self.epoch(), count),
                CommandReply.ProducerIdBlock.class).firstProducerId();
    }

    @Override
    public CompletableFuture<CommandReply> submit(MetadataCommand command) {
        try {
            // The operation timeout, not the quorum's shorter request timeout: a command waits for its local apply,
            // and a node catching up (or a busy machine) can take longer than a Raft round trip for that.
            return quorum.submit(MetadataCodec.encode(command), operationTimeout).thenApply(MetadataCodec::decodeReply);
        } catch (QuorumUnavailableException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Registers a broker and completes with the reply ({@link CommandReply.BrokerRegistered} or a failure). When an
     * earlier incarnation of the broker still holds the id unfenced and this node is the active controller that has
     * not heard from it since it became active (the usual case when a single node restarts after a crash), that
     * registration is fenced first and the new one accepted, as Kafka's controller accepts a registration whose
     * predecessor has no live session. Otherwise the reply is DUPLICATE_BROKER_REGISTRATION until the old session
     * expires, and the caller retries.
     */
    public CompletableFuture<CommandReply> registerBroker(MetadataCommand.RegisterBroker command) {
        return submit(command).thenCompose(reply -> {
            int id = command.brokerId();
            Optional<BrokerRegistration> old = image().broker(id);
            if (reply instanceof CommandReply.Failed failed
                    && failed.error() == Errors.DUPLICATE_BROKER_REGISTRATION && old.isPresent()
                    && !old.get().fenced() && quorum.isLeader() && !machine.heartbeats().heardFrom(id)) {
                LOG.info("Broker {} registers again with incarnation {}; fencing its silent earlier incarnation {}", id,
                        command.incarnationId(), old.get().incarnationId());
                return submit(new MetadataCommand.FenceBroker(id, old.get().epoch())).thenCompose(r -> submit(command));
            }
            return CompletableFuture.completedFuture(reply);
        });
    }

    /** Runs a query on the active controller (a broker heartbeat) without replicating it. */
    public CompletableFuture<MetadataQuery.Answer> queryLeader(MetadataQuery query) {
        try {
            return quorum.queryLeader(MetadataCodec.encode(query)).thenApply(MetadataCodec::decodeAnswer);
        } catch (QuorumUnavailableException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void addListener(MetadataListener listener) {
        publisher.addListener(listener);
    }

    @Override
    public void close() {
        duties.close();
        controllerTimer.shutdownNow();
        try {
            quorum.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot close the metadata quorum", e);
        } finally {
            publisher.close();
        }
    }

    // ---- internals

    /** Submits and waits; a whole-command failure throws its ApiException. */
    private <T extends CommandReply> T call(MetadataCommand command, Class<T> type) {
        CommandReply reply = await(submit(command), operationTimeout, command.getClass().getSimpleName());
        return MetadataRequests.orThrow(reply, type);
    }

    /** As {@link #call}, then waits until this node's listeners have seen the change (whether it was refused or not). */
    private <T extends CommandReply> T callAndPublish(MetadataCommand command, Class<T> type) {
        CommandReply reply = await(submit(command), operationTimeout, command.getClass().getSimpleName());
        awaitPublished(command);
        return MetadataRequests.orThrow(reply, type);
    }

    /**
     * Waits until the listeners have been given the image this node has applied (which includes the command, as
     * submit waits for the local apply). On timeout the change stays applied and the caller is told so by a log line
     * only: failing the call would report a committed change as failed.
     */
    private void awaitPublished(MetadataCommand command) {
        if (publisher.isPublisherThread()) {
            return;
        }
        long index = machine.lastAppliedIndex();
        try {
            if (!awaitListeners(operationTimeout)) {
                LOG.warn("{} is applied at index {}, but this node's metadata listeners have not caught up with it "
                        + "after {} ms", command.getClass().getSimpleName(), index, operationTimeout.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Applies to the current image only, as the next log entry would be; nothing is replicated. */
    private <T extends CommandReply> T dryRun(MetadataCommand command, Class<T> type) {
        CommandReply reply = MetadataCommandApplier.apply(image(), machine.lastAppliedIndex() + 1, command).reply();
        return MetadataRequests.orThrow(reply, type);
    }

    private static void split(Map<String, Optional<String>> changes, Map<String, String> set, List<String> remove) {
        changes.forEach((name, value) -> {
            if (value.isPresent()) {
                set.put(name, value.get());
            } else {
                remove.add(name);
            }
        });
    }

    private static <T> T await(CompletableFuture<T> future, Duration timeout, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException("Timed out after " + timeout.toMillis() + " ms waiting for " + what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException("Interrupted while waiting for " + what);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof QuorumUnavailableException) {
                LOG.info("Metadata quorum unavailable for {}: {}", what, cause.getMessage());
                throw new TimeoutException(cause.getMessage(), cause);
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(what + " failed", cause);
        }
    }
}
