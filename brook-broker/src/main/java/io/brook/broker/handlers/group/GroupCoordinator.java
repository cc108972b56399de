package io.brook.broker.handlers.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
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

import io.brook.broker.group.ConsumerGroupConfig;
import io.brook.broker.group.Effects;
import io.brook.broker.group.GroupConfig;
import io.brook.broker.group.GroupRecord;
import io.brook.broker.group.GroupRecordCodec;
import io.brook.broker.group.GroupShard;
import io.brook.broker.group.TopicsView;
import io.brook.metadata.MetadataImage;
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
    private final ConsumerGroupConfig consumerConfig;
    private final int configuredPartitions;
    private final Time time;
    private final ScheduledExecutorService owner;
    private final Map<Integer, Slot> slots = new HashMap<>();
    private ScheduledFuture<?> wakeup;
    private long wakeupAt = Long.MAX_VALUE;

    /** A shard and its log; {@code loaded} is false until its records are replayed. */
    private static final class Slot {
        final GroupShard shard;
        final PartitionLog log;
        boolean loaded;

        Slot(GroupShard shard, PartitionLog log) {
            this.shard = shard;
            this.log = log;
        }
    }

    public GroupCoordinator(MetadataStore metadata, LogManager logs, GroupConfig config, int configuredPartitions,
            Time time) {
        this(metadata, logs, config, ConsumerGroupConfig.defaults(), configuredPartitions, time);
    }

    public GroupCoordinator(MetadataStore metadata, LogManager logs, GroupConfig config,
            ConsumerGroupConfig consumerConfig, int configuredPartitions, Time time) {
        this.metadata = metadata;
        this.logs = logs;
        this.config = config;
        this.consumerConfig = consumerConfig;
        this.configuredPartitions = configuredPartitions;
        this.time = time;
        this.owner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "brook-group-coordinator");
            t.setDaemon(true);
            return t;
        });
    }

    /** Loads the partitions of an existing {@code __consumer_offsets} (in the background). */
    public void start() {
        // Consumer-protocol groups rebalance when their subscribed topics are created, deleted or grow.
        metadata.addListener((previous, current) -> {
            if (!previous.topicsByName().equals(current.topicsByName())) {
                try {
                    execute(this::topicsChanged);
                } catch (RuntimeException e) {
                    LOG.debug("Topic change not delivered to the group coordinator (closing)", e);
                }
            }
        });
        if (metadata.image().topic(Topic.GROUP_METADATA_TOPIC_NAME).isPresent()) {
            execute(this::loadAll);
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
            Optional<Slot> slot = slotFor(groupId);
            Errors error = slot.isEmpty()
                    ? Errors.COORDINATOR_NOT_AVAILABLE
                    : slot.get().loaded ? Errors.NONE : Errors.COORDINATOR_LOAD_IN_PROGRESS;
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

    /** Runs a read-only query on the group's shard. */
    public <T> CompletableFuture<T> read(String groupId, BiFunction<GroupShard, Long, T> query,
            Function<Errors, T> onError) {
        return write(groupId, (shard, now, response) -> {
            response.complete(query.apply(shard, now));
            return null;
        }, onError);
    }

    /** Runs a query over every shard (ListGroups); COORDINATOR_LOAD_IN_PROGRESS while any is loading. */
    public <T> CompletableFuture<List<T>> readAll(Function<GroupShard, List<T>> query,
            Function<Errors, List<T>> onError) {
        CompletableFuture<List<T>> result = new CompletableFuture<>();
        execute(() -> {
            if (slots.values().stream().anyMatch(s -> !s.loaded)) {
                result.complete(onError.apply(Errors.COORDINATOR_LOAD_IN_PROGRESS));
                return;
            }
            List<T> all = new ArrayList<>();
            slots.values().forEach(s -> all.addAll(query.apply(s.shard)));
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
            throw new org.apache.kafka.common.errors.CoordinatorNotAvailableException("Coordinator is shutting down");
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
                // One node: replication 1 whatever offsets.topic.replication.factor says.
                metadata.createTopic(Topic.GROUP_METADATA_TOPIC_NAME, configuredPartitions, (short) 1,
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
            GroupShard shard = new GroupShard(config, consumerConfig);
            shard.onTopicsChanged(topicsView(metadata.image()));
            slots.put(p, new Slot(shard, log.get()));
        }
        // Each partition with records loads as its own task, so requests for loaded partitions are answered in
        // between; an empty one (a topic just created) is ready at once.
        slots.forEach((p, slot) -> {
            if (slot.log.logEndOffset() == slot.log.logStartOffset()) {
                load(p, slot);
            } else {
                owner.execute(() -> load(p, slot));
            }
        });
    }

    private void load(int partition, Slot slot) {
        long start = time.milliseconds();
        long offset = slot.log.logStartOffset();
        long end = slot.log.logEndOffset();
        int count = 0;
        try {
            while (offset < end) {
                LogReadResult read = slot.log.read(offset, LOAD_READ_BYTES, true);
                long before = offset;
                for (RecordBatch batch : read.records().batches()) {
                    for (Record record : batch) {
                        if (record.hasKey()) {
                            slot.shard.replay(GroupRecordCodec.decode(record.key(), record.value()), start);
                            count++;
                        }
                    }
                    offset = batch.nextOffset();
                }
                if (offset == before) {
                    break;
                }
            }
            slot.shard.loadComplete(time.milliseconds());
            slot.loaded = true;
            LOG.debug("Loaded {} group records of {}-{} in {} ms", count, Topic.GROUP_METADATA_TOPIC_NAME, partition,
                    time.milliseconds() - start);
            scheduleWakeup();
        } catch (RuntimeException e) {
            LOG.error("Could not load {}-{}; its groups stay unavailable", Topic.GROUP_METADATA_TOPIC_NAME, partition,
                    e);
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
                    completion.future().completeExceptionally(error);
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

    /** Stops the owner thread; requests still queued are dropped (their connections are closing). */
    @Override
    public void close() {
        owner.shutdownNow();
        try {
            owner.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
