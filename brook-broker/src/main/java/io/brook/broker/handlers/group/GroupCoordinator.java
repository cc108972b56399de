package io.brook.broker.handlers.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.broker.group.Effects;
import io.brook.broker.group.GroupConfig;
import io.brook.broker.group.GroupRecord;
import io.brook.broker.group.GroupRecordCodec;
import io.brook.broker.group.GroupShard;
import io.brook.metadata.MetadataStore;
import io.brook.metadata.TopicImage;
import io.brook.storage.LogManager;
import io.brook.storage.LogReadResult;
import io.brook.storage.PartitionLog;

/**
 * Runs the group coordinator: one {@link GroupShard} per {@code __consumer_offsets} partition this node leads (all of
 * them, on one node), loaded from the partition's log before it answers.
 *
 * <p>Threading: one owner thread, {@code brook-group-coordinator}, holds every shard. Handlers submit commands from
 * the event loops and get futures. A command's records are appended to the shard's partition (a page-cache write on
 * the owner thread), replayed into the shard, and its responses are completed once {@code awaitDurable} covers them
 * (on the log flusher's thread). Timers are one scheduled wake-up at the shards' earliest deadline.
 *
 * <p>Load: partitions load one after another, each as its own task, so requests queued meanwhile are answered
 * between two partitions (COORDINATOR_LOAD_IN_PROGRESS for those not loaded yet). A partition whose log cannot be
 * replayed answers NOT_COORDINATOR, as Kafka's FAILED coordinator state does; ListGroups leaves it out.
 */
public final class GroupCoordinator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinator.class);
    private static final int LOAD_READ_BYTES = 1 << 20;

    /** A command against one shard: returns the effects; the future is the eventual response. */
    public interface ShardCommand<T> {
        Effects apply(GroupShard shard, long now, CompletableFuture<T> response);
    }

    private final MetadataStore metadata;
    private final LogManager logs;
    private final GroupConfig config;
    private final int configuredPartitions;
    private final short replicationFactor;
    private final Time time;
    private final ScheduledExecutorService owner;
    private final Map<Integer, Slot> slots = new HashMap<>();
    private ScheduledFuture<?> wakeup;
    private long wakeupAt = Long.MAX_VALUE;
    private volatile boolean closing;

    /** A shard and its log; {@code loaded} is false until its records are replayed, {@code failed} if they cannot be. */
    private static final class Slot {
        final GroupShard shard;
        final PartitionLog log;
        boolean loaded;
        boolean failed;

        Slot(GroupShard shard, PartitionLog log) {
            this.shard = shard;
            this.log = log;
        }
    }

    public GroupCoordinator(MetadataStore metadata, LogManager logs, GroupConfig config, int configuredPartitions,
            Time time) {
        this(metadata, logs, config, configuredPartitions, (short) 1, time);
    }

    /**
     * @param replicationFactor of {@code __consumer_offsets} when this coordinator creates it
     *        ({@code offsets.topic.replication.factor}, or 1 on a single node)
     */
    public GroupCoordinator(MetadataStore metadata, LogManager logs, GroupConfig config, int configuredPartitions,
            short replicationFactor, Time time) {
        this.replicationFactor = replicationFactor;
        this.metadata = metadata;
        this.logs = logs;
        this.config = config;
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

    /** Loads the partitions of an existing {@code __consumer_offsets} (in the background). */
    public void start() {
        if (metadata.image().topic(Topic.GROUP_METADATA_TOPIC_NAME).isPresent()) {
            execute(this::loadAll);
        }
    }

    /** The partition of {@code __consumer_offsets} that coordinates a group (Kafka's formula). */
    public static int partitionFor(String groupId, int partitions) {
        return Utils.abs(groupId.hashCode()) % partitions;
    }

    /** Creates {@code __consumer_offsets} if needed, then answers NONE, or the error that prevents it. */
    public CompletableFuture<Errors> ensureCoordinator(String groupId) {
        CompletableFuture<Errors> result = new CompletableFuture<>();
        execute(() -> result.complete(slotFor(groupId).map(s -> Errors.NONE).orElse(Errors.COORDINATOR_NOT_AVAILABLE)));
        return result;
    }

    /** Runs a mutating command on the group's shard; {@code onError} shapes the response for a coordinator error. */
    public <T> CompletableFuture<T> write(String groupId, ShardCommand<T> command, Function<Errors, T> onError) {
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(() -> {
            Optional<Slot> slot = closing ? Optional.empty() : slotFor(groupId);
            Errors error = closing ? Errors.NOT_COORDINATOR : errorOf(slot);
            if (error != Errors.NONE) {
                result.complete(onError.apply(error));
                return;
            }
            try {
                apply(slot.get(), command.apply(slot.get().shard, time.milliseconds(), result));
            } catch (RuntimeException e) {
                // A bug must not leave the request unanswered (its connection would stall behind it).
                LOG.error("Group command for {} failed", groupId, e);
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static Errors errorOf(Optional<Slot> slot) {
        if (slot.isEmpty()) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        return slot.get().failed
                ? Errors.NOT_COORDINATOR
                : slot.get().loaded ? Errors.NONE : Errors.COORDINATOR_LOAD_IN_PROGRESS;
    }

    /** Runs a read-only query on the group's shard. */
    public <T> CompletableFuture<T> read(String groupId, BiFunction<GroupShard, Long, T> query,
            Function<Errors, T> onError) {
        return write(groupId, (shard, now, response) -> {
            response.complete(query.apply(shard, now));
            return null;
        }, onError);
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

    private Optional<Slot> slotFor(String groupId) {
        if (slots.isEmpty() && !createTopic()) {
            return Optional.empty();
        }
        return Optional.ofNullable(slots.get(partitionFor(groupId, slots.size())));
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
            } catch (RuntimeException e) {
                LOG.error("Could not create {}", Topic.GROUP_METADATA_TOPIC_NAME, e);
                return false;
            }
        }
        loadAll();
        return !slots.isEmpty();
    }

    private void loadAll() {
        Optional<TopicImage> topic = metadata.image().topic(Topic.GROUP_METADATA_TOPIC_NAME);
        if (topic.isEmpty() || !slots.isEmpty()) {
            return;
        }
        for (int p = 0; p < topic.get().partitionCount(); p++) {
            TopicPartition tp = new TopicPartition(Topic.GROUP_METADATA_TOPIC_NAME, p);
            Optional<PartitionLog> log = logs.get(tp);
            if (log.isEmpty()) {
                LOG.error("No log for {}; its groups have no coordinator", tp);
                slots.clear();
                return;
            }
            slots.put(p, new Slot(new GroupShard(config), log.get()));
        }
        // An empty partition (a topic just created) is ready at once. The others load one per task, each task
        // queueing the next, so requests that arrived during one partition's load are answered before the next.
        java.util.Deque<Integer> pending = new java.util.ArrayDeque<>();
        slots.forEach((p, slot) -> {
            if (slot.log.logEndOffset() == slot.log.logStartOffset()) {
                load(p, slot);
            } else {
                pending.add(p);
            }
        });
        loadNext(pending);
    }

    private void loadNext(java.util.Deque<Integer> pending) {
        Integer next = pending.poll();
        if (next != null && !closing) {
            execute(() -> {
                load(next, slots.get(next));
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
                LogReadResult read = slot.log.read(offset, LOAD_READ_BYTES, true);
                long before = offset;
                for (RecordBatch batch : read.records().batches()) {
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
                        slot.shard.replay(GroupRecordCodec.decode(record.key(), record.value()), start);
                        count++;
                    }
                    offset = batch.nextOffset();
                }
                if (offset == before) {
                    break;
                }
            }
            slot.shard.loadComplete(time.milliseconds());
            slot.loaded = true;
            LOG.info("Loaded {} group records ({} skipped) of {}-{} (offsets {} to {}) in {} ms", count, skipped,
                    Topic.GROUP_METADATA_TOPIC_NAME, partition, slot.log.logStartOffset(), end,
                    time.milliseconds() - start);
            scheduleWakeup();
        } catch (RuntimeException e) {
            slot.failed = true;
            LOG.error("Could not load {}-{} at offset {} after {} records; its groups answer NOT_COORDINATOR until "
                    + "restart", Topic.GROUP_METADATA_TOPIC_NAME, partition, offset, count, e);
        }
    }

    private void apply(Slot slot, Effects effects) {
        if (effects != null && !effects.isEmpty()) {
            List<GroupRecord> records = effects.records();
            if (records.isEmpty()) {
                effects.completions().forEach(Effects.Completion::complete);
            } else {
                appendThenComplete(slot, records, effects.completions());
            }
        }
        scheduleWakeup();
    }

    private void appendThenComplete(Slot slot, List<GroupRecord> records, List<Effects.Completion<?>> completions) {
        long now = time.milliseconds();
        SimpleRecord[] simple = records.stream()
                .map(r -> new SimpleRecord(now, GroupRecordCodec.key(r), GroupRecordCodec.value(r)))
                .toArray(SimpleRecord[]::new);
        CompletableFuture<Void> durable;
        try {
            slot.log.appendAsLeader(
                    MemoryRecords.withRecords(org.apache.kafka.common.compress.Compression.NONE, simple), 0);
            records.forEach(r -> slot.shard.replay(r, now));
            durable = slot.log.awaitDurable(slot.log.logEndOffset());
        } catch (RuntimeException e) {
            LOG.warn("Could not append group records to {}", slot.log.topicPartition(), e);
            durable = CompletableFuture.failedFuture(e);
        }
        durable.whenComplete((ignored, error) -> {
            for (Effects.Completion<?> completion : completions) {
                if (error == null) {
                    completion.complete();
                } else {
                    completion.future().completeExceptionally(CoordinatorErrors.toClientError(error));
                }
            }
        });
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
