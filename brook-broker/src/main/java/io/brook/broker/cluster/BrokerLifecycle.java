package io.brook.broker.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.metadata.BrokerRegistration;
import io.brook.metadata.Endpoint;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.cluster.ClusterQueries;
import io.brook.metadata.cluster.CommandReply;
import io.brook.metadata.cluster.MetadataCommand;
import io.brook.metadata.cluster.MetadataQuery;
import io.brook.metadata.cluster.QuorumMetadataStore;

/**
 * This broker's membership of the cluster, as a Kafka broker keeps it with the active controller: it registers with a
 * fresh incarnation id, heartbeats every {@code broker.heartbeat.interval.ms}, asks to be unfenced once it has caught
 * up with the metadata log, and at shutdown moves its leaderships away (controlled shutdown) and fences itself. Until
 * it is registered and unfenced the controller gives it no leadership, so it claims none.
 *
 * <pre>
 *   NEW --start--> REGISTERING --registered--> FENCED --unfenced--> ACTIVE --controlledShutdown--> STOPPED
 *                     ^   (DUPLICATE: retry)      |                   |
 *                     +------ STALE_BROKER_EPOCH / BROKER_ID_NOT_REGISTERED (re-register) -----+
 * </pre>
 *
 * <p>Threading: every state change runs on this object's single timer thread; replies from the quorum are handed to
 * it. {@link #awaitUnfenced} and {@link #controlledShutdown} block their caller (bounded) and may be called from any
 * thread.
 */
public final class BrokerLifecycle implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerLifecycle.class);

    private final QuorumMetadataStore store;
    private final int brokerId;
    private final Uuid incarnationId = Uuid.randomUuid();
    private final List<Endpoint> endpoints;
    private final String rack;
    private final long heartbeatIntervalMs;
    private final ScheduledThreadPoolExecutor timer;
    private final CompletableFuture<Long> unfenced = new CompletableFuture<>();

    // Owned by the timer thread.
    private long epoch = -1;
    private boolean inFlight;
    private boolean stopped;
    private ScheduledFuture<?> nextTick;

    /**
     * @param endpoints the advertised broker listeners (controller listeners excluded)
     * @param rack {@code broker.rack}, or null
     */
    public BrokerLifecycle(QuorumMetadataStore store, int brokerId, List<Endpoint> endpoints, String rack,
            long heartbeatIntervalMs) {
        this.store = store;
        this.brokerId = brokerId;
        this.endpoints = List.copyOf(endpoints);
        this.rack = rack;
        this.heartbeatIntervalMs = heartbeatIntervalMs;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "brook-broker-lifecycle-" + brokerId);
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        store.addListener((previous, current) -> checkUnfenced(current));
    }

    /** Starts registering; returns at once. */
    public void start() {
        LOG.info("Broker {} registering with incarnation id {}, endpoints {}, rack {}", brokerId, incarnationId,
                endpoints, rack);
        timer.execute(this::tick);
    }

    /** The broker epoch this broker is registered with, or -1. */
    public long brokerEpoch() {
        return unfenced.isDone() ? unfenced.join() : -1;
    }

    /**
     * Waits until the controller has registered and unfenced this broker.
     *
     * @throws org.apache.kafka.common.errors.TimeoutException when that does not happen within {@code timeout}
     */
    public void awaitUnfenced(Duration timeout) {
        try {
            long registeredEpoch = unfenced.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("Broker {} is registered with epoch {} and unfenced", brokerId, registeredEpoch);
        } catch (TimeoutException e) {
            throw new org.apache.kafka.common.errors.TimeoutException("Broker " + brokerId
                    + " was not registered and unfenced by the controller quorum within " + timeout.toMillis()
                    + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.apache.kafka.common.errors.TimeoutException("Interrupted while registering");
        } catch (ExecutionException e) {
            throw new IllegalStateException("Broker registration failed", e.getCause());
        }
    }

    /**
     * Moves this broker's leaderships to other in-sync replicas, then fences it, so clients move on before it stops.
     * Each step waits at most {@code timeout}; a step that does not complete is logged and shutdown goes on.
     */
    public void controlledShutdown(Duration timeout) {
        if (timer.isShutdown()) {
            return;
        }
        CompletableFuture<Long> stoppedAt = new CompletableFuture<>();
        timer.execute(() -> {
            stopped = true;
            if (nextTick != null) {
                nextTick.cancel(false);
            }
            stoppedAt.complete(epoch);
        });
        long registeredEpoch;
        try {
            registeredEpoch = stoppedAt.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Broker {} could not stop its heartbeats for the controlled shutdown", brokerId);
            return;
        }
        Optional<BrokerRegistration> self = store.image().broker(brokerId);
        if (registeredEpoch < 0 || self.isEmpty() || self.get().epoch() != registeredEpoch || self.get().fenced()) {
            return;
        }
        long startNs = System.nanoTime();
        if (!step(new MetadataCommand.ControlledShutdown(brokerId, registeredEpoch), timeout)) {
            return;
        }
        if (!ClusterQueries.leadsNothing(store.image(), brokerId)) {
            LOG.warn("Broker {} still leads partitions after its controlled shutdown", brokerId);
        }
        step(new MetadataCommand.FenceBroker(brokerId, registeredEpoch), timeout);
        LOG.info("Broker {} completed its controlled shutdown in {} ms", brokerId,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));
    }

    private boolean step(MetadataCommand command, Duration timeout) {
        try {
            CommandReply reply = store.submit(command).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (reply instanceof CommandReply.Failed failed) {
                LOG.warn("Broker {}: {} refused: {} {}", brokerId, command.getClass().getSimpleName(), failed.error(),
                        failed.message());
                return false;
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Broker {}: {} not committed within {} ms: {}", brokerId, command.getClass().getSimpleName(),
                    timeout.toMillis(), e.toString());
            return false;
        }
    }

    /**
     * Tells the controller that this broker's replicas of {@code partitions} are offline (their log dir failed), so
     * their leaderships move and they leave the ISRs (MarkReplicasOffline), as a Kafka broker's heartbeat reports its
     * offline log dirs. Returns at once; retried every heartbeat interval until committed or the broker stops.
     */
    public void reportOfflineReplicas(Collection<TopicPartition> partitions) {
        List<TopicPartition> copy = List.copyOf(partitions);
        if (!copy.isEmpty() && !timer.isShutdown()) {
            timer.execute(() -> submitOfflineReplicas(copy));
        }
    }

    private void submitOfflineReplicas(List<TopicPartition> partitions) {
        if (stopped) {
            return;
        }
        if (epoch < 0) {
            retryOfflineReplicas(partitions);
            return;
        }
        MetadataImage image = store.image();
        List<MetadataCommand.ReplicaRef> refs = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            image.topic(tp.topic()).ifPresent(topic -> refs.add(new MetadataCommand.ReplicaRef(topic.id(),
                    tp.partition())));
        }
        if (refs.isEmpty()) {
            return;
        }
        store.submit(new MetadataCommand.MarkReplicasOffline(brokerId, epoch, refs)).whenCompleteAsync(
                (reply, error) -> {
                    if (error != null || reply instanceof CommandReply.Failed) {
                        LOG.warn("Broker {}: the controller did not take its offline replicas out of service yet "
                                + "({}); retrying", brokerId, error != null ? error.toString() : reply);
                        retryOfflineReplicas(partitions);
                    } else {
                        LOG.info("Broker {}: the controller moved {} partition(s) of a failed log dir off it",
                                brokerId, refs.size());
                    }
                }, timer);
    }

    private void retryOfflineReplicas(List<TopicPartition> partitions) {
        if (!stopped && !timer.isShutdown()) {
            timer.schedule(() -> submitOfflineReplicas(partitions), heartbeatIntervalMs, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        if (timer.isShutdown()) {
            return;
        }
        timer.execute(() -> stopped = true);
        timer.shutdown();
        try {
            timer.awaitTermination(heartbeatIntervalMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
        unfenced.completeExceptionally(new IllegalStateException("the broker lifecycle is closed"));
    }

    // ---- on the timer thread

    private void tick() {
        if (stopped || inFlight) {
            return;
        }
        inFlight = true;
        if (epoch < 0) {
            register();
        } else {
            heartbeat();
        }
    }

    private void register() {
        MetadataCommand.RegisterBroker command = new MetadataCommand.RegisterBroker(brokerId, incarnationId,
                endpoints, rack);
        store.registerBroker(command).whenCompleteAsync((reply, error) -> {
            inFlight = false;
            if (error != null) {
                LOG.info("Broker {} registration not committed yet: {}", brokerId, error.toString());
            } else if (reply instanceof CommandReply.BrokerRegistered registered) {
                epoch = registered.brokerEpoch();
                LOG.info("Broker {} registered with epoch {}", brokerId, epoch);
                scheduleTick(0);
                return;
            } else if (reply instanceof CommandReply.Failed failed) {
                LOG.info("Broker {} registration refused, retrying: {} {}", brokerId, failed.error(),
                        failed.message());
            }
            scheduleTick(heartbeatIntervalMs);
        }, timer);
    }

    private void heartbeat() {
        MetadataQuery.BrokerHeartbeat request = new MetadataQuery.BrokerHeartbeat(brokerId, epoch,
                store.publishedIndex(), false, false);
        store.queryLeader(request).whenCompleteAsync((answer, error) -> {
            inFlight = false;
            if (error != null) {
                LOG.debug("Broker {} heartbeat failed: {}", brokerId, error.toString());
                scheduleTick(heartbeatIntervalMs);
                return;
            }
            MetadataQuery.HeartbeatAnswer reply = (MetadataQuery.HeartbeatAnswer) answer;
            Errors code = Errors.forCode(reply.errorCode());
            if (code == Errors.STALE_BROKER_EPOCH || code == Errors.BROKER_ID_NOT_REGISTERED) {
                LOG.warn("Broker {} heartbeat answered {}: registering again", brokerId, code);
                epoch = -1;
                scheduleTick(0);
                return;
            }
            if (reply.commandToSubmit() != null && !stopped) {
                submitThenTick(reply.commandToSubmit());
                return;
            }
            scheduleTick(heartbeatIntervalMs);
        }, timer);
    }

    private void submitThenTick(MetadataCommand command) {
        inFlight = true;
        store.submit(command).whenCompleteAsync((reply, error) -> {
            inFlight = false;
            if (error != null || reply instanceof CommandReply.Failed) {
                LOG.info("Broker {}: {} not applied: {}", brokerId, command.getClass().getSimpleName(),
                        error != null ? error.toString() : reply);
                scheduleTick(heartbeatIntervalMs);
            } else {
                // Heartbeat again at once: the answer may have another step (e.g. nothing left to wait for).
                scheduleTick(0);
            }
        }, timer);
    }

    private void scheduleTick(long delayMs) {
        if (stopped || timer.isShutdown()) {
            return;
        }
        if (nextTick != null) {
            nextTick.cancel(false);
        }
        nextTick = timer.schedule(this::tick, delayMs, TimeUnit.MILLISECONDS);
    }

    /** On the apply thread: completes {@link #unfenced} once the image shows this incarnation unfenced. */
    private void checkUnfenced(MetadataImage image) {
        image.broker(brokerId)
                .filter(b -> b.incarnationId().equals(incarnationId) && !b.fenced())
                .ifPresent(b -> unfenced.complete(b.epoch()));
    }
}
