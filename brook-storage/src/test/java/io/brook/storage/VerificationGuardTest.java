package io.brook.storage;

import static io.brook.storage.TransactionalLogTest.marker;
import static io.brook.storage.TransactionalLogTest.txn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verification guard between a producer's transaction verification and the append of its first batch. */
class VerificationGuardTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final long PID = 7L;
    private static final short EPOCH = 2;

    @TempDir
    Path dir;

    private LogFixture fixture;
    private DefaultPartitionLog log;

    @BeforeEach
    void setUp() {
        fixture = new LogFixture(dir, LogConfig.defaults());
        log = fixture.log(TP);
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void shouldAppendTheFirstBatchOfATransactionWithTheGuardOfItsVerification() {
        VerificationGuard guard = log.maybeStartTransactionVerification(PID, EPOCH, false);

        log.appendAsLeader(txn(PID, EPOCH, 0, "a"), 0, guard);

        assertThat(log.hasOngoingTransaction(PID, EPOCH)).isTrue();
        assertThat(log.maybeStartTransactionVerification(PID, EPOCH, false)).isSameAs(VerificationGuard.SENTINEL);
    }

    @Test
    void shouldRefuseTheVerifiedBatchWhenAnAbortMarkerLandedBetweenVerificationAndAppend() {
        log.appendAsLeader(txn(PID, EPOCH, 0, "a"), 0);
        // The producer's next batch finds its transaction open, so it needs no verification...
        VerificationGuard sentinel = log.maybeStartTransactionVerification(PID, EPOCH, false);
        // ...but the transaction is aborted (a version 1 abort keeps the epoch) before the batch is appended.
        log.appendAsLeader(marker(PID, EPOCH, 0, false), 0);

        assertThatThrownBy(() -> log.appendAsLeader(txn(PID, EPOCH, 1, "b"), 0, sentinel))
                .isInstanceOf(InvalidTxnStateException.class);
        assertThat(log.hasOngoingTransaction(PID, EPOCH)).isFalse();
        assertThat(log.logEndOffset()).isEqualTo(2);
        assertThat(log.lastStableOffset()).isEqualTo(2);
    }

    @Test
    void shouldRefuseABatchWhoseVerificationAMarkerEnded() {
        log.appendAsLeader(txn(PID, EPOCH, 0, "a"), 0);
        log.appendAsLeader(marker(PID, EPOCH, 0, true), 0);
        // Verification of the next transaction starts...
        VerificationGuard guard = log.maybeStartTransactionVerification(PID, EPOCH, false);
        assertThat(guard).isNotSameAs(VerificationGuard.SENTINEL);
        // ...and a marker of the producer lands before the verified append (an abort of what was verified).
        log.appendAsLeader(marker(PID, EPOCH, 0, false), 0);

        assertThatThrownBy(() -> log.appendAsLeader(txn(PID, EPOCH, 1, "b"), 0, guard))
                .isInstanceOf(InvalidTxnStateException.class);
        assertThat(log.hasOngoingTransaction(PID, EPOCH)).isFalse();
    }

    @Test
    void shouldRefuseAGuardThatIsNotTheProducersCurrentOne() {
        VerificationGuard first = log.maybeStartTransactionVerification(PID, EPOCH, false);
        log.appendAsLeader(txn(PID, EPOCH, 0, "a"), 0, first);
        log.appendAsLeader(marker(PID, EPOCH, 0, true), 0);
        log.maybeStartTransactionVerification(PID, EPOCH, false);

        assertThatThrownBy(() -> log.appendAsLeader(txn(PID, EPOCH, 1, "b"), 0, first))
                .isInstanceOf(InvalidTxnStateException.class);
        assertThatThrownBy(() -> log.appendAsLeader(txn(PID, EPOCH, 1, "b"), 0, VerificationGuard.SENTINEL))
                .isInstanceOf(InvalidTxnStateException.class);
    }

    @Test
    void shouldKeepAVersion2VerificationWhenThePreviousTransactionsMarkerLandsAtItsEpoch() {
        short next = EPOCH + 1;
        log.appendAsLeader(txn(PID, EPOCH, 0, "a"), 0);
        // Transaction version 2: the next transaction's first batch (bumped epoch) is verified while the previous
        // one completes; its marker carries the bumped epoch.
        VerificationGuard guard = log.maybeStartTransactionVerification(PID, next, true);
        log.appendAsLeader(marker(PID, next, 0, true), 0);

        log.appendAsLeader(txn(PID, next, 0, "b"), 0, guard);

        assertThat(log.hasOngoingTransaction(PID, next)).isTrue();
    }

    @Test
    void shouldEndAVersion2VerificationWithAMarkerAtAnotherEpoch() {
        short next = EPOCH + 1;
        log.appendAsLeader(txn(PID, EPOCH, 0, "a"), 0);
        VerificationGuard guard = log.maybeStartTransactionVerification(PID, next, true);
        // A fence or timeout abort bumps past the verified epoch.
        log.appendAsLeader(marker(PID, (short) (next + 1), 0, false), 0);

        assertThatThrownBy(() -> log.appendAsLeader(txn(PID, (short) (next + 1), 0, "b"), 0, guard))
                .isInstanceOf(InvalidTxnStateException.class);
    }

    @Test
    void shouldHandOutTheSameGuardToVerificationsStartedBeforeAnAppend() {
        VerificationGuard first = log.maybeStartTransactionVerification(PID, EPOCH, false);

        assertThat(log.maybeStartTransactionVerification(PID, EPOCH, false)).isSameAs(first);
    }

    @Test
    void shouldNotCheckAppendsMadeWithoutAGuard() {
        log.appendAsLeader(txn(PID, EPOCH, 0, "a"), 0);

        assertThat(log.hasOngoingTransaction(PID, EPOCH)).isTrue();
    }

    @Test
    void shouldNotNeedAGuardForAProducersLaterBatchesOfAnOpenTransaction() {
        VerificationGuard guard = log.maybeStartTransactionVerification(PID, EPOCH, false);
        log.appendAsLeader(txn(PID, EPOCH, 0, "a"), 0, guard);

        log.appendAsLeader(txn(PID, EPOCH, 1, "b"), 0, VerificationGuard.SENTINEL);

        assertThat(log.logEndOffset()).isEqualTo(2);
    }
}
