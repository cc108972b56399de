package io.brook.broker.handlers.data;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Time;

import io.brook.broker.config.BrokerConfig;
import io.brook.broker.txn.TransactionVerifier;

/**
 * The produce side of transaction verification (Kafka's ReplicaManager and AddPartitionsToTxnManager rules): which
 * operation a Produce version asks for, the retry of CONCURRENT_TRANSACTIONS, and how the coordinator's errors become
 * the errors a producer of that version understands.
 *
 * <ul>
 * <li>Produce v12+ (transaction version 2) adds the partition to the transaction; older versions only verify it.</li>
 * <li>CONCURRENT_TRANSACTIONS (the previous transaction still completing, common right after a version 2 commit) is
 * retried every {@code add.partitions.to.txn.retry.backoff.ms} (20) for up to
 * {@code add.partitions.to.txn.retry.backoff.max.ms} (100); sooner when the verifier can tell the previous transaction
 * finished ({@link TransactionVerifier#whenNotCompleting}: a coordinator on this node), so the next transaction of a
 * producer does not sit out a whole backoff behind the previous one's markers.</li>
 * <li>With {@code transaction.partition.verification.enable=false} only v12+ asks (it must add the partition); older
 * versions append without asking.</li>
 * <li>PRODUCER_FENCED becomes INVALID_PRODUCER_EPOCH and CLUSTER_AUTHORIZATION_FAILED INVALID_TXN_STATE; below v11
 * TRANSACTION_ABORTABLE becomes INVALID_TXN_STATE. Coordinator unavailability (COORDINATOR_NOT_AVAILABLE,
 * COORDINATOR_LOAD_IN_PROGRESS, NOT_COORDINATOR, NETWORK_EXCEPTION), and CONCURRENT_TRANSACTIONS below v12, become
 * NOT_ENOUGH_REPLICAS, which every producer retries without refreshing metadata.</li>
 * </ul>
 *
 * <p>Thread-safe and stateless; never blocks: a retry waits on the JDK's delay scheduler and asks the verifier again.
 */
final class ProduceTransactionVerification {

    /** Produce v12 is the first of transaction version 2: the leader adds the partition to the transaction. */
    static final short FIRST_ADD_PARTITION_VERSION = 12;
    /** Produce v11 is the first whose clients know TRANSACTION_ABORTABLE. */
    static final short FIRST_ABORTABLE_ERROR_VERSION = 11;

    /** The broker settings of verification, Kafka's names and defaults. */
    record Settings(boolean enabled, long retryBackoffMs, long retryBackoffMaxMs) {

        static final Settings DEFAULTS = new Settings(true, 20, 100);

        static Settings from(BrokerConfig config) {
            return new Settings(config.transactionPartitionVerificationEnable(),
                    config.addPartitionsToTxnRetryBackoffMs(), config.addPartitionsToTxnRetryBackoffMaxMs());
        }
    }

    private final Time time;
    private final Settings settings;
    private final Executor delay;

    ProduceTransactionVerification(Time time) {
        this(time, Settings.DEFAULTS);
    }

    ProduceTransactionVerification(Time time, Settings settings) {
        this(time, settings, CompletableFuture.delayedExecutor(settings.retryBackoffMs(), TimeUnit.MILLISECONDS,
                Runnable::run));
    }

    /** @param delay runs a retry after the backoff */
    ProduceTransactionVerification(Time time, Settings settings, Executor delay) {
        this.time = time;
        this.settings = settings;
        this.delay = delay;
    }

    /** Whether a Produce of {@code produceVersion} asks the coordinator before a transaction's first batch. */
    boolean required(short produceVersion) {
        return settings.enabled() || produceVersion >= FIRST_ADD_PARTITION_VERSION;
    }

    /** The partition's answer: NONE if the batch may be appended, else an error and its message. */
    record Outcome(Errors error, String message) {
    }

    /** The outcome of verifying the partition for a Produce of {@code produceVersion}. Never fails. */
    CompletableFuture<Outcome> verify(TransactionVerifier verifier, short produceVersion, String transactionalId,
            long producerId, short producerEpoch, TopicPartition partition) {
        boolean addPartition = produceVersion >= FIRST_ADD_PARTITION_VERSION;
        long deadline = time.milliseconds() + settings.retryBackoffMaxMs();
        return attempt(verifier, transactionalId, producerId, producerEpoch, partition, addPartition, deadline)
                .thenApply(error -> outcome(error, produceVersion));
    }

    private CompletableFuture<Errors> attempt(TransactionVerifier verifier, String transactionalId, long producerId,
            short producerEpoch, TopicPartition partition, boolean addPartition, long deadline) {
        return verifier.verify(transactionalId, producerId, producerEpoch, partition, addPartition)
                .exceptionally(error -> Errors.forException(DataPathErrors.unwrap(error)))
                .thenCompose(error -> {
                    if (error != Errors.CONCURRENT_TRANSACTIONS || time.milliseconds() >= deadline) {
                        return CompletableFuture.completedFuture(error);
                    }
                    // Again after the backoff, or as soon as the coordinator says the previous transaction is done.
                    CompletableFuture<Void> backoff = CompletableFuture.runAsync(() -> {
                    }, delay);
                    return CompletableFuture.anyOf(backoff, verifier.whenNotCompleting(transactionalId))
                            .thenCompose(ignored -> attempt(verifier, transactionalId, producerId, producerEpoch,
                                    partition, addPartition, deadline));
                });
    }

    static Outcome outcome(Errors error, short produceVersion) {
        Errors mapped = map(error, produceVersion);
        if (mapped == Errors.NOT_ENOUGH_REPLICAS) {
            return new Outcome(mapped, "Unable to verify the partition has been added to the transaction. "
                    + "Underlying error: " + error);
        }
        return new Outcome(mapped, mapped == Errors.INVALID_TXN_STATE
                ? "Partition was not added to the transaction"
                : mapped.message());
    }

    /** The coordinator's error as a producer of {@code produceVersion} expects it. */
    static Errors map(Errors error, short produceVersion) {
        return switch (error) {
            case PRODUCER_FENCED -> Errors.INVALID_PRODUCER_EPOCH;
            case CLUSTER_AUTHORIZATION_FAILED -> Errors.INVALID_TXN_STATE;
            case TRANSACTION_ABORTABLE -> produceVersion < FIRST_ABORTABLE_ERROR_VERSION
                    ? Errors.INVALID_TXN_STATE
                    : error;
            case COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS, NOT_COORDINATOR, NETWORK_EXCEPTION ->
                Errors.NOT_ENOUGH_REPLICAS;
            // Version 2 clients get it as it is: it is common while the previous transaction completes.
            case CONCURRENT_TRANSACTIONS -> produceVersion < FIRST_ADD_PARTITION_VERSION
                    ? Errors.NOT_ENOUGH_REPLICAS
                    : error;
            default -> error;
        };
    }
}
