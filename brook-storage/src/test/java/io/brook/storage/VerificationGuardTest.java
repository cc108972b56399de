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
        VerificationGuard guard = log.maybeStartTransactionVerification(PID, EPOCH);

        log.appendAsLeader(txn(PID, EPOCH, 0, "a"), 0, guard);

        assertThat(log.hasOngoingTransaction(PID, EPOCH)).isTrue();
        assertThat(log.maybeStartTransactionVerification(PID, EPOCH)).isSameAs(VerificationGuard.SENTINEL);
    }

    @Test
    void shouldRefuseTheVerifiedBatchWhenAnAbortMarkerLandedBetweenVerificationAndAppend() {
        log.appendAsLeader(txn(PID, EPOCH, 0, "a"), 0);
        // The producer's next batch finds its transaction open, so it needs no verification...
        VerificationGuard sentinel = log.maybeStartTransactionVerification(PID, EPOCH);
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
        VerificationGuard guard = log.maybeStartTransactionVerification(PID, EPOCH);
        assertThat(guard).isNotSameAs(VerificationGuard.SENTINEL);
        // ...and a marker of the producer lands before the verified append (an abort of what was verified).
        log.appendAsLeader(marker(PID, EPOCH, 0, false), 0);

        assertThatThrownBy(() -> log.appendAsLeader(txn(PID, EPOCH, 1, "b"), 0, guard))
                .isInstanceOf(InvalidTxnStateException.class);
        assertThat(log.hasOngoingTransaction(PID, EPOCH)).isFalse();
    }

    @Test
    void shouldRefuseAGuardThatIsNotTheProducersCurrentOne() {
        VerificationGuard first = log.maybeStartTransactionVerification(PID, EPOCH);
        log.appendAsLeader(txn(PID, EPOCH, 0, "a"), 0, first);
        log.appendAsLeader(marker(PID, EPOCH, 0, true), 0);
        log.maybeStartTransactionVerification(PID, EPOCH);

        assertThatThrownBy(() -> log.appendAsLeader(txn(PID, EPOCH, 1, "b"), 0, first))
                .isInstanceOf(InvalidTxnStateException.class);
        assertThatThrownBy(() -> log.appendAsLeader(txn(PID, EPOCH, 1, "b"), 0, VerificationGuard.SENTINEL))
                .isInstanceOf(InvalidTxnStateException.class);
    }

    @Test
    void shouldHandOutTheSameGuardToVerificationsStartedBeforeAnAppend() {
        VerificationGuard first = log.maybeStartTransactionVerification(PID, EPOCH);

        assertThat(log.maybeStartTransactionVerification(PID, EPOCH)).isSameAs(first);
    }

    @Test
    void shouldNotCheckAppendsMadeWithoutAGuard() {
        log.appendAsLeader(txn(PID, EPOCH, 0, "a"), 0);

        assertThat(log.hasOngoingTransaction(PID, EPOCH)).isTrue();
    }

    @Test
    void shouldNotNeedAGuardForAProducersLaterBatchesOfAnOpenTransaction() {
        VerificationGuard guard = log.maybeStartTransactionVerification(PID, EPOCH);
        log.appendAsLeader(txn(PID, EPOCH, 0, "a"), 0, guard);

        log.appendAsLeader(txn(PID, EPOCH, 1, "b"), 0, VerificationGuard.SENTINEL);

        assertThat(log.logEndOffset()).isEqualTo(2);
    }
}
