package io.brook.broker.handlers.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import io.brook.broker.config.BrokerConfig;
import io.brook.broker.testing.ManualTime;
import io.brook.broker.txn.TransactionVerifier;

class ProduceTransactionVerificationTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);

    private static final ProduceTransactionVerification.Settings SETTINGS = ProduceTransactionVerification.Settings.DEFAULTS;

    private final ManualTime time = new ManualTime();
    private final List<Long> pauses = new ArrayList<>();
    private ProduceTransactionVerification.Settings settings = SETTINGS;
    /** Each retry advances the clock by the backoff and runs at once. */
    private final Executor delay = task -> {
        pauses.add(settings.retryBackoffMs());
        time.sleep(settings.retryBackoffMs());
        task.run();
    };
    private ProduceTransactionVerification verification = new ProduceTransactionVerification(time, SETTINGS, delay);

    /** Answers the queued errors in turn (the last one forever) and records whether each call added. */
    private static class ScriptedVerifier implements TransactionVerifier {
        final Deque<Errors> answers = new ArrayDeque<>();
        final List<Boolean> adds = new ArrayList<>();

        ScriptedVerifier(Errors... errors) {
            answers.addAll(List.of(errors));
        }

        @Override
        public CompletableFuture<Errors> verify(String transactionalId, long producerId, short producerEpoch,
                TopicPartition partition, boolean addPartition) {
            adds.add(addPartition);
            return CompletableFuture.completedFuture(answers.size() > 1 ? answers.poll() : answers.peek());
        }
    }

    private ProduceTransactionVerification.Outcome verify(ScriptedVerifier verifier, int version) {
        return verification.verify(verifier, (short) version, "tx", 1, (short) 0, TP).join();
    }

    @Test
    void shouldAddThePartitionFromProduceV12AndOnlyVerifyBefore() {
        ScriptedVerifier verifier = new ScriptedVerifier(Errors.NONE);

        verify(verifier, 11);
        verify(verifier, 12);
        verify(verifier, 13);

        assertThat(verifier.adds).containsExactly(false, true, true);
    }

    @Test
    void shouldRetryConcurrentTransactionsUntilTheCoordinatorAnswersOtherwise() {
        ScriptedVerifier verifier = new ScriptedVerifier(Errors.CONCURRENT_TRANSACTIONS,
                Errors.CONCURRENT_TRANSACTIONS, Errors.NONE);

        assertThat(verify(verifier, 12).error()).isEqualTo(Errors.NONE);
        assertThat(verifier.adds).hasSize(3);
    }

    @Test
    void shouldAnswerConcurrentTransactionsToVersion2ProducersWhenRetriesRunOut() {
        ScriptedVerifier verifier = new ScriptedVerifier(Errors.CONCURRENT_TRANSACTIONS);

        assertThat(verify(verifier, 12).error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(verifier.adds).as("one call, then one per backoff within the maximum")
                .hasSize(1 + (int) (SETTINGS.retryBackoffMaxMs() / SETTINGS.retryBackoffMs()));
    }

    @Test
    void shouldAnswerNotEnoughReplicasForRetriableCoordinatorErrorsBeforeVersion2() {
        ScriptedVerifier verifier = new ScriptedVerifier(Errors.CONCURRENT_TRANSACTIONS);

        ProduceTransactionVerification.Outcome outcome = verify(verifier, 11);

        assertThat(outcome.error()).isEqualTo(Errors.NOT_ENOUGH_REPLICAS);
        assertThat(outcome.message()).contains("CONCURRENT_TRANSACTIONS");
        for (Errors error : List.of(Errors.COORDINATOR_NOT_AVAILABLE, Errors.COORDINATOR_LOAD_IN_PROGRESS,
                Errors.NOT_COORDINATOR, Errors.NETWORK_EXCEPTION)) {
            assertThat(ProduceTransactionVerification.map(error, (short) 12)).as(error.name())
                    .isEqualTo(Errors.NOT_ENOUGH_REPLICAS);
        }
    }

    @Test
    void shouldMapFencingAndAbortableErrorsAsKafka() {
        assertThat(ProduceTransactionVerification.map(Errors.PRODUCER_FENCED, (short) 12))
                .isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(ProduceTransactionVerification.map(Errors.CLUSTER_AUTHORIZATION_FAILED, (short) 12))
                .isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(ProduceTransactionVerification.map(Errors.TRANSACTION_ABORTABLE, (short) 10))
                .isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(ProduceTransactionVerification.map(Errors.TRANSACTION_ABORTABLE, (short) 11))
                .isEqualTo(Errors.TRANSACTION_ABORTABLE);
        assertThat(ProduceTransactionVerification.outcome(Errors.INVALID_TXN_STATE, (short) 12).message())
                .isEqualTo("Partition was not added to the transaction");
    }

    @Test
    void shouldRetryWithTheConfiguredBackoffUntilTheConfiguredMaximum() {
        settings = new ProduceTransactionVerification.Settings(true, 5, 30);
        verification = new ProduceTransactionVerification(time, settings, delay);
        ScriptedVerifier verifier = new ScriptedVerifier(Errors.CONCURRENT_TRANSACTIONS);

        assertThat(verify(verifier, 12).error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(verifier.adds).hasSize(1 + 30 / 5);
        assertThat(pauses).containsOnly(5L);
    }

    @Test
    void shouldAskAgainAsSoonAsTheCoordinatorSaysThePreviousTransactionCompletedWithoutWaitingForTheBackoff() {
        long start = time.milliseconds();
        List<Runnable> backoffs = new ArrayList<>();
        ProduceTransactionVerification waiting = new ProduceTransactionVerification(time, SETTINGS, backoffs::add);
        CompletableFuture<Void> completed = new CompletableFuture<>();
        ScriptedVerifier verifier = new ScriptedVerifier(Errors.CONCURRENT_TRANSACTIONS, Errors.NONE) {
            @Override
            public CompletableFuture<Void> whenNotCompleting(String transactionalId) {
                return completed;
            }
        };

        CompletableFuture<ProduceTransactionVerification.Outcome> outcome = waiting.verify(verifier, (short) 12,
                "tx", 1, (short) 0, TP);
        assertThat(outcome).isNotDone();
        assertThat(backoffs).hasSize(1);

        completed.complete(null);

        assertThat(outcome).isCompletedWithValueMatching(o -> o.error() == Errors.NONE);
        assertThat(verifier.adds).hasSize(2);
        assertThat(time.milliseconds()).as("no backoff elapsed").isEqualTo(start);
    }

    @Test
    void shouldNotRetryWhenTheMaximumIsZero() {
        settings = new ProduceTransactionVerification.Settings(true, 20, 0);
        verification = new ProduceTransactionVerification(time, settings, delay);
        ScriptedVerifier verifier = new ScriptedVerifier(Errors.CONCURRENT_TRANSACTIONS);

        assertThat(verify(verifier, 12).error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(verifier.adds).hasSize(1);
    }

    @Test
    void shouldStillAddForVersion2ProducersWhenVerificationIsDisabled() {
        ProduceTransactionVerification disabled = new ProduceTransactionVerification(time,
                new ProduceTransactionVerification.Settings(false, 20, 100), delay);

        assertThat(disabled.required((short) 11)).isFalse();
        assertThat(disabled.required((short) 12)).isTrue();
        assertThat(verification.required((short) 3)).isTrue();
    }

    @Test
    void shouldReadTheSettingsFromTheBrokerConfigWithKafkaDefaults() {
        assertThat(ProduceTransactionVerification.Settings.from(BrokerConfig.defaults()))
                .isEqualTo(SETTINGS);
        assertThat(ProduceTransactionVerification.Settings.from(BrokerConfig.parse(Map.of(
                "transaction.partition.verification.enable", "false",
                "add.partitions.to.txn.retry.backoff.ms", "7",
                "add.partitions.to.txn.retry.backoff.max.ms", "70"))))
                .isEqualTo(new ProduceTransactionVerification.Settings(false, 7, 70));
    }
}
