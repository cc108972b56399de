package io.brook.broker.replication;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownServerException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import io.brook.broker.partition.Partition;
import io.brook.broker.partition.PartitionRoleListener;
import io.brook.metadata.BrokerRegistration;
import io.brook.metadata.MetadataStore;
import io.brook.metadata.cluster.CommandReply;
import io.brook.metadata.cluster.CommandReply.AlterPartitionResult;
import io.brook.metadata.cluster.MetadataCommand;
import io.brook.metadata.cluster.MetadataCommand.IsrMember;
import io.brook.storage.HighWatermarkMode;

/**
 * Turns registrations into replica roles (Kafka's {@code ReplicaManager.applyDelta}): a partition whose registration
 * names this node leader gets a {@link PartitionLeader} for its epoch; one that names another leader is followed by a
 * {@link ReplicaFetcher}; one no longer hosted stops both. It also runs the leaders' periodic ISR check and sends their
 * ISR changes to the controller (AlterPartition through {@link MetadataStore#submit}).
 *
 * <pre>
 *              registration: leader = me                  registration: leader = other
 *   (new) ─────────────────────────────────► LEADER ◄──────────────────────────────────► FOLLOWER ◄── (new)
 *                                    new epoch: new PartitionLeader            new leader/epoch: refetch
 *                   not in replicas / topic deleted: removed (fetcher stopped, leader resigned, log deleted)
 * </pre>
 *
 * <p>A sole replica keeps the log's high watermark at its log end ({@code FOLLOWS_LOG_END}, what the single-node
 * broker always did); any other leader or follower hands it to replication ({@code REPLICATED}).
 *
 * <p>Threading: role changes arrive on the metadata publisher thread (serialised by {@code LocalPartitions}); leaders are read
 * lock-free from a concurrent map by the request handlers; the ISR check runs on one scheduler thread.
 */
public final class ReplicaManager implements PartitionRoleListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaManager.class);
    /** The ISR check interval is half the lag limit (Kafka), but at most this, so HW-only moves are not slow. */
    private static final long MAX_TICK_MS = 200;

    /** Told when this node starts or stops leading a partition (the group coordinator loads and unloads shards). */
    public interface LeadershipListener {
        void onBecomeLeader(Partition partition);

        void onStopLeading(TopicPartition topicPartition);
    }

    private final int localId;
    private final MetadataStore metadata;
    private final long maxLagMs;
    private final Time time;
    private final Consumer<TopicPartition> onHighWatermarkAdvanced;
    private final ReplicaFetcherManager fetchers;
    private final Map<TopicPartition, PartitionLeader> leaders = new ConcurrentHashMap<>();
    private final List<LeadershipListener> leadershipListeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler;
    private boolean ticking;

    /**
     * @param onHighWatermarkAdvanced wakes the fetches parked on a partition (the delayed-fetch purgatory)
     */
    public ReplicaManager(int localId, MetadataStore metadata, FetcherSettings settings, long maxLagMs, Time time,
            Consumer<TopicPartition> onHighWatermarkAdvanced) {
        this.localId = localId;
        this.metadata = metadata;
        this.maxLagMs = maxLagMs;
        this.time = time;
        this.onHighWatermarkAdvanced = onHighWatermarkAdvanced;
        this.fetchers = new ReplicaFetcherManager(localId, metadata::image, settings, time);
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "brook-isr-check");
            t.setDaemon(true);
            return t;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.scheduler = executor;
    }

    /** Starts the ISR check with the first replicated leadership (a single node never needs the thread). */
    private synchronized void ensureTicking() {
        if (!ticking && !scheduler.isShutdown()) {
            ticking = true;
            long tickMs = Math.max(1, Math.min(maxLagMs / 2, MAX_TICK_MS));
            scheduler.scheduleWithFixedDelay(this::tick, tickMs, tickMs, TimeUnit.MILLISECONDS);
        }
    }

    public void addLeadershipListener(LeadershipListener listener) {
        leadershipListeners.add(listener);
    }

    /** This node's leadership of {@code topicPartition}, if it leads it. */
    public Optional<PartitionLeader> leader(TopicPartition topicPartition) {
        return Optional.ofNullable(leaders.get(topicPartition));
    }

    public int localId() {
        return localId;
    }

    @Override
    public void onRegistration(Partition previous, Partition current) {
        TopicPartition topicPartition = current.topicPartition();
        if (current.isLeader()) {
            PartitionLeader existing = leaders.get(topicPartition);
            if (existing != null && existing.leaderEpoch() == current.leaderEpoch()) {
                existing.onRegistrationChange(current.registration(), time.milliseconds());
                applyHighWatermarkMode(current);
                return;
            }
            becomeLeader(current, existing, previous == null);
            return;
        }
        boolean newLeadership = previous == null || previous.isLeader()
                || previous.leaderEpoch() != current.leaderEpoch() || previous.leaderId() != current.leaderId();
        PartitionLeader old = leaders.remove(topicPartition);
        if (old != null) {
            resign(old);
        }
        if (newLeadership) {
            becomeFollower(current, previous == null);
        }
    }

    @Override
    public void onRemoved(Partition removed) {
        TopicPartition topicPartition = removed.topicPartition();
        fetchers.unfollow(topicPartition);
        PartitionLeader old = leaders.remove(topicPartition);
        if (old != null) {
            resign(old);
        }
    }

    /**
     * @param created the partition was just created here: logged at DEBUG, as a CreateTopics of a thousand partitions
     *            would otherwise log a thousand lines per node (LocalPartitions logs one for the batch)
     */
    private void becomeLeader(Partition partition, PartitionLeader previous, boolean created) {
        TopicPartition topicPartition = partition.topicPartition();
        fetchers.unfollow(topicPartition);
        if (previous != null) {
            resign(previous);
        }
        applyHighWatermarkMode(partition);
        PartitionLeader leader = new PartitionLeader(partition, time.milliseconds(), maxLagMs,
                () -> onHighWatermarkAdvanced.accept(topicPartition), this::sendIsrChange);
        leaders.put(topicPartition, leader);
        if (partition.registration().replicas().size() > 1) {
            ensureTicking();
            LOG.atLevel(created ? Level.DEBUG : Level.INFO).log(
                    "Leading {} at epoch {} from offset {} (replicas {}, ISR {})", topicPartition,
                    partition.leaderEpoch(), partition.log().logEndOffset(), partition.registration().replicas(),
                    partition.registration().isr());
        }
        leader.onLocalAppend(); // a sole replica's high watermark is its log end at once
        for (LeadershipListener listener : leadershipListeners) {
            listener.onBecomeLeader(partition);
        }
    }

    private void becomeFollower(Partition partition, boolean created) {
        TopicPartition topicPartition = partition.topicPartition();
        partition.log().setHighWatermarkMode(HighWatermarkMode.REPLICATED);
        if (partition.registration().hasLeader()) {
            LOG.atLevel(created ? Level.DEBUG : Level.INFO).log(
                    "Following {} from broker {} at epoch {} (log end offset {})", topicPartition,
                    partition.leaderId(), partition.leaderEpoch(), partition.log().logEndOffset());
            fetchers.follow(partition);
        } else {
            LOG.info("{} has no leader; not fetching", topicPartition);
            fetchers.unfollow(topicPartition);
        }
    }

    private void resign(PartitionLeader leader) {
        leader.resign();
        for (LeadershipListener listener : leadershipListeners) {
            listener.onStopLeading(leader.topicPartition());
        }
    }

    private static void applyHighWatermarkMode(Partition partition) {
        HighWatermarkMode mode = partition.registration().replicas().size() == 1
                ? HighWatermarkMode.FOLLOWS_LOG_END
                : HighWatermarkMode.REPLICATED;
        if (partition.log().highWatermarkMode() != mode) {
            partition.log().setHighWatermarkMode(mode);
        }
    }

    private CompletableFuture<AlterPartitionResult> sendIsrChange(PartitionLeader leader, int partitionEpoch,
            List<IsrMember> newIsr) {
        long brokerEpoch = metadata.image().broker(localId).map(BrokerRegistration::epoch).orElse(-1L);
        Partition partition = leader.partition();
        MetadataCommand.AlterPartition command = new MetadataCommand.AlterPartition(localId, brokerEpoch,
                List.of(new MetadataCommand.PartitionIsrChange(partition.topicId(),
                        partition.topicPartition().partition(), leader.leaderEpoch(), partitionEpoch, newIsr)));
        return metadata.submit(command).thenApply(reply -> {
            if (reply instanceof CommandReply.AlterPartitionResults results && results.partitions().size() == 1) {
                return results.partitions().get(0);
            }
            if (reply instanceof CommandReply.Failed failed) {
                throw failed.error().exception(failed.message());
            }
            throw new UnknownServerException("Unexpected AlterPartition reply " + reply);
        });
    }

    private void tick() {
        long now = time.milliseconds();
        for (PartitionLeader leader : leaders.values()) {
            try {
                leader.onTick(now);
            } catch (RuntimeException e) {
                LOG.error("ISR check of {} failed", leader.topicPartition(), e);
            }
        }
    }

    /** Stops the ISR check and the fetchers; leaders resign (waiting produces get NOT_LEADER_OR_FOLLOWER). */
    @Override
    public void close() {
        synchronized (this) {
            scheduler.shutdownNow();
        }
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        fetchers.close();
        leaders.values().forEach(PartitionLeader::resign);
        leaders.clear();
    }
}
