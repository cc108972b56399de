package io.brook.broker.txn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.NotEnoughReplicasAfterAppendException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.TransactionResult;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.broker.replication.CoordinatorErrors;
import io.brook.broker.replication.PartitionWriter;
import io.brook.metadata.MetadataStore;
import io.brook.metadata.TopicImage;
import io.brook.storage.FetchIsolation;
import io.brook.storage.LogManager;
import io.brook.storage.LogReadResult;
import io.brook.storage.PartitionLog;

/**
 * Runs the transaction coordinator: one {@link TransactionShard} per {@code __transaction_state} partition this node
 * leads, loaded from the partition's log before it answers (COORDINATOR_LOAD_IN_PROGRESS meanwhile) and unloaded
 * when another broker leads it (NOT_COORDINATOR). The coordinator of a transactional id is the leader of partition
 * {@link #partitionFor}; the topic is created on the first lookup, as Kafka does.
 *
 * <p>A request's decision (the shard's) is written through the {@link PartitionWriter} with the partition's leader
 * epoch, replayed into the shard once appended, and answered once committed (every in-sync replica has it, this node
 * fsynced it). Once a PrepareCommit/PrepareAbort is committed its markers go to the partition leaders through the
 * {@link TransactionMarkerSender}; when they are all written the coordinator writes CompleteCommit/CompleteAbort.
 * Transactions found in a Prepare state when a partition loads resume their markers. Two periodic checks abort
 * transactions older than their timeout (with an epoch bump, fencing the producer) and remove ids unused for
 * {@code transactional.id.expiration.ms} (a tombstone).
 *
 * <p>Threading: one owner thread, {@code brook-txn-coordinator}, holds every shard; callers get futures. Producer id
 * blocks are reserved on that thread (a metadata write once per 1,000 ids).
 */
public final class TransactionCoordinator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionCoordinator.class);
    private static final String TOPIC = Topic.TRANSACTION_STATE_TOPIC_NAME;
    private static final int LOAD_READ_BYTES = 1 << 20;
    private static final long RETRY_BACKOFF_MS = 100;

    /** InitProducerId's answer. */
    public record InitResult(Errors error, long producerId, short producerEpoch) {

        static InitResult failed(Errors error) {
            return new InitResult(error, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH);
        }
    }

    /** A listing over the loaded partitions; {@code error} is COORDINATOR_LOAD_IN_PROGRESS while any loads. */
    public record Listing(Errors error, List<TransactionMetadata> transactions) {
    }

    private static final class Slot {
        final int partition;
        final TopicPartition topicPartition;
        final TransactionShard shard;
        final PartitionLog log;
        final int leaderEpoch;
        boolean loaded;
        boolean failed;
        /** The offset after this shard's last record in the log (owner thread only). */
        long lastWrittenEnd;

        Slot(int partition, TransactionShard shard, PartitionLog log, int leaderEpoch) {
            this.partition = partition;
            this.topicPartition = new TopicPartition(TOPIC, partition);
            this.shard = shard;
            this.log = log;
            this.leaderEpoch = leaderEpoch;
        }
    }

    private final MetadataStore metadata;
    private final int nodeId;
    private final LogManager logs;
    private final PartitionWriter writer;
    private final ProducerIdSource producerIds;
    private final TransactionMarkerSender markers;
    private final TransactionConfig config;
    private final Time time;
    private final ScheduledThreadPoolExecutor owner;
    private final Map<Integer, Slot> slots = new HashMap<>();
    /** Callers waiting for an id's transaction to leave its Prepare state (owner thread only). */
    private final Map<String, List<CompletableFuture<Void>>> completionWaiters = new HashMap<>();
    private volatile boolean closing;

    public TransactionCoordinator(MetadataStore metadata, int nodeId, LogManager logs, PartitionWriter writer,
            ProducerIdSource producerIds, TransactionMarkerSender markers, TransactionConfig config, Time time) {
        this.metadata = metadata;
        this.nodeId = nodeId;
        this.logs = logs;
        this.writer = writer;
        this.producerIds = producerIds;
        this.markers = markers;
        this.config = config;
        this.time = time;
        this.owner = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "brook-txn-coordinator");
            t.setDaemon(true);
            return t;
        });
        owner.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        owner.setRemoveOnCancelPolicy(true);
    }

    /** The partition of {@code __transaction_state} that coordinates an id (Kafka's formula). */
    public static int partitionFor(String transactionalId, int partitions) {
        return Utils.abs(transactionalId.hashCode()) % partitions;
    }

    /** Follows the leadership of {@code __transaction_state} and starts the periodic checks. */
    public void start() {
        metadata.addListener((previous, current) -> {
            if (!closing && !previous.topic(TOPIC).equals(current.topic(TOPIC))) {
                tryExecute(this::syncLeadership);
            }
        });
        if (metadata.image().topic(TOPIC).isPresent()) {
            tryExecute(this::syncLeadership);
        }
        owner.scheduleWithFixedDelay(guarded(this::abortTimedOut), config.abortTimedOutCheckIntervalMs(),
                config.abortTimedOutCheckIntervalMs(), TimeUnit.MILLISECONDS);
        owner.scheduleWithFixedDelay(guarded(this::removeExpired), config.removeExpiredCheckIntervalMs(),
                config.removeExpiredCheckIntervalMs(), TimeUnit.MILLISECONDS);
    }

    /** Runs the timed-out transaction check now (tests drive it with a mock clock). */
    public CompletableFuture<Void> checkTimeouts() {
        return run(() -> {
            abortTimedOut();
            removeExpired();
        });
    }

    // ---------------------------------------------------------------- requests (any thread)

    /**
     * Creates {@code __transaction_state} if needed; NONE once it exists (the coordinator is its partition's leader,
     * which FindCoordinator names), COORDINATOR_NOT_AVAILABLE while it cannot be created.
     */
    public CompletableFuture<Errors> ensureCoordinator() {
        CompletableFuture<Errors> result = new CompletableFuture<>();
        if (!tryExecute(() -> result.complete(stateTopic().isPresent()
                ? Errors.NONE
                : Errors.COORDINATOR_NOT_AVAILABLE))) {
            result.complete(Errors.COORDINATOR_NOT_AVAILABLE);
        }
        return result;
    }

    public CompletableFuture<InitResult> initProducerId(String transactionalId, int timeoutMs,
            long expectedProducerId, short expectedEpoch) {
        return onShard(transactionalId, InitResult::failed, (slot, result) -> {
            TransactionShard.Decision decision;
            try {
                decision = slot.shard.initProducerId(transactionalId, timeoutMs, expectedProducerId, expectedEpoch,
                        time.milliseconds(), producerIds::nextProducerId);
            } catch (RuntimeException e) {
                // Producer id allocation failed (the metadata quorum is unavailable): the client retries.
                LOG.warn("InitProducerId of {} failed: {}", transactionalId, e.toString());
                result.complete(InitResult.failed(Errors.COORDINATOR_NOT_AVAILABLE));
                return;
            }
            apply(slot, transactionalId, decision, error -> {
                if (error != Errors.NONE) {
                    return InitResult.failed(error);
                }
                TransactionMetadata m = decision.write() != null
                        ? decision.write()
                        : slot.shard.get(transactionalId).orElseThrow();
                return new InitResult(Errors.NONE, m.producerId(), m.producerEpoch());
            }, result);
        });
    }

    /** AddPartitionsToTxn or AddOffsetsToTxn from a transaction version 1 client. */
    public CompletableFuture<Errors> addPartitions(String transactionalId, long producerId, short epoch,
            Set<TopicPartition> partitions) {
        return addPartitions(transactionalId, producerId, epoch, partitions, (short) 0);
    }

    /**
     * Adds partitions to the producer's transaction for a client of {@code transactionVersion} (2: a partition leader
     * adds them for a transaction version 2 producer).
     */
    public CompletableFuture<Errors> addPartitions(String transactionalId, long producerId, short epoch,
            Set<TopicPartition> partitions, short transactionVersion) {
        return onShard(transactionalId, Function.identity(), (slot, result) -> apply(slot, transactionalId,
                slot.shard.addPartitions(transactionalId, producerId, epoch, partitions, transactionVersion,
                        time.milliseconds()),
                Function.identity(), result));
    }

    /**
     * Completes once the id's transaction is not in a Prepare state any more (its markers written and its Complete
     * state applied), at once if it is not in one; never if this node does not coordinate it (the caller's backoff
     * applies). Lets a partition leader ask again as soon as CONCURRENT_TRANSACTIONS no longer holds instead of after
     * a fixed pause. Never fails.
     */
    public CompletableFuture<Void> whenNotCompleting(String transactionalId) {
        CompletableFuture<Void> woken = new CompletableFuture<>();
        onShard(transactionalId, error -> Boolean.FALSE, (slot, result) -> {
            boolean completing = slot.shard.get(transactionalId).map(m -> m.state().isPrepare()).orElse(false);
            if (completing) {
                completionWaiters.computeIfAbsent(transactionalId, id -> new ArrayList<>()).add(woken);
            } else {
                woken.complete(null);
            }
            result.complete(Boolean.TRUE);
        });
        return woken;
    }

    /** Per partition: NONE if it is in the producer's ongoing transaction, else the error to answer. */
    public CompletableFuture<Map<TopicPartition, Errors>> verify(String transactionalId, long producerId, short epoch,
            Set<TopicPartition> partitions) {
        return onShard(transactionalId, error -> allFailed(partitions, error), (slot, result) -> {
            Map<TopicPartition, Errors> errors = new HashMap<>();
            for (TopicPartition tp : partitions) {
                errors.put(tp, slot.shard.verify(transactionalId, producerId, epoch, tp));
            }
            result.complete(errors);
        });
    }

    private static Map<TopicPartition, Errors> allFailed(Set<TopicPartition> partitions, Errors error) {
        Map<TopicPartition, Errors> errors = new HashMap<>();
        partitions.forEach(tp -> errors.put(tp, error));
        return errors;
    }

    public CompletableFuture<Errors> endTransaction(String transactionalId, long producerId, short epoch,
            TransactionResult result) {
        return onShard(transactionalId, Function.identity(), (slot, answer) -> apply(slot, transactionalId,
                slot.shard.endTransaction(transactionalId, producerId, epoch, result, time.milliseconds()),
                Function.identity(), answer));
    }

    /**
     * EndTxn v5+ (transaction version 2): the answer carries the producer id and epoch the producer goes on with (the
     * bumped epoch, or epoch 0 of the next producer id when the bump exhausted the epoch).
     */
    public CompletableFuture<InitResult> endTransactionV2(String transactionalId, long producerId, short epoch,
            TransactionResult result) {
        return onShard(transactionalId, InitResult::failed, (slot, answer) -> {
            TransactionShard.Decision decision;
            try {
                decision = slot.shard.endTransactionV2(transactionalId, producerId, epoch, result,
                        time.milliseconds(), producerIds::nextProducerId);
            } catch (RuntimeException e) {
                LOG.warn("EndTxn of {} failed: {}", transactionalId, e.toString());
                answer.complete(InitResult.failed(Errors.COORDINATOR_NOT_AVAILABLE));
                return;
            }
            apply(slot, transactionalId, decision, error -> {
                if (error != Errors.NONE) {
                    return InitResult.failed(error);
                }
                TransactionMetadata m = decision.write() != null
                        ? decision.write()
                        : slot.shard.get(transactionalId).orElseThrow();
                return m.nextProducerId() != RecordBatch.NO_PRODUCER_ID
                        ? new InitResult(Errors.NONE, m.nextProducerId(), (short) 0)
                        : new InitResult(Errors.NONE, m.producerId(), m.producerEpoch());
            }, answer);
        });
    }

    /** The id's metadata: empty with TRANSACTIONAL_ID_NOT_FOUND if unknown, or the coordinator error. */
    public CompletableFuture<Map.Entry<Errors, Optional<TransactionMetadata>>> describe(String transactionalId) {
        return onShard(transactionalId, error -> Map.entry(error, Optional.empty()), (slot, result) -> {
            Optional<TransactionMetadata> m = slot.shard.get(transactionalId);
            result.complete(Map.entry(m.isPresent() ? Errors.NONE : Errors.TRANSACTIONAL_ID_NOT_FOUND, m));
        });
    }

    /** Every transaction of the partitions this node leads (ListTransactions). */
    public CompletableFuture<Listing> list() {
        CompletableFuture<Listing> result = new CompletableFuture<>();
        if (!tryExecute(() -> {
            boolean loading = slots.values().stream().anyMatch(s -> !s.loaded && !s.failed);
            List<TransactionMetadata> all = new ArrayList<>();
            slots.values().stream().filter(s -> s.loaded).forEach(s -> all.addAll(s.shard.all()));
            result.complete(new Listing(loading ? Errors.COORDINATOR_LOAD_IN_PROGRESS : Errors.NONE, all));
        })) {
            result.complete(new Listing(Errors.NOT_COORDINATOR, List.of()));
        }
        return result;
    }

    // ---------------------------------------------------------------- owner thread

    private interface SlotAction<T> {
        void run(Slot slot, CompletableFuture<T> result);
    }

    private <T> CompletableFuture<T> onShard(String transactionalId, Function<Errors, T> onError,
            SlotAction<T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (transactionalId == null || transactionalId.isEmpty()) {
            result.complete(onError.apply(Errors.INVALID_REQUEST));
            return result;
        }
        boolean queued = tryExecute(() -> {
            Optional<TopicImage> topic = closing ? Optional.empty() : metadata.image().topic(TOPIC);
            Slot slot = topic.map(t -> slots.get(partitionFor(transactionalId, t.partitionCount()))).orElse(null);
            Errors error;
            if (closing) {
                error = Errors.NOT_COORDINATOR;
            } else if (slot == null) {
                error = topic.isPresent() ? Errors.NOT_COORDINATOR : Errors.COORDINATOR_NOT_AVAILABLE;
            } else if (slot.failed) {
                error = Errors.NOT_COORDINATOR;
            } else if (!slot.loaded) {
                error = Errors.COORDINATOR_LOAD_IN_PROGRESS;
            } else {
                error = Errors.NONE;
            }
            if (error != Errors.NONE) {
                result.complete(onError.apply(error));
                return;
            }
            try {
                action.run(slot, result);
            } catch (RuntimeException e) {
                LOG.error("Transaction request for {} failed", transactionalId, e);
                result.complete(onError.apply(Errors.UNKNOWN_SERVER_ERROR));
            }
        });
        if (!queued) {
            result.complete(onError.apply(Errors.NOT_COORDINATOR));
        }
        return result;
    }

    /**
     * Writes the decision's metadata (if any), then answers {@code shape(decision error)}, or the coordinator error of
     * a failed write. A Prepare state starts its markers once committed.
     */
    private <T> void apply(Slot slot, String transactionalId, TransactionShard.Decision decision,
            Function<Errors, T> shape, CompletableFuture<T> result) {
        TransactionMetadata value = decision.write();
        if (value == null) {
            // The state it was decided on may come from a write not committed yet: answer once that one is.
            lastWriteCommitted(slot).whenComplete((ignored, failure) -> result.complete(shape.apply(failure == null
                    ? decision.error()
                    : CoordinatorErrors.normalize(failure))));
            return;
        }
        write(slot, transactionalId, value,
                error -> result.complete(shape.apply(error == Errors.NONE ? decision.error() : error)),
                value.state().isPrepare() ? () -> startMarkers(slot, value) : () -> {
                });
    }

    /**
     * Appends one record ({@code value} null: a tombstone) and replays it. {@code answer} gets NONE once it is
     * committed, or the coordinator error of the first failure. A write that timed out waiting for the replicas is in
     * the leader's log: the wait goes on while this node leads, and {@code onCommitted} runs (on the owner thread)
     * once it is committed, whether the answer went out as a success or not.
     */
    private void write(Slot slot, String transactionalId, TransactionMetadata value, Consumer<Errors> answer,
            Runnable onCommitted) {
        long now = time.milliseconds();
        SimpleRecord record = new SimpleRecord(now, TransactionRecordCodec.key(transactionalId),
                value == null ? null : TransactionRecordCodec.value(value));
        long end;
        try {
            end = writer.append(slot.topicPartition, slot.leaderEpoch,
                    MemoryRecords.withRecords(Compression.NONE, record));
        } catch (RuntimeException e) {
            LOG.warn("Could not append the state of {} to {}: {}", transactionalId, slot.topicPartition, e.toString());
            answer.accept(CoordinatorErrors.normalize(e));
            return;
        }
        slot.shard.replay(transactionalId, value);
        slot.lastWrittenEnd = end;
        if (value == null || !value.state().isPrepare()) {
            wakeCompletionWaiters(transactionalId);
        }
        awaitCommitted(slot, end, answer, onCommitted);
    }

    /** Completes once the shard's last write is committed (at once when the high watermark is there already). */
    private CompletableFuture<Void> lastWriteCommitted(Slot slot) {
        if (slot.log.highWatermark() >= slot.lastWrittenEnd) {
            return CompletableFuture.completedFuture(null);
        }
        return writer.awaitCommitted(slot.topicPartition, slot.leaderEpoch, slot.lastWrittenEnd,
                config.writeTimeoutMs()).exceptionally(failure -> {
                    if (CoordinatorErrors.cause(failure) instanceof NotEnoughReplicasAfterAppendException) {
                        return null;
                    }
                    throw failure instanceof java.util.concurrent.CompletionException c
                            ? c
                            : new java.util.concurrent.CompletionException(failure);
                });
    }

    private void awaitCommitted(Slot slot, long end, Consumer<Errors> answer, Runnable onCommitted) {
        writer.awaitCommitted(slot.topicPartition, slot.leaderEpoch, end, config.writeTimeoutMs())
                .whenComplete((ignored, failure) -> {
                    Throwable cause = failure == null ? null : CoordinatorErrors.cause(failure);
                    if (failure == null || cause instanceof NotEnoughReplicasAfterAppendException) {
                        // Committed (the high watermark passed it even if the ISR shrank meanwhile).
                        answer.accept(Errors.NONE);
                        tryExecute(onCommitted);
                        return;
                    }
                    answer.accept(CoordinatorErrors.normalize(cause));
                    if (cause instanceof TimeoutException && !closing) {
                        tryExecute(() -> {
                            if (slots.get(slot.partition) == slot) {
                                awaitCommitted(slot, end, error -> {
                                }, onCommitted);
                            }
                        });
                    }
                });
    }

    private void wakeCompletionWaiters(String transactionalId) {
        List<CompletableFuture<Void>> waiters = completionWaiters.remove(transactionalId);
        if (waiters != null) {
            waiters.forEach(w -> w.complete(null));
        }
    }

    private static TransactionResult resultOf(TransactionState state) {
        return state == TransactionState.PREPARE_COMMIT ? TransactionResult.COMMIT : TransactionResult.ABORT;
    }

    private void startMarkers(Slot slot, TransactionMetadata prepared) {
        if (slots.get(slot.partition) != slot || closing) {
            return;
        }
        TransactionMarkerSender.MarkerJob job = new TransactionMarkerSender.MarkerJob(prepared.transactionalId(),
                prepared.producerId(), prepared.producerEpoch(), slot.leaderEpoch, resultOf(prepared.state()),
                prepared.partitions(), prepared.clientTransactionVersion());
        markers.send(job).thenAccept(written -> {
            if (written) {
                tryExecute(() -> completeTransaction(slot, job));
            }
        });
    }

    private void completeTransaction(Slot slot, TransactionMarkerSender.MarkerJob job) {
        if (slots.get(slot.partition) != slot || closing) {
            return;
        }
        Optional<TransactionMetadata> completed = slot.shard.complete(job.transactionalId(), job.producerId(),
                job.producerEpoch(), time.milliseconds());
        if (completed.isEmpty()) {
            return;
        }
        write(slot, job.transactionalId(), completed.get(), error -> {
            // A refused append left the Prepare state: try again. After a timeout the retry finds it completed.
            if (error != Errors.NONE && error != Errors.NOT_COORDINATOR) {
                LOG.info("Could not complete the transaction of {} ({}); retrying", job.transactionalId(), error);
                try {
                    owner.schedule(() -> completeTransaction(slot, job), RETRY_BACKOFF_MS, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException e) {
                    LOG.debug("Closing; the next coordinator completes {}", job.transactionalId());
                }
            }
        }, () -> {
        });
    }

    private void abortTimedOut() {
        long now = time.milliseconds();
        for (Slot slot : List.copyOf(slots.values())) {
            if (!slot.loaded) {
                continue;
            }
            List<TransactionMetadata> aborts;
            try {
                aborts = slot.shard.abortTimedOut(now, producerIds::nextProducerId);
            } catch (RuntimeException e) {
                // Producer id allocation failed (the metadata quorum is unavailable): the next round retries.
                LOG.warn("Could not abort timed out transactions: {}", e.toString());
                continue;
            }
            for (TransactionMetadata abort : aborts) {
                LOG.info("Aborting the transaction of {} (producer id {}): older than its timeout of {} ms",
                        abort.transactionalId(), abort.producerId(), abort.timeoutMs());
                write(slot, abort.transactionalId(), abort, error -> {
                }, () -> startMarkers(slot, abort));
            }
        }
    }

    private void removeExpired() {
        long now = time.milliseconds();
        for (Slot slot : List.copyOf(slots.values())) {
            if (!slot.loaded) {
                continue;
            }
            for (String id : slot.shard.expired(now, config.idExpirationMs())) {
                LOG.info("Removing transactional id {}: unused for {} ms", id, config.idExpirationMs());
                write(slot, id, null, error -> {
                }, () -> {
                });
            }
        }
    }

    /** {@code __transaction_state}, created first if it does not exist; empty if it cannot be created yet. */
    private Optional<TopicImage> stateTopic() {
        Optional<TopicImage> topic = metadata.image().topic(TOPIC);
        if (topic.isPresent()) {
            return topic;
        }
        try {
            metadata.createTopic(TOPIC, config.stateLogPartitions(), config.stateLogReplicationFactor(),
                    Map.of("cleanup.policy", "compact",
                            "segment.bytes", Integer.toString(config.stateLogSegmentBytes()),
                            "min.insync.replicas", Integer.toString(config.stateLogMinIsr())));
            LOG.info("Created {} with {} partitions", TOPIC, config.stateLogPartitions());
        } catch (TopicExistsException e) {
            LOG.debug("{} exists already", TOPIC);
        } catch (org.apache.kafka.common.errors.RetriableException e) {
            LOG.warn("Could not create {} yet ({}); the next coordinator lookup retries", TOPIC, e.toString());
            return Optional.empty();
        } catch (RuntimeException e) {
            LOG.error("Could not create {}", TOPIC, e);
            return Optional.empty();
        }
        syncLeadership();
        return metadata.image().topic(TOPIC);
    }

    private int leaderEpochHere(TopicImage topic, int p) {
        // A topic without registrations is the single-node store's: this node leads every partition at epoch 0.
        return topic.partition(p).map(r -> r.leader() == nodeId ? r.leaderEpoch() : -1).orElse(0);
    }

    /** Loads the partitions this node now leads (again for a new epoch) and unloads the others. */
    private void syncLeadership() {
        Optional<TopicImage> topic = metadata.image().topic(TOPIC);
        if (topic.isEmpty()) {
            slots.clear();
            return;
        }
        for (int p = 0; p < topic.get().partitionCount(); p++) {
            int epoch = leaderEpochHere(topic.get(), p);
            Slot current = slots.get(p);
            if (epoch < 0) {
                if (slots.remove(p) != null) {
                    LOG.info("Unloaded {}-{}: this node no longer leads it", TOPIC, p);
                    // Whoever waits asks again and learns where the coordinator went.
                    List.copyOf(completionWaiters.keySet()).forEach(this::wakeCompletionWaiters);
                }
                continue;
            }
            if (current != null && current.leaderEpoch == epoch) {
                continue;
            }
            TopicPartition tp = new TopicPartition(TOPIC, p);
            Optional<PartitionLog> log = logs.get(tp);
            if (log.isEmpty()) {
                LOG.error("No log for {}; its transactions have no coordinator", tp);
                slots.remove(p);
                continue;
            }
            Slot slot = new Slot(p, new TransactionShard(config.maxTimeoutMs()), log.get(), epoch);
            slots.put(p, slot);
            if (slot.log.logEndOffset() == slot.log.logStartOffset()) {
                slot.loaded = true;
            } else {
                // Its own task, so requests queued meanwhile are answered (COORDINATOR_LOAD_IN_PROGRESS) in between.
                tryExecute(() -> {
                    if (slots.get(slot.partition) == slot) {
                        load(slot);
                    }
                });
            }
        }
    }

    private void load(Slot slot) {
        long start = time.milliseconds();
        long offset = slot.log.logStartOffset();
        long end = slot.log.logEndOffset();
        int count = 0;
        try {
            while (offset < end) {
                LogReadResult read = slot.log.read(offset, LOAD_READ_BYTES, true, FetchIsolation.LOG_END);
                long before = offset;
                for (RecordBatch batch : read.records().batches()) {
                    if (!batch.isControlBatch()) {
                        for (Record record : batch) {
                            if (record.hasKey() && TransactionRecordCodec.isKnownKey(record.key())) {
                                String id = TransactionRecordCodec.decodeKey(record.key());
                                slot.shard.replay(id, record.hasValue()
                                        ? TransactionRecordCodec.decodeValue(id, record.value())
                                        : null);
                                count++;
                            }
                        }
                    }
                    offset = batch.nextOffset();
                }
                if (offset == before) {
                    break;
                }
            }
            // A new leader's tail may not be committed yet: answers wait for it.
            slot.lastWrittenEnd = end;
            slot.loaded = true;
            LOG.info("Loaded {} transaction records of {} in {} ms", count, slot.topicPartition,
                    time.milliseconds() - start);
            for (TransactionMetadata prepared : slot.shard.preparing()) {
                startMarkers(slot, prepared);
            }
        } catch (RuntimeException e) {
            slot.failed = true;
            LOG.error("Could not load {} at offset {}; its transactions answer NOT_COORDINATOR", slot.topicPartition,
                    offset, e);
        }
    }

    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("Transaction coordinator check failed", e);
            }
        };
    }

    private CompletableFuture<Void> run(Runnable task) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!tryExecute(() -> {
            task.run();
            done.complete(null);
        })) {
            done.complete(null);
        }
        return done;
    }

    private boolean tryExecute(Runnable task) {
        try {
            owner.execute(guarded(task));
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    @Override
    public void close() {
        closing = true;
        markers.close();
        owner.shutdown();
        try {
            if (!owner.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Transaction coordinator thread did not stop within 5 s; interrupting it");
                owner.shutdownNow();
            }
        } catch (InterruptedException e) {
            owner.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
