package io.brook.storage;

import static io.brook.storage.TestRecords.batch;
import static io.brook.storage.TestRecords.offsets;
import static io.brook.storage.TestRecords.simple;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.TransactionCoordinatorFencedException;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transactions in a partition log: producer state, last stable offset, aborted-transaction index. */
class TransactionalLogTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final long PID = 7L;
    private static final long OTHER_PID = 8L;
    private static final short EPOCH = 2;

    @TempDir
    Path dir;

    private LogFixture fixture;

    private DefaultPartitionLog open(LogConfig config) {
        fixture = new LogFixture(dir, config);
        return fixture.log(TP);
    }

    @AfterEach
    void tearDown() {
        if (fixture != null) {
            fixture.close();
        }
    }

    static MemoryRecords txn(long producerId, short epoch, int sequence, String... values) {
        return MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, epoch, sequence,
                simple(1000L, values));
    }

    static MemoryRecords marker(long producerId, short epoch, int coordinatorEpoch, boolean commit) {
        return MemoryRecords.withEndTransactionMarker(0L, 1000L, 0, producerId, epoch, new EndTransactionMarker(
                commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT, coordinatorEpoch));
    }

    private static File txnIndexFile(DefaultPartitionLog log, long base) {
        return TransactionIndex.file(log.dir(), base);
    }

    @Test
    void shouldHoldTheLastStableOffsetAtAnOpenTransactionUntilItsMarker() {
        DefaultPartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(batch(1000L, "a"), 0);
        log.appendAsLeader(txn(PID, EPOCH, 0, "b", "c"), 0);
        log.appendAsLeader(batch(1000L, "d"), 0);

        assertThat(log.highWatermark()).isEqualTo(4);
        assertThat(log.lastStableOffset()).isEqualTo(1);
        LogReadResult committed = log.read(0, 10_000, true, FetchIsolation.TXN_COMMITTED);
        assertThat(offsets(committed.records())).containsExactly(0L);
        assertThat(committed.lastStableOffset()).isEqualTo(1);
        assertThat(offsets(log.read(0, 10_000, true, FetchIsolation.HIGH_WATERMARK).records()))
                .containsExactly(0L, 1L, 2L, 3L);

        log.appendAsLeader(marker(PID, EPOCH, 0, true), 0);

        assertThat(log.lastStableOffset()).isEqualTo(5);
        assertThat(offsets(log.read(0, 10_000, true, FetchIsolation.TXN_COMMITTED).records()))
                .containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(log.abortedTransactions(0, 5)).isEmpty();
        assertThat(txnIndexFile(log, 0)).doesNotExist();
    }

    @Test
    void shouldIndexAnAbortedTransactionAndListItForReadsOverlappingIt() throws Exception {
        DefaultPartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(txn(PID, EPOCH, 0, "a", "b"), 0);
        log.appendAsLeader(txn(OTHER_PID, EPOCH, 0, "x"), 0);
        log.appendAsLeader(marker(PID, EPOCH, 0, false), 0);

        assertThat(log.lastStableOffset()).isEqualTo(2);
        assertThat(log.abortedTransactions(0, 4)).containsExactly(new AbortedTxn(PID, 0, 3, 2));
        assertThat(log.abortedTransactions(4, 10)).isEmpty();
        assertThat(Files.size(txnIndexFile(log, 0).toPath())).isEqualTo(TransactionIndex.ENTRY_SIZE);

        log.appendAsLeader(marker(OTHER_PID, EPOCH, 0, true), 0);
        assertThat(log.lastStableOffset()).isEqualTo(5);
    }

    @Test
    void shouldRefuseANonTransactionalWriteWhileTheProducersTransactionIsOpen() {
        DefaultPartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(txn(PID, EPOCH, 0, "a"), 0);

        assertThatThrownBy(() -> log.appendAsLeader(
                MemoryRecords.withIdempotentRecords(Compression.NONE, PID, EPOCH, 1, simple(1000L, "b")), 0))
                .isInstanceOf(InvalidTxnStateException.class);
        assertThat(log.logEndOffset()).isEqualTo(1);
    }

    @Test
    void shouldFenceMarkersWithAnOlderProducerEpochOrCoordinatorEpoch() {
        DefaultPartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(txn(PID, EPOCH, 0, "a"), 0);
        log.appendAsLeader(marker(PID, EPOCH, 5, true), 0);
        log.appendAsLeader(txn(PID, EPOCH, 1, "b"), 0);

        assertThatThrownBy(() -> log.appendAsLeader(marker(PID, (short) (EPOCH - 1), 5, false), 0))
                .isInstanceOf(InvalidProducerEpochException.class);
        assertThatThrownBy(() -> log.appendAsLeader(marker(PID, EPOCH, 4, false), 0))
                .isInstanceOf(TransactionCoordinatorFencedException.class);
        assertThat(log.lastStableOffset()).isEqualTo(2);

        log.appendAsLeader(marker(PID, EPOCH, 6, false), 0);
        assertThat(log.lastStableOffset()).isEqualTo(4);
    }

    @Test
    void shouldKeepTheLastStableOffsetBelowTheHighWatermarkUntilItPassesTheMarker() {
        DefaultPartitionLog log = open(LogConfig.defaults());
        log.setHighWatermarkMode(HighWatermarkMode.REPLICATED);
        log.appendAsLeader(batch(1000L, "a"), 0);
        log.appendAsLeader(txn(PID, EPOCH, 0, "b"), 0);
        log.appendAsLeader(marker(PID, EPOCH, 0, true), 0);
        assertThat(log.lastStableOffset()).isZero();

        log.updateHighWatermark(2);
        assertThat(log.lastStableOffset()).isEqualTo(1);

        log.updateHighWatermark(3);
        assertThat(log.lastStableOffset()).isEqualTo(3);
        assertThat(offsets(log.read(0, 10_000, true, FetchIsolation.TXN_COMMITTED).records()))
                .containsExactly(0L, 1L, 2L);
    }

    @Test
    void shouldKeepAnOpenTransactionAcrossACleanRestart() {
        DefaultPartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(batch(1000L, "a"), 0);
        log.appendAsLeader(txn(PID, EPOCH, 0, "b"), 0);

        fixture.reopen();
        DefaultPartitionLog reopened = fixture.log(TP);

        assertThat(reopened.lastStableOffset()).isEqualTo(1);
        reopened.appendAsLeader(txn(PID, EPOCH, 1, "c"), 0);
        reopened.appendAsLeader(marker(PID, EPOCH, 0, false), 0);
        assertThat(reopened.abortedTransactions(0, 10)).containsExactly(new AbortedTxn(PID, 1, 3, 4));
    }

    @Test
    void shouldRebuildOpenTransactionsAndTheTransactionIndexAfterACrash() {
        DefaultPartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(txn(PID, EPOCH, 0, "a"), 0);
        log.appendAsLeader(marker(PID, EPOCH, 0, false), 0);
        log.appendAsLeader(txn(OTHER_PID, EPOCH, 0, "b"), 0);
        fixture.flushAll();

        fixture.crashAndReopen();
        DefaultPartitionLog reopened = fixture.log(TP);

        assertThat(reopened.lastStableOffset()).isEqualTo(2);
        assertThat(reopened.abortedTransactions(0, 10)).containsExactly(new AbortedTxn(PID, 0, 1, 2));
        assertThat(reopened.segmentsForTest().first().txnIndex().entries()).hasSize(1);
    }

    @Test
    void shouldMirrorTransactionsOnAFollower() {
        DefaultPartitionLog leader = open(LogConfig.defaults());
        leader.appendAsLeader(txn(PID, EPOCH, 0, "a"), 3);
        leader.appendAsLeader(marker(PID, EPOCH, 0, false), 3);
        leader.appendAsLeader(txn(OTHER_PID, EPOCH, 0, "b"), 3);
        DefaultPartitionLog follower = fixture.log(new TopicPartition("t", 1));

        follower.appendAsFollower(LogFixture.fetchAll(leader, 0));

        assertThat(follower.lastStableOffset()).isEqualTo(2);
        assertThat(follower.abortedTransactions(0, 10)).containsExactly(new AbortedTxn(PID, 0, 1, 2));
    }

    @Test
    void shouldReopenATransactionWhenTruncationRemovesItsMarker() {
        DefaultPartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(txn(PID, EPOCH, 0, "a", "b"), 0);
        log.appendAsLeader(marker(PID, EPOCH, 0, false), 0);
        assertThat(log.lastStableOffset()).isEqualTo(3);

        log.truncateTo(2);

        assertThat(log.lastStableOffset()).isZero();
        assertThat(log.abortedTransactions(0, 10)).isEmpty();
        assertThat(log.segmentsForTest().first().txnIndex().entries()).isEmpty();
    }

    @Test
    void shouldDeleteTheTransactionIndexWithItsSegment() {
        DefaultPartitionLog log = open(LogFixture.smallSegments(300).withRetention(-1, -1, true));
        log.appendAsLeader(txn(PID, EPOCH, 0, "a"), 0);
        log.appendAsLeader(marker(PID, EPOCH, 0, false), 0);
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(batch(1000L, TestRecords.payload(100)), 0);
        }
        assertThat(log.numberOfSegments()).isGreaterThan(1);
        assertThat(txnIndexFile(log, 0)).exists();

        log.maybeIncrementLogStartOffset(log.highWatermark());
        log.deleteOldSegments();

        assertThat(txnIndexFile(log, 0)).doesNotExist();
        assertThat(log.abortedTransactions(log.logStartOffset(), log.logEndOffset())).isEmpty();
    }
}
