package io.brook.broker.txn;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.TransactionResult;

/**
 * The transactions of one {@code __transaction_state} partition: decides, for each request, the error to answer and
 * the new metadata to write, with Kafka's rules (TransactionCoordinator and TransactionMetadata, transaction version
 * 1). Deciding changes nothing: only {@link #replay} does, once the decided metadata is in the log.
 *
 * <p>Not thread-safe and free of I/O, threads and clocks: the caller passes the time and runs every call on the
 * coordinator's owner thread.
 */
public final class TransactionShard {

    /**
     * What a request decided: the error to answer and the metadata to write first (null: nothing to write). The answer
     * is sent once the write is committed.
     */
    public record Decision(Errors error, TransactionMetadata write) {

        static Decision answer(Errors error) {
            return new Decision(error, null);
        }

        static Decision write(Errors error, TransactionMetadata metadata) {
            return new Decision(error, metadata);
        }
    }

    private final int maxTimeoutMs;
    private final Map<String, TransactionMetadata> transactions = new HashMap<>();

    /** @param maxTimeoutMs {@code transaction.max.timeout.ms} */
    public TransactionShard(int maxTimeoutMs) {
        this.maxTimeoutMs = maxTimeoutMs;
    }

    public Optional<TransactionMetadata> get(String transactionalId) {
        return Optional.ofNullable(transactions.get(transactionalId));
    }

    public Collection<TransactionMetadata> all() {
        return List.copyOf(transactions.values());
    }

    /** Applies a record read from or written to the log; {@code null} is a tombstone (the id expired). */
    public void replay(String transactionalId, TransactionMetadata metadata) {
        if (metadata == null || metadata.state() == TransactionState.DEAD) {
            transactions.remove(transactionalId);
        } else {
            transactions.put(transactionalId, metadata);
        }
    }

    /**
     * InitProducerId with a transactional id. {@code expectedProducerId}/{@code expectedEpoch} are the producer's
     * current ones (v3+, KIP-360) or -1. An ongoing transaction is aborted with a bumped epoch (fencing its producer)
     * and the caller told to retry (CONCURRENT_TRANSACTIONS).
     */
    public Decision initProducerId(String transactionalId, int timeoutMs, long expectedProducerId,
            short expectedEpoch, long now, LongSupplier nextProducerId) {
        if (timeoutMs <= 0 || timeoutMs > maxTimeoutMs) {
            return Decision.answer(Errors.INVALID_TRANSACTION_TIMEOUT);
        }
        TransactionMetadata current = transactions.get(transactionalId);
        if (current == null) {
            current = TransactionMetadata.fresh(transactionalId, nextProducerId.getAsLong(), timeoutMs, now);
        }
        boolean expectedGiven = expectedProducerId != RecordBatch.NO_PRODUCER_ID;
        if (expectedGiven && !isValidProducerId(current, expectedProducerId, expectedEpoch)) {
            return Decision.answer(Errors.PRODUCER_FENCED);
        }
        return switch (current.state()) {
            case PREPARE_COMMIT, PREPARE_ABORT -> Decision.answer(Errors.CONCURRENT_TRANSACTIONS);
            case ONGOING -> Decision.write(Errors.CONCURRENT_TRANSACTIONS,
                    fenceAndAbort(current, now, nextProducerId));
            case EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT -> {
                if (current.isEpochExhausted() && (!expectedGiven || expectedEpoch == current.producerEpoch())) {
                    // A fresh producer id; the old id (and, for a KIP-360 producer, its epoch) is remembered so
                    // that a retry of this request is recognised and answered the same.
                    TransactionMetadata rotated = current.to(TransactionState.EMPTY, Set.of(), -1, now)
                            .withProducerId(nextProducerId.getAsLong(), current.producerId(), (short) 0,
                                    expectedGiven ? current.producerEpoch() : RecordBatch.NO_PRODUCER_EPOCH)
                            .withTimeout(timeoutMs);
                    yield Decision.write(Errors.NONE, rotated);
                }
                yield incrementEpoch(current, timeoutMs, expectedGiven, expectedEpoch, now);
            }
            case DEAD, PREPARE_EPOCH_FENCE -> throw new IllegalStateException(
                    transactionalId + " is in state " + current.state() + ", which is never stored");
        };
    }

    /**
     * A producer that presents its id and epoch is fenced unless the id is new (epoch -1: an idempotent producer
     * turning transactional), the id is the current one (the epoch is checked next), or it is the previous one with an
     * exhausted epoch (a retry of the rotation).
     */
    private static boolean isValidProducerId(TransactionMetadata current, long producerId, short epoch) {
        return current.producerEpoch() == RecordBatch.NO_PRODUCER_EPOCH
                || producerId == current.producerId()
                || (producerId == current.previousProducerId() && TransactionMetadata.isEpochExhausted(epoch));
    }

    private static Decision incrementEpoch(TransactionMetadata current, int timeoutMs, boolean expectedGiven,
            short expectedEpoch, long now) {
        short epoch = current.producerEpoch();
        short newEpoch;
        short lastEpoch;
        if (!expectedGiven || epoch == RecordBatch.NO_PRODUCER_EPOCH || expectedEpoch == epoch) {
            newEpoch = (short) (epoch + 1);
            lastEpoch = epoch;
        } else if (expectedEpoch == current.lastProducerEpoch()) {
            // A retry of a bump whose answer was lost: answer the same epoch again.
            newEpoch = epoch;
            lastEpoch = current.lastProducerEpoch();
        } else {
            return Decision.answer(Errors.PRODUCER_FENCED);
        }
        return Decision.write(Errors.NONE, current.to(TransactionState.EMPTY, Set.of(), -1, now)
                .withEpochs(newEpoch, lastEpoch).withTimeout(timeoutMs));
    }

    /**
     * The ongoing transaction aborted with a bumped epoch, so its producer's later requests are fenced. A transaction
     * version 2 transaction is bumped twice, as Kafka does (the fence, then the abort's own bump): with one bump the
     * fenced producer's EndTxn would look like a retry of the abort (epoch one below) and succeed.
     */
    private static TransactionMetadata fenceAndAbort(TransactionMetadata current, long now,
            LongSupplier nextProducerId) {
        short epoch = current.producerEpoch();
        short bumped = epoch == Short.MAX_VALUE ? epoch : (short) (epoch + 1);
        TransactionMetadata fenced = current.withEpochs(bumped, epoch);
        if (current.isTransactionVersion2()) {
            return prepareV2(fenced, TransactionState.PREPARE_ABORT, false, now, nextProducerId);
        }
        return fenced.to(TransactionState.PREPARE_ABORT, current.partitions(), current.startTimestamp(), now);
    }

    /** The producer's checks shared by AddPartitionsToTxn, AddOffsetsToTxn, EndTxn and verification. */
    private Optional<Errors> producerError(TransactionMetadata current, long producerId, short epoch) {
        if (current == null || current.producerId() != producerId) {
            return Optional.of(Errors.INVALID_PRODUCER_ID_MAPPING);
        }
        if (current.producerEpoch() != epoch) {
            return Optional.of(Errors.PRODUCER_FENCED);
        }
        return Optional.empty();
    }

    /** AddPartitionsToTxn (and AddOffsetsToTxn, with the group's offsets partition) from a version 1 client. */
    public Decision addPartitions(String transactionalId, long producerId, short epoch,
            Set<TopicPartition> partitions, long now) {
        return addPartitions(transactionalId, producerId, epoch, partitions, (short) 0, now);
    }

    /**
     * Adds partitions to the producer's transaction; {@code transactionVersion} is the client's (2 when a partition
     * leader adds them for a version 2 producer, 0 for a client's AddPartitionsToTxn), which the transaction keeps, as
     * Kafka's: it decides how a fence bumps the epoch and what the markers carry.
     */
    public Decision addPartitions(String transactionalId, long producerId, short epoch,
            Set<TopicPartition> partitions, short transactionVersion, long now) {
        TransactionMetadata current = transactions.get(transactionalId);
        Optional<Errors> error = producerError(current, producerId, epoch);
        if (error.isPresent()) {
            return Decision.answer(error.get());
        }
        if (current.state().isPrepare()) {
            return Decision.answer(Errors.CONCURRENT_TRANSACTIONS);
        }
        if (current.state() == TransactionState.ONGOING && current.partitions().containsAll(partitions)
                && current.clientTransactionVersion() == transactionVersion) {
            return Decision.answer(Errors.NONE);
        }
        long start = current.state() == TransactionState.ONGOING ? current.startTimestamp() : now;
        return Decision.write(Errors.NONE,
                current.to(TransactionState.ONGOING, current.partitionsWith(partitions), start, now)
                        .withVersion2(current.nextProducerId(), transactionVersion));
    }

    /**
     * Whether the producer's ongoing transaction includes {@code partition} (verification before a transactional
     * append): NONE if so, INVALID_TXN_STATE if not, or the producer's error.
     */
    public Errors verify(String transactionalId, long producerId, short epoch, TopicPartition partition) {
        TransactionMetadata current = transactions.get(transactionalId);
        Optional<Errors> error = producerError(current, producerId, epoch);
        if (error.isPresent()) {
            return error.get();
        }
        if (current.state().isPrepare()) {
            return Errors.CONCURRENT_TRANSACTIONS;
        }
        return current.state() == TransactionState.ONGOING && current.partitions().contains(partition)
                ? Errors.NONE
                : Errors.INVALID_TXN_STATE;
    }

    /** EndTxn from the producer: moves an ongoing transaction to PrepareCommit or PrepareAbort. */
    public Decision endTransaction(String transactionalId, long producerId, short epoch, TransactionResult result,
            long now) {
        TransactionMetadata current = transactions.get(transactionalId);
        Optional<Errors> error = producerError(current, producerId, epoch);
        if (error.isPresent()) {
            return Decision.answer(error.get());
        }
        boolean commit = result == TransactionResult.COMMIT;
        return switch (current.state()) {
            case ONGOING -> Decision.write(Errors.NONE, current.to(
                    commit ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT, current.partitions(),
                    current.startTimestamp(), now));
            // A retry of an EndTxn that already completed succeeds; the opposite outcome is a client bug.
            case COMPLETE_COMMIT -> Decision.answer(commit ? Errors.NONE : Errors.INVALID_TXN_STATE);
            case COMPLETE_ABORT -> Decision.answer(commit ? Errors.INVALID_TXN_STATE : Errors.NONE);
            case PREPARE_COMMIT -> Decision.answer(commit ? Errors.CONCURRENT_TRANSACTIONS : Errors.INVALID_TXN_STATE);
            case PREPARE_ABORT -> Decision.answer(commit ? Errors.INVALID_TXN_STATE : Errors.CONCURRENT_TRANSACTIONS);
            case EMPTY -> Decision.answer(Errors.INVALID_TXN_STATE);
            case DEAD, PREPARE_EPOCH_FENCE -> throw new IllegalStateException(
                    transactionalId + " is in state " + current.state() + ", which is never stored");
        };
    }

    /**
     * EndTxn v5+ (transaction version 2, KIP-890): every EndTxn bumps the epoch (the Prepare state carries the new
     * one, and the markers are written with it), so a retry is recognised by the producer's epoch being one below
     * the stored one; an abort is allowed without a transaction (Empty, Complete states), and an epoch exhausted by
     * the bump moves the id to {@code nextProducerId} when the transaction completes.
     */
    public Decision endTransactionV2(String transactionalId, long producerId, short epoch, TransactionResult result,
            long now, LongSupplier nextProducerId) {
        TransactionMetadata current = transactions.get(transactionalId);
        if (current == null) {
            return Decision.answer(Errors.INVALID_PRODUCER_ID_MAPPING);
        }
        boolean retryOnOverflow = current.previousProducerId() == producerId && epoch == Short.MAX_VALUE - 1
                && current.producerEpoch() == 0;
        boolean retryOnEpochBump = current.producerEpoch() == epoch + 1;
        if (current.producerId() != producerId && !retryOnOverflow) {
            return Decision.answer(Errors.INVALID_PRODUCER_ID_MAPPING);
        }
        boolean validEpoch = switch (current.state()) {
            case ONGOING, EMPTY, DEAD, PREPARE_EPOCH_FENCE -> epoch == current.producerEpoch();
            case PREPARE_COMMIT, PREPARE_ABORT -> retryOnEpochBump;
            case COMPLETE_COMMIT, COMPLETE_ABORT -> retryOnEpochBump || retryOnOverflow
                    || epoch == current.producerEpoch();
        };
        if (!validEpoch) {
            return Decision.answer(Errors.PRODUCER_FENCED);
        }
        boolean retry = retryOnEpochBump || retryOnOverflow;
        boolean commit = result == TransactionResult.COMMIT;
        return switch (current.state()) {
            case ONGOING -> Decision.write(Errors.NONE, prepareV2(current, commit
                    ? TransactionState.PREPARE_COMMIT
                    : TransactionState.PREPARE_ABORT, false, now, nextProducerId));
            case COMPLETE_COMMIT -> commit
                    ? Decision.answer(retry ? Errors.NONE : Errors.INVALID_TXN_STATE)
                    : retry
                            ? Decision.answer(Errors.INVALID_TXN_STATE)
                            : Decision.write(Errors.NONE, prepareV2(current, TransactionState.PREPARE_ABORT, true,
                                    now, nextProducerId));
            case COMPLETE_ABORT -> commit
                    ? Decision.answer(Errors.INVALID_TXN_STATE)
                    : retry
                            ? Decision.answer(Errors.NONE)
                            : Decision.write(Errors.NONE, prepareV2(current, TransactionState.PREPARE_ABORT, true,
                                    now, nextProducerId));
            case PREPARE_COMMIT -> Decision.answer(commit ? Errors.CONCURRENT_TRANSACTIONS : Errors.INVALID_TXN_STATE);
            case PREPARE_ABORT -> Decision.answer(commit ? Errors.INVALID_TXN_STATE : Errors.CONCURRENT_TRANSACTIONS);
            case EMPTY -> commit
                    ? Decision.answer(Errors.INVALID_TXN_STATE)
                    : Decision.write(Errors.NONE, prepareV2(current, TransactionState.PREPARE_ABORT, true, now,
                            nextProducerId));
            case DEAD, PREPARE_EPOCH_FENCE -> throw new IllegalStateException(
                    transactionalId + " is in state " + current.state() + ", which is never stored");
        };
    }

    /** A Prepare state with the epoch bumped (and a next producer id when that exhausts it). */
    private static TransactionMetadata prepareV2(TransactionMetadata current, TransactionState next,
            boolean noPartitionAdded, long now, LongSupplier nextProducerId) {
        long nextId = current.isEpochExhausted() ? nextProducerId.getAsLong() : RecordBatch.NO_PRODUCER_ID;
        short epoch = current.producerEpoch();
        // Short.MAX_VALUE is only reached by a fence; an abort from there goes through without overflowing.
        short bumped = epoch == Short.MAX_VALUE ? epoch : (short) (epoch + 1);
        long start = noPartitionAdded ? now : current.startTimestamp();
        return current.to(next, current.partitions(), start, now).withEpochs(bumped, epoch)
                .withVersion2(nextId, TransactionMetadata.TRANSACTION_VERSION_2);
    }

    /**
     * The CompleteCommit/CompleteAbort metadata once every marker of the prepared transaction is written; empty if
     * the id has moved on since (it was not in that Prepare state with that producer and epoch any more).
     */
    public Optional<TransactionMetadata> complete(String transactionalId, long producerId, short epoch, long now) {
        TransactionMetadata current = transactions.get(transactionalId);
        if (current == null || !current.state().isPrepare() || current.producerId() != producerId
                || current.producerEpoch() != epoch) {
            return Optional.empty();
        }
        TransactionState done = current.state() == TransactionState.PREPARE_COMMIT
                ? TransactionState.COMPLETE_COMMIT
                : TransactionState.COMPLETE_ABORT;
        TransactionMetadata completed = current.to(done, Set.of(), current.startTimestamp(), now);
        if (current.isTransactionVersion2() && current.nextProducerId() != RecordBatch.NO_PRODUCER_ID) {
            // The bump exhausted the epoch: the id moves to the next producer id; the client saw the old id's last
            // epoch last, which stays as the last epoch.
            completed = completed.withProducerId(current.nextProducerId(), current.producerId(), (short) 0,
                    current.lastProducerEpoch()).withVersion2(RecordBatch.NO_PRODUCER_ID,
                            current.clientTransactionVersion());
        }
        return Optional.of(completed);
    }

    /**
     * The aborts (with a bumped epoch, twice for transaction version 2) of ongoing transactions older than their
     * timeout; {@code nextProducerId} is asked only when a version 2 abort exhausts the epoch.
     */
    public List<TransactionMetadata> abortTimedOut(long now, LongSupplier nextProducerId) {
        List<TransactionMetadata> aborts = new ArrayList<>();
        for (TransactionMetadata t : transactions.values()) {
            if (t.state() == TransactionState.ONGOING && t.startTimestamp() + t.timeoutMs() < now) {
                aborts.add(fenceAndAbort(t, now, nextProducerId));
            }
        }
        return aborts;
    }

    /** Idle ids not used for {@code expirationMs} ({@code transactional.id.expiration.ms}): to tombstone. */
    public List<String> expired(long now, long expirationMs) {
        List<String> ids = new ArrayList<>();
        for (TransactionMetadata t : transactions.values()) {
            if (t.state().isIdle() && t.lastUpdateTimestamp() <= now - expirationMs) {
                ids.add(t.transactionalId());
            }
        }
        return ids;
    }

    /** Transactions whose markers are still to be written (Prepare states), e.g. after a load. */
    public List<TransactionMetadata> preparing() {
        return transactions.values().stream().filter(t -> t.state().isPrepare()).toList();
    }
}
