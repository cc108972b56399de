package io.brook.broker.handlers.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotEnoughReplicasAfterAppendException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.TransactionResult;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.broker.group.ConsumerGroupConfig;
import io.brook.broker.group.Effects;
import io.brook.broker.group.GroupConfig;
import io.brook.broker.group.GroupRecord;
import io.brook.broker.group.GroupRecordCodec;
import io.brook.broker.group.GroupShard;
import io.brook.broker.group.TopicsView;
import io.brook.broker.replication.CoordinatorErrors;
import io.brook.broker.replication.PartitionWriter;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.MetadataStore;
import io.brook.metadata.TopicImage;
import io.brook.storage.FetchIsolation;
import io.brook.storage.LogManager;
import io.brook.storage.LogReadResult;
import io.brook.storage.PartitionLog;

/**
 * Runs the group coordinator: one {@link GroupShard} per {@code __consumer_offsets} partition this node leads (all of
 * them, on one node), loaded from the partition's log before it answers. Leadership follows the metadata: a partition
 * whose registration names this node leader (or that has no registration: the single-node store) is loaded when that
 * happens, and unloaded when the registration names another leader (its groups then answer NOT_COORDINATOR). Group
 * records are appended with the partition's leader epoch.
 *
 * <p>Writes are acknowledged only when replicated, as Kafka's coordinator does: a command's records go through the
 * {@link PartitionWriter} (refused while the ISR is below {@code min.insync.replicas}), and its responses are sent
 * once every in-sync replica has them and this node has fsynced them (on a single node: once fsynced). A response
 * without records of its own (a read, a heartbeat) waits likewise for the shard's last write, so no answer shows state
 * a failover could lose. A failed or timed-out write fails its responses with a coordinator error the client retries
 * ({@link CoordinatorErrors}); the records are then either not in the log (append refused) or in the log of a
 * leader that is still leading, which will commit them or lose the leadership (and unload the shard).
 *
 * <p>Reverting a refused write: offset commits change the shard only through replay after the append, so a refused
 * commit leaves nothing behind. Other records (a rebalance's group snapshot, KIP-848 member and assignment records)
 * describe live state the shard changed before the write; when their append is refused the shard is dropped and
 * reloaded from its log, the last state that was written (Kafka reverts to its last committed snapshot instead).
 *
 * <p>Threading: one owner thread, {@code brook-group-coordinator}, holds every shard. Handlers submit commands from
 * the event loops and get futures. A command's records are appended to the shard's partition (a page-cache write on
 * the owner thread), replayed into the shard, and its responses are completed once committed (on the thread that
 * saw the high watermark pass or the fsync end). Timers are one scheduled wake-up at the shards' earliest deadline.
 *
 * <p>Load: partitions load one after another, each as its own task, so requests queued meanwhile are answered
 * between two partitions (COORDINATOR_LOAD_IN_PROGRESS for those not loaded yet). A partition whose log cannot be
 * replayed answers NOT_COORDINATOR, as Kafka's FAILED coordinator state does; ListGroups leaves it out.
 */
public final class GroupCoordinator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinator.class);
    private static final int LOAD_READ_BYTES = 1 << 20;
    /** Kafka's default {@code offsets.commit.timeout.ms}. */
    public static final long DEFAULT_WRITE_TIMEOUT_MS = 5000;

    /** A command against one shard: returns the effects; the future is the eventual response. */
    public interface ShardCommand<T> {
        Effects apply(GroupShard shard, long now, CompletableFuture<T> response);
    }

    private final MetadataStore metadata;
    private final int nodeId;
    private final LogManager logs;
    private final PartitionWriter writer;
    private final long writeTimeoutMs;
    private final GroupConfig config;
    private final ConsumerGroupConfig consumerConfig;
    private final int configuredPartitions;
    private final short replicationFactor;
    private final Time time;
    private final ScheduledExecutorService owner;
    private final Map<Integer, Slot> slots = new HashMap<>();
    private ScheduledFuture<?> wakeup;
    private long wakeupAt = Long.MAX_VALUE;
    private volatile boolean closing;

    /**
     * A shard and its log; {@code loaded} is false until its records are replayed, {@code failed} if they cannot be.
     * {@code lastWrittenEnd} is the offset after the shard's last record in the log (owner thread only).
     */
    private static final class Slot {
        final int partition;
        final TopicPartition topicPartition;
        final GroupShard shard;
        final PartitionLog log;
        final int leaderEpoch;
        boolean loaded;
        boolean failed;
        long lastWrittenEnd;
        /** Sequences for the transactional batches written for producers (TxnOffsetCommit). */
        final ProducerSequences sequences = new ProducerSequences();

        Slot(int partition, GroupShard shard, PartitionLog log, int leaderEpoch) {
            this.partition = partition;
            this.topicPartition = new TopicPartition(Topic.GROUP_METADATA_TOPIC_NAME, partition);
            this.shard = shard;
            this.log = log;
            this.leaderEpoch = leaderEpoch;
        }
    }

    /**
     * A coordinator on a single node, which leads every partition (the metadata has no registrations), waiting at
     * most {@link #DEFAULT_WRITE_TIMEOUT_MS} for a write.
     */
    public GroupCoordinator(MetadataStore metadata, LogManager logs, PartitionWriter writer, GroupConfig config,
            int configuredPartitions, Time time) {
        this(metadata, 1, logs, writer, config, ConsumerGroupConfig.defaults(), configuredPartitions, (short) 1,
                DEFAULT_WRITE_TIMEOUT_MS, time);
    }

    /**
     * @param nodeId this broker: the coordinator serves the {@code __consumer_offsets} partitions it leads
     * @param logs where the partitions are read from when a shard loads
     * @param writer how records are written, and when they count as committed
     * @param replicationFactor of {@code __consumer_offsets} when this coordinator creates it
     *        ({@code offsets.topic.replication.factor}, or 1 on a single node)
     * @param writeTimeoutMs how long a response waits for its records to be committed
     *        ({@code offsets.commit.timeout.ms})
     */
    public GroupCoordinator(MetadataStore metadata, int nodeId, LogManager logs, PartitionWriter writer,
            GroupConfig config, ConsumerGroupConfig consumerConfig, int configuredPartitions, short replicationFactor,
            long writeTimeoutMs, Time time) {
        this.replicationFactor = replicationFactor;
        this.metadata = metadata;
        this.nodeId = nodeId;
        this.logs = logs;
        this.writer = writer;
        this.writeTimeoutMs = writeTimeoutMs;
        this.config = config;
        this.consumerConfig = consumerConfig;
        this.configuredPartitions = configuredPartitions;
        this.time = time;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "brook-group-coordinator");
            t.setDaemon(true);
            return t;
        });
        // close() lets queued commands run (to answer them) but must not wait for a timer due in minutes.
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setRemoveOnCancelPolicy(true);
        this.owner = executor;
    }

    /**
     * Loads the partitions of an existing {@code __consumer_offsets} this node leads (in the background), and from
     * then on loads and unloads them as leadership moves.
     */
    public void start() {
        metadata.addListener((previous, current) -> {
            boolean offsetsTopicChanged = !previous.topic(Topic.GROUP_METADATA_TOPIC_NAME)
                    .equals(current.topic(Topic.GROUP_METADATA_TOPIC_NAME));
            // Consumer-protocol groups rebalance when their subscribed topics are created, deleted or grow.
            boolean topicsChanged = !previous.topicsByName().equals(current.topicsByName());
            if (closing || !(offsetsTopicChanged || topicsChanged)) {
                return;
            }
            try {
                if (offsetsTopicChanged) {
                    execute(this::syncLeadership);
                }
                if (topicsChanged) {
                    execute(this::topicsChanged);
                }
            } catch (org.apache.kafka.common.errors.NotCoordinatorException e) {
                LOG.debug("Group coordinator is closing; ignoring a metadata change");
            }
        });
        if (metadata.image().topic(Topic.GROUP_METADATA_TOPIC_NAME).isPresent()) {
            execute(this::syncLeadership);
        }
    }

    /** The topics as the shards see them. */
    static TopicsView topicsView(MetadataImage image) {
        Map<String, TopicsView.Topic> topics = new HashMap<>();
        image.topicsByName().forEach((name, t) -> topics.put(name, new TopicsView.Topic(name, t.id(),
                t.partitionCount())));
        return new TopicsView(Map.copyOf(topics));
    }

    private void topicsChanged() {
        TopicsView view = topicsView(metadata.image());
        for (Slot slot : slots.values()) {
            Effects effects = slot.shard.onTopicsChanged(view);
            if (slot.loaded) {
                apply(slot, effects);
            }
        }
    }

    /** The partition of {@code __consumer_offsets} that coordinates a group (Kafka's formula). */
    public static int partitionFor(String groupId, int partitions) {
        return Utils.abs(groupId.hashCode()) % partitions;
    }

    /**
     * Creates {@code __consumer_offsets} if needed, then answers NONE, or the error that prevents it. NONE does not
     * mean this node coordinates {@code groupId}: its coordinator is the leader of the group's partition, which any
     * broker names (FindCoordinator), so this answers the same on every broker.
     */
    public CompletableFuture<Errors> ensureCoordinator(String groupId) {
        CompletableFuture<Errors> result = new CompletableFuture<>();
        execute(() -> result.complete(offsetsTopic().isPresent() ? Errors.NONE : Errors.COORDINATOR_NOT_AVAILABLE));
        return result;
    }

    /**
     * Runs a mutating command on the group's shard; {@code onError} shapes the response for a coordinator error found
     * before the command runs. The responses of its effects are sent once their records are committed, or failed with
     * the coordinator error of the failed write.
     */
    public <T> CompletableFuture<T> write(String groupId, ShardCommand<T> command, Function<Errors, T> onError) {
        CompletableFuture<T> result = new CompletableFuture<>();
        onShard(groupId, result, onError, slot -> apply(slot,
                command.apply(slot.shard, time.milliseconds(), result)));
        return result;
    }

    /** The producer of a transactional write (TxnOffsetCommit). */
    public record TransactionalProducer(long producerId, short producerEpoch) {
    }

    /**
     * As {@link #write}, for TxnOffsetCommit: the command's records (offset commits only) are appended in a
     * transactional batch of {@code producer}, so they stay pending in the shard until the producer's marker
     * ({@link #writeMarker}), and the partition's producer state sees the transaction.
     */
    public <T> CompletableFuture<T> writeTransactional(String groupId, TransactionalProducer producer,
            ShardCommand<T> command, Function<Errors, T> onError) {
        CompletableFuture<T> result = new CompletableFuture<>();
        onShard(groupId, result, onError, slot -> {
            Effects effects = command.apply(slot.shard, time.milliseconds(), result);
            if (effects.records().isEmpty()) {
                apply(slot, effects);
            } else {
                appendThenComplete(slot, effects.records(), effects.completions(), producer);
                scheduleWakeup();
            }
        });
        return result;
    }

    /**
     * Appends a transaction marker of the producer to {@code __consumer_offsets} partition {@code partition} and
     * applies it to the shard (commit: its pending offsets become committed; abort: dropped); completes once the
     * marker is committed, with the error WriteTxnMarkers answers for the partition. A partition not loaded here
     * answers NOT_LEADER_OR_FOLLOWER, as Kafka turns its coordinator errors into that for the transaction coordinator,
     * which retries. Never completes exceptionally.
     */
    public CompletableFuture<Errors> writeMarker(int partition, long producerId, short producerEpoch,
            int coordinatorEpoch, TransactionResult transactionResult) {
        CompletableFuture<Errors> result = new CompletableFuture<>();
        try {
            execute(() -> {
                try {
                    writeMarkerNow(partition, producerId, producerEpoch, coordinatorEpoch, transactionResult, result);
                } catch (RuntimeException e) {
                    LOG.error("Writing a transaction marker to {}-{} failed", Topic.GROUP_METADATA_TOPIC_NAME,
                            partition, e);
                    result.complete(Errors.forException(e));
                }
            });
        } catch (org.apache.kafka.common.errors.NotCoordinatorException e) {
            result.complete(Errors.NOT_LEADER_OR_FOLLOWER);
        }
        return result;
    }

    private void writeMarkerNow(int partition, long producerId, short producerEpoch, int coordinatorEpoch,
            TransactionResult transactionResult, CompletableFuture<Errors> result) {
        Optional<TopicImage> topic = metadata.image().topic(Topic.GROUP_METADATA_TOPIC_NAME);
        if (topic.isEmpty() || partition < 0 || partition >= topic.get().partitionCount()) {
            result.complete(Errors.UNKNOWN_TOPIC_OR_PARTITION);
            return;
        }
        Slot slot = closing ? null : slots.get(partition);
        if (slot == null || !slot.loaded || slot.failed) {
            result.complete(Errors.NOT_LEADER_OR_FOLLOWER);
            return;
        }
        long now = time.milliseconds();
        ControlRecordType type = transactionResult == TransactionResult.COMMIT
                ? ControlRecordType.COMMIT
                : ControlRecordType.ABORT;
        MemoryRecords marker = MemoryRecords.withEndTransactionMarker(now, producerId, producerEpoch,
                new EndTransactionMarker(type, coordinatorEpoch));
        long end;
        try {
            end = writer.append(slot.topicPartition, slot.leaderEpoch, marker);
        } catch (RuntimeException e) {
            LOG.debug("Could not append a {} marker of producer {} to {}: {}", type, producerId, slot.topicPartition,
                    e.toString());
            result.complete(markerError(e));
            return;
        }
        marker.batches().forEach(slot.sequences::onBatch);
        slot.shard.replayEndTransaction(producerId, transactionResult, now);
        slot.lastWrittenEnd = end;
        writer.awaitCommitted(slot.topicPartition, slot.leaderEpoch, end, writeTimeoutMs)
                .whenComplete((ignored, failure) -> result.complete(failure == null
                        ? Errors.NONE
                        : markerError(failure)));
        scheduleWakeup();
    }

    /** Kafka's answer to WriteTxnMarkers for a coordinator partition: its coordinator errors as NOT_LEADER_OR_FOLLOWER. */
    private static Errors markerError(Throwable failure) {
        Errors error = Errors.forException(CoordinatorErrors.cause(failure));
        return switch (error) {
            case COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS, NOT_COORDINATOR ->
                Errors.NOT_LEADER_OR_FOLLOWER;
            default -> error;
        };
    }

    /** Runs {@code action} on the group's loaded shard, or answers the coordinator error that prevents it. */
    private <T> void onShard(String groupId, CompletableFuture<T> result, Function<Errors, T> onError,
            Consumer<Slot> action) {
        execute(() -> {
            Optional<Slot> slot = closing ? Optional.empty() : slotFor(groupId);
            Errors error = closing ? Errors.NOT_COORDINATOR : errorOf(slot);
            if (error != Errors.NONE) {
                result.complete(onError.apply(error));
                return;
            }
            try {
                action.accept(slot.get());
            } catch (RuntimeException e) {
                // A bug must not leave the request unanswered (its connection would stall behind it).
                LOG.error("Group command for {} failed", groupId, e);
                result.completeExceptionally(e);
            }
        });
    }

    private Errors errorOf(Optional<Slot> slot) {
        if (slot.isEmpty()) {
            // The topic exists but another broker leads the group's partition: not the coordinator.
            return metadata.image().topic(Topic.GROUP_METADATA_TOPIC_NAME).isPresent()
                    ? Errors.NOT_COORDINATOR
                    : Errors.COORDINATOR_NOT_AVAILABLE;
        }
        // a partition whose log dir went offline is no longer coordinated here (Kafka resigns it), until restart
        return slot.get().failed || slot.get().log.isOffline()
                ? Errors.NOT_COORDINATOR
                : slot.get().loaded ? Errors.NONE : Errors.COORDINATOR_LOAD_IN_PROGRESS;
    }

    /**
     * Runs a read-only query on the group's shard. The answer is sent once the shard's last write is committed (at
     * once when it is), as the shard may show that write's state; if that wait fails the answer is
     * {@code onError}'s for the read's coordinator error ({@link CoordinatorErrors#normalizeForRead}).
     */
    public <T> CompletableFuture<T> read(String groupId, BiFunction<GroupShard, Long, T> query,
            Function<Errors, T> onError) {
        CompletableFuture<T> result = new CompletableFuture<>();
        onShard(groupId, result, onError, slot -> {
            T answer = query.apply(slot.shard, time.milliseconds());
            lastWriteCommitted(slot).whenComplete((ignored, failure) -> result.complete(failure == null
                    ? answer
                    : onError.apply(CoordinatorErrors.normalizeForRead(failure))));
        });
        return result;
    }

    /**
     * Runs a query over every shard (ListGroups); COORDINATOR_LOAD_IN_PROGRESS while any is loading. A shard that
     * failed to load is left out, as Kafka leaves out partitions it is not the coordinator of.
     */
    public <T> CompletableFuture<List<T>> readAll(Function<GroupShard, List<T>> query,
            Function<Errors, List<T>> onError) {
        CompletableFuture<List<T>> result = new CompletableFuture<>();
        execute(() -> {
            if (closing || slots.values().stream().anyMatch(s -> !s.loaded && !s.failed)) {
                result.complete(onError.apply(closing ? Errors.NOT_COORDINATOR : Errors.COORDINATOR_LOAD_IN_PROGRESS));
                return;
            }
            List<T> all = new ArrayList<>();
            slots.values().stream().filter(s -> s.loaded).forEach(s -> all.addAll(query.apply(s.shard)));
            result.complete(all);
        });
        return result;
    }

    private void execute(Runnable task) {
        try {
            owner.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("Group coordinator task failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            throw new org.apache.kafka.common.errors.NotCoordinatorException("Coordinator is shutting down");
        }
    }

    // ---------------------------------------------------------------- owner thread only

    /** This node's slot for the group: empty if the offsets topic cannot be created or another node leads it. */
    private Optional<Slot> slotFor(String groupId) {
        return offsetsTopic().map(topic -> slots.get(partitionFor(groupId, topic.partitionCount())));
    }

    /** {@code __consumer_offsets}, created first if it does not exist; empty if it cannot be created yet. */
    private Optional<TopicImage> offsetsTopic() {
        Optional<TopicImage> topic = metadata.image().topic(Topic.GROUP_METADATA_TOPIC_NAME);
        if (topic.isPresent() || !createTopic()) {
            return topic;
        }
        return metadata.image().topic(Topic.GROUP_METADATA_TOPIC_NAME);
    }

    /** Kafka creates the offsets topic on the first group request; returns false if it cannot be hosted. */
    private boolean createTopic() {
        if (metadata.image().topic(Topic.GROUP_METADATA_TOPIC_NAME).isEmpty()) {
            try {
                // As Kafka: fails (and FindCoordinator answers COORDINATOR_NOT_AVAILABLE) until enough brokers exist.
                metadata.createTopic(Topic.GROUP_METADATA_TOPIC_NAME, configuredPartitions, replicationFactor,
                        Map.of("cleanup.policy", "compact", "segment.bytes", "104857600"));
                LOG.info("Created {} with {} partitions", Topic.GROUP_METADATA_TOPIC_NAME, configuredPartitions);
            } catch (TopicExistsException e) {
                LOG.debug("{} exists already", Topic.GROUP_METADATA_TOPIC_NAME);
            } catch (org.apache.kafka.common.errors.RetriableException e) {
                // A timed-out CreateTopics may still commit; either way the client's next FindCoordinator (answered
                // COORDINATOR_NOT_AVAILABLE meanwhile) finds the topic or creates it. Not an error of this node.
                LOG.warn("Could not create {} yet ({}); the next coordinator lookup retries",
                        Topic.GROUP_METADATA_TOPIC_NAME, e.toString());
                return false;
            } catch (RuntimeException e) {
                LOG.error("Could not create {}", Topic.GROUP_METADATA_TOPIC_NAME, e);
                return false;
            }
        }
        syncLeadership();
        return metadata.image().topic(Topic.GROUP_METADATA_TOPIC_NAME).isPresent();
    }

    /** The leader epoch of partition {@code p} if this node leads it, else -1. */
    private int leaderEpochHere(TopicImage topic, int p) {
        // A topic without registrations is the single-node store's: this node leads every partition at epoch 0.
        return topic.partition(p).map(r -> r.leader() == nodeId ? r.leaderEpoch() : -1).orElse(0);
    }

    /**
     * Loads the partitions this node now leads (again, for a new leader epoch: the log may have been truncated) and
     * unloads those it no longer leads.
     */
    private void syncLeadership() {
        Optional<TopicImage> topic = metadata.image().topic(Topic.GROUP_METADATA_TOPIC_NAME);
        if (topic.isEmpty()) {
            slots.values().forEach(s -> abandon(s, Errors.NOT_COORDINATOR));
            slots.clear();
            return;
        }
        java.util.Deque<Map.Entry<Integer, Slot>> pending = new java.util.ArrayDeque<>();
        for (int p = 0; p < topic.get().partitionCount(); p++) {
            int epoch = leaderEpochHere(topic.get(), p);
            Slot current = slots.get(p);
            if (epoch < 0) {
                if (current != null) {
                    slots.remove(p);
                    abandon(current, Errors.NOT_COORDINATOR);
                    LOG.info("Unloaded {}-{}: this node no longer leads it", Topic.GROUP_METADATA_TOPIC_NAME, p);
                }
                continue;
            }
            if (current != null && current.leaderEpoch == epoch) {
                continue;
            }
            if (current != null) {
                abandon(current, Errors.NOT_COORDINATOR);
            }
            TopicPartition tp = new TopicPartition(Topic.GROUP_METADATA_TOPIC_NAME, p);
            Optional<PartitionLog> log = logs.get(tp);
            if (log.isEmpty()) {
                LOG.error("No log for {}; its groups have no coordinator", tp);
                slots.remove(p);
                continue;
            }
            Slot slot = newSlot(p, log.get(), epoch);
            slots.put(p, slot);
            // An empty partition (a topic just created) is ready at once. The others load one per task, each task
            // queueing the next, so requests that arrived during one partition's load are answered before the next.
            if (slot.log.logEndOffset() == slot.log.logStartOffset()) {
                load(p, slot);
            } else {
                pending.add(Map.entry(p, slot));
            }
        }
        loadNext(pending);
    }

    private void loadNext(java.util.Deque<Map.Entry<Integer, Slot>> pending) {
        Map.Entry<Integer, Slot> next = pending.poll();
        if (next != null && !closing) {
            execute(() -> {
                // Skip a slot unloaded or replaced (new leader epoch) since it was queued.
                if (slots.get(next.getKey()) == next.getValue()) {
                    load(next.getKey(), next.getValue());
                }
                loadNext(pending);
            });
        }
    }

    private void load(int partition, Slot slot) {
        long start = time.milliseconds();
        long offset = slot.log.logStartOffset();
        long end = slot.log.logEndOffset();
        int count = 0;
        int skipped = 0;
        try {
            while (offset < end) {
                // Up to the log end, not the high watermark: a new leader's tail is replicated writes its followers
                // have not learnt are committed yet, and answers wait for the high watermark anyway.
                LogReadResult read = slot.log.read(offset, LOAD_READ_BYTES, true, FetchIsolation.LOG_END);
                long before = offset;
                for (RecordBatch batch : read.records().batches()) {
                    slot.sequences.onBatch(batch);
                    if (batch.isControlBatch()) {
                        count += replayControlBatch(slot, batch, start);
                        offset = batch.nextOffset();
                        continue;
                    }
                    for (Record record : batch) {
                        if (!record.hasKey()) {
                            continue;
                        }
                        if (!GroupRecordCodec.isKnownKeyType(record.key())) {
                            // As Kafka: a record type this version does not know (e.g. written by a newer version
                            // before a downgrade) is skipped, not fatal.
                            LOG.warn("Skipping a group record of unknown key type {} at offset {} of {}-{}",
                                    record.key().getShort(record.key().position()), record.offset(),
                                    Topic.GROUP_METADATA_TOPIC_NAME, partition);
                            skipped++;
                            continue;
                        }
                        GroupRecord decoded = GroupRecordCodec.decode(record.key(), record.value());
                        if (batch.isTransactional() && decoded instanceof GroupRecord.OffsetCommit commit) {
                            slot.shard.replayTransactional(commit, batch.producerId(), start);
                        } else {
                            slot.shard.replay(decoded, start);
                        }
                        count++;
                    }
                    offset = batch.nextOffset();
                }
                if (offset == before) {
                    break;
                }
            }
            slot.shard.loadComplete(time.milliseconds());
            // What was loaded may not be committed yet (a new leader's tail): answers wait until it is.
            slot.lastWrittenEnd = end;
            slot.loaded = true;
            // An empty partition (most of them on a fresh node) is not worth a line at INFO.
            LOG.atLevel(count + skipped > 0 ? org.slf4j.event.Level.INFO : org.slf4j.event.Level.DEBUG)
                    .log("Loaded {} group records ({} skipped) of {}-{} (offsets {} to {}) in {} ms", count, skipped,
                            Topic.GROUP_METADATA_TOPIC_NAME, partition, slot.log.logStartOffset(), end,
                            time.milliseconds() - start);
            scheduleWakeup();
        } catch (RuntimeException e) {
            slot.failed = true;
            LOG.error("Could not load {}-{} at offset {} after {} records; its groups answer NOT_COORDINATOR until "
                    + "restart", Topic.GROUP_METADATA_TOPIC_NAME, partition, offset, count, e);
        }
    }

    /** Replays the transaction marker of a control batch read at load; returns the number of markers. */
    private static int replayControlBatch(Slot slot, RecordBatch batch, long now) {
        int markers = 0;
        for (Record record : batch) {
            ControlRecordType type = ControlRecordType.parse(record.key());
            if (type == ControlRecordType.COMMIT || type == ControlRecordType.ABORT) {
                slot.shard.replayEndTransaction(batch.producerId(),
                        type == ControlRecordType.COMMIT ? TransactionResult.COMMIT : TransactionResult.ABORT, now);
                markers++;
            }
        }
        return markers;
    }

    private void apply(Slot slot, Effects effects) {
        if (effects != null && !effects.isEmpty()) {
            List<GroupRecord> records = effects.records();
            if (records.isEmpty()) {
                completeWhenCommitted(lastWriteCommitted(slot), effects.completions());
            } else {
                appendThenComplete(slot, records, effects.completions(), null);
            }
        }
        scheduleWakeup();
    }

    /** Appends the records (in a transactional batch of {@code producer} unless it is null), replays them, answers. */
    private void appendThenComplete(Slot slot, List<GroupRecord> records, List<Effects.Completion<?>> completions,
            TransactionalProducer producer) {
        long now = time.milliseconds();
        SimpleRecord[] simple = records.stream()
                .map(r -> new SimpleRecord(now, GroupRecordCodec.key(r), GroupRecordCodec.value(r)))
                .toArray(SimpleRecord[]::new);
        MemoryRecords batch = producer == null
                ? MemoryRecords.withRecords(org.apache.kafka.common.compress.Compression.NONE, simple)
                : MemoryRecords.withTransactionalRecords(org.apache.kafka.common.compress.Compression.NONE,
                        producer.producerId(), producer.producerEpoch(),
                        slot.sequences.next(producer.producerId(), producer.producerEpoch()), simple);
        long end;
        try {
            end = writer.append(slot.topicPartition, slot.leaderEpoch, batch);
        } catch (RuntimeException e) {
            LOG.warn("Could not append {} group records to {}: {}", records.size(), slot.topicPartition, e.toString());
            if (records.stream().anyMatch(r -> !(r instanceof GroupRecord.OffsetCommit))) {
                // Before answering, so a retry (queued after the reload) finds the reverted state.
                reload(slot, CoordinatorErrors.normalize(e));
            }
            completeWhenCommitted(CompletableFuture.failedFuture(e), completions);
            return;
        }
        batch.batches().forEach(slot.sequences::onBatch);
        for (GroupRecord r : records) {
            if (producer != null && r instanceof GroupRecord.OffsetCommit commit) {
                slot.shard.replayTransactional(commit, producer.producerId(), now);
            } else {
                slot.shard.replay(r, now);
            }
        }
        slot.lastWrittenEnd = end;
        completeWhenCommitted(writer.awaitCommitted(slot.topicPartition, slot.leaderEpoch, end, writeTimeoutMs),
                completions);
    }

    /**
     * Completes when every record the shard has written is committed (at once when the high watermark is there
     * already, always on a single node). An earlier write answered NOT_ENOUGH_REPLICAS_AFTER_APPEND is committed
     * nonetheless: the high watermark passed it.
     */
    private CompletableFuture<Void> lastWriteCommitted(Slot slot) {
        if (slot.log.highWatermark() >= slot.lastWrittenEnd) {
            return CompletableFuture.completedFuture(null);
        }
        return writer.awaitCommitted(slot.topicPartition, slot.leaderEpoch, slot.lastWrittenEnd, writeTimeoutMs)
                .exceptionally(failure -> {
                    if (CoordinatorErrors.cause(failure) instanceof NotEnoughReplicasAfterAppendException) {
                        return null;
                    }
                    throw failure instanceof CompletionException c ? c : new CompletionException(failure);
                });
    }

    private static void completeWhenCommitted(CompletableFuture<Void> committed,
            List<Effects.Completion<?>> completions) {
        committed.whenComplete((ignored, error) -> {
            for (Effects.Completion<?> completion : completions) {
                if (error == null) {
                    completion.complete();
                } else {
                    completion.future().completeExceptionally(CoordinatorErrors.toClientError(error));
                }
            }
        });
    }

    /**
     * Drops a shard whose live state got ahead of its log (a refused write) and loads it again from the log; the
     * requests parked in it are failed with {@code error}, which the clients retry.
     */
    private void reload(Slot slot, Errors error) {
        if (slots.get(slot.partition) != slot || !slot.loaded) {
            return;
        }
        LOG.warn("Reloading {} from its log: a refused write left its groups ahead of the log", slot.topicPartition);
        abandon(slot, error);
        Slot fresh = newSlot(slot.partition, slot.log, slot.leaderEpoch);
        slots.put(slot.partition, fresh);
        loadNext(new java.util.ArrayDeque<>(List.of(Map.entry(slot.partition, fresh))));
    }

    /** Fails the requests parked in a shard that is being dropped. */
    private static void abandon(Slot slot, Errors error) {
        for (CompletableFuture<?> parked : slot.shard.abandonParkedResponses()) {
            parked.completeExceptionally(error.exception("The group coordinator dropped its state of "
                    + slot.topicPartition));
        }
    }

    private Slot newSlot(int partition, PartitionLog log, int leaderEpoch) {
        GroupShard shard = new GroupShard(config, consumerConfig);
        shard.onTopicsChanged(topicsView(metadata.image()));
        return new Slot(partition, shard, log, leaderEpoch);
    }

    private void scheduleWakeup() {
        long next = slots.values().stream().filter(s -> s.loaded).mapToLong(s -> s.shard.nextDeadline()).min()
                .orElse(Long.MAX_VALUE);
        if (next == Long.MAX_VALUE || (wakeup != null && !wakeup.isDone() && wakeupAt <= next)) {
            return;
        }
        if (wakeup != null) {
            wakeup.cancel(false);
        }
        wakeupAt = next;
        long delay = Math.max(0, next - time.milliseconds());
        wakeup = owner.schedule(() -> {
            try {
                pollAll();
            } catch (RuntimeException e) {
                LOG.error("Group coordinator timers failed", e);
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    private void pollAll() {
        wakeup = null;
        wakeupAt = Long.MAX_VALUE;
        long now = time.milliseconds();
        for (Slot slot : slots.values()) {
            if (slot.loaded) {
                Effects effects = slot.shard.poll(now);
                if (!effects.isEmpty()) {
                    apply(slot, effects);
                }
            }
        }
        scheduleWakeup();
    }

    /**
     * Stops the owner thread. Requests already queued are answered NOT_COORDINATOR (as Kafka answers when its
     * runtime closes) rather than dropped; a task still running after a bounded wait is interrupted.
     */
    @Override
    public void close() {
        closing = true;
        owner.shutdown();
        try {
            if (!owner.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Group coordinator thread did not stop within 5 s; interrupting it");
                owner.shutdownNow();
            }
        } catch (InterruptedException e) {
            owner.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

}
