package io.brook.broker.txn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.TransactionResult;
import org.junit.jupiter.api.Test;

class TransactionShardTest {

    private static final String ID = "txn-1";
    private static final TopicPartition TP0 = new TopicPartition("orders", 0);
    private static final TopicPartition TP1 = new TopicPartition("orders", 1);

    private final TransactionShard shard = new TransactionShard(60_000);
    private final AtomicLong nextProducerId = new AtomicLong(1000);
    private long now = 10_000;

    /** Applies a decision's write, as the runtime does once appended. */
    private TransactionShard.Decision applied(TransactionShard.Decision decision) {
        if (decision.write() != null) {
            shard.replay(decision.write().transactionalId(), decision.write());
        }
        return decision;
    }

    private TransactionMetadata init() {
        TransactionShard.Decision d = applied(shard.initProducerId(ID, 30_000, -1, (short) -1, now,
                nextProducerId::getAndIncrement));
        assertThat(d.error()).isEqualTo(Errors.NONE);
        return d.write();
    }

    private TransactionMetadata current() {
        return shard.get(ID).orElseThrow();
    }

    private void completeMarkers() {
        TransactionMetadata m = current();
        shard.replay(ID, shard.complete(ID, m.producerId(), m.producerEpoch(), now).orElseThrow());
    }

    @Test
    void shouldGiveANewIdEpochZeroInEmptyState() {
        TransactionMetadata m = init();

        assertThat(m.producerId()).isEqualTo(1000);
        assertThat(m.producerEpoch()).isZero();
        assertThat(m.state()).isEqualTo(TransactionState.EMPTY);
        assertThat(m.timeoutMs()).isEqualTo(30_000);
    }

    @Test
    void shouldBumpTheEpochAndKeepTheProducerIdOnReinit() {
        init();
        TransactionMetadata again = applied(shard.initProducerId(ID, 30_000, -1, (short) -1, now,
                nextProducerId::getAndIncrement)).write();

        assertThat(again.producerId()).isEqualTo(1000);
        assertThat(again.producerEpoch()).isEqualTo((short) 1);
        assertThat(again.lastProducerEpoch()).isZero();
    }

    @Test
    void shouldRefuseATimeoutAboveTheMaximum() {
        assertThat(shard.initProducerId(ID, 60_001, -1, (short) -1, now, nextProducerId::getAndIncrement).error())
                .isEqualTo(Errors.INVALID_TRANSACTION_TIMEOUT);
        assertThat(shard.initProducerId(ID, 0, -1, (short) -1, now, nextProducerId::getAndIncrement).error())
                .isEqualTo(Errors.INVALID_TRANSACTION_TIMEOUT);
        assertThat(shard.get(ID)).isEmpty();
    }

    @Test
    void shouldAddPartitionsAndStartTheTransactionClock() {
        TransactionMetadata m = init();
        now += 5;
        TransactionShard.Decision d = applied(shard.addPartitions(ID, m.producerId(), m.producerEpoch(),
                Set.of(TP0), now));

        assertThat(d.error()).isEqualTo(Errors.NONE);
        assertThat(current().state()).isEqualTo(TransactionState.ONGOING);
        assertThat(current().partitions()).containsExactly(TP0);
        assertThat(current().startTimestamp()).isEqualTo(now);

        now += 5;
        applied(shard.addPartitions(ID, m.producerId(), m.producerEpoch(), Set.of(TP1), now));
        assertThat(current().partitions()).containsExactlyInAnyOrder(TP0, TP1);
        assertThat(current().startTimestamp()).isEqualTo(now - 5);
        assertThat(shard.addPartitions(ID, m.producerId(), m.producerEpoch(), Set.of(TP1), now).write())
                .as("already included: nothing to write").isNull();
    }

    @Test
    void shouldFenceAnOldEpochAndRejectAnUnknownProducerId() {
        TransactionMetadata m = init();
        applied(shard.initProducerId(ID, 30_000, -1, (short) -1, now, nextProducerId::getAndIncrement));

        assertThat(shard.addPartitions(ID, m.producerId(), m.producerEpoch(), Set.of(TP0), now).error())
                .isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(shard.addPartitions(ID, 42, (short) 1, Set.of(TP0), now).error())
                .isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
        assertThat(shard.addPartitions("unknown", 42, (short) 0, Set.of(TP0), now).error())
                .isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
        assertThat(shard.endTransaction(ID, m.producerId(), m.producerEpoch(), TransactionResult.COMMIT, now)
                .error()).isEqualTo(Errors.PRODUCER_FENCED);
    }

    @Test
    void shouldCommitThroughPrepareAndComplete() {
        TransactionMetadata m = init();
        applied(shard.addPartitions(ID, m.producerId(), m.producerEpoch(), Set.of(TP0, TP1), now));

        TransactionShard.Decision end = applied(shard.endTransaction(ID, m.producerId(), m.producerEpoch(),
                TransactionResult.COMMIT, now));
        assertThat(end.error()).isEqualTo(Errors.NONE);
        assertThat(current().state()).isEqualTo(TransactionState.PREPARE_COMMIT);
        assertThat(current().partitions()).containsExactlyInAnyOrder(TP0, TP1);
        assertThat(shard.preparing()).hasSize(1);

        // While markers are written: retries and new work wait, the opposite outcome is a client error.
        assertThat(shard.endTransaction(ID, m.producerId(), m.producerEpoch(), TransactionResult.COMMIT, now)
                .error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(shard.endTransaction(ID, m.producerId(), m.producerEpoch(), TransactionResult.ABORT, now)
                .error()).isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(shard.addPartitions(ID, m.producerId(), m.producerEpoch(), Set.of(TP0), now).error())
                .isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(shard.initProducerId(ID, 30_000, -1, (short) -1, now, nextProducerId::getAndIncrement).error())
                .isEqualTo(Errors.CONCURRENT_TRANSACTIONS);

        completeMarkers();
        assertThat(current().state()).isEqualTo(TransactionState.COMPLETE_COMMIT);
        assertThat(current().partitions()).isEmpty();
        assertThat(shard.endTransaction(ID, m.producerId(), m.producerEpoch(), TransactionResult.COMMIT, now)
                .error()).as("a retried commit").isEqualTo(Errors.NONE);
        assertThat(shard.endTransaction(ID, m.producerId(), m.producerEpoch(), TransactionResult.ABORT, now)
                .error()).isEqualTo(Errors.INVALID_TXN_STATE);
    }

    @Test
    void shouldRefuseEndTxnWithoutATransaction() {
        TransactionMetadata m = init();

        assertThat(shard.endTransaction(ID, m.producerId(), m.producerEpoch(), TransactionResult.COMMIT, now)
                .error()).isEqualTo(Errors.INVALID_TXN_STATE);
    }

    @Test
    void shouldAbortAnOngoingTransactionWithABumpedEpochWhenTheIdIsInitializedAgain() {
        TransactionMetadata m = init();
        applied(shard.addPartitions(ID, m.producerId(), m.producerEpoch(), Set.of(TP0), now));

        TransactionShard.Decision fence = applied(shard.initProducerId(ID, 30_000, -1, (short) -1, now,
                nextProducerId::getAndIncrement));

        assertThat(fence.error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(current().state()).isEqualTo(TransactionState.PREPARE_ABORT);
        assertThat(current().producerEpoch()).isEqualTo((short) 1);
        assertThat(shard.endTransaction(ID, m.producerId(), m.producerEpoch(), TransactionResult.ABORT, now)
                .error()).as("the zombie").isEqualTo(Errors.PRODUCER_FENCED);

        completeMarkers();
        TransactionMetadata fresh = applied(shard.initProducerId(ID, 30_000, -1, (short) -1, now,
                nextProducerId::getAndIncrement)).write();
        assertThat(fresh.producerEpoch()).isEqualTo((short) 2);
        assertThat(fresh.state()).isEqualTo(TransactionState.EMPTY);
    }

    @Test
    void shouldRotateTheProducerIdWhenTheEpochIsExhausted() {
        TransactionMetadata m = init();
        shard.replay(ID, m.withEpochs((short) (Short.MAX_VALUE - 1), (short) (Short.MAX_VALUE - 2)));

        TransactionMetadata rotated = applied(shard.initProducerId(ID, 30_000, 1000, (short) (Short.MAX_VALUE - 1),
                now, nextProducerId::getAndIncrement)).write();

        assertThat(rotated.producerId()).isEqualTo(1001);
        assertThat(rotated.previousProducerId()).isEqualTo(1000);
        assertThat(rotated.producerEpoch()).isZero();
        // The old producer retrying (its answer was lost) is recognised and gets the same id and epoch.
        TransactionShard.Decision retry = shard.initProducerId(ID, 30_000, 1000, (short) (Short.MAX_VALUE - 1), now,
                nextProducerId::getAndIncrement);
        assertThat(retry.error()).isEqualTo(Errors.NONE);
        assertThat(retry.write().producerId()).isEqualTo(1001);
        assertThat(retry.write().producerEpoch()).isZero();
    }

    @Test
    void shouldCheckTheExpectedProducerIdAndEpochOfKip360() {
        TransactionMetadata m = init();

        TransactionShard.Decision bump = applied(shard.initProducerId(ID, 30_000, m.producerId(), (short) 0, now,
                nextProducerId::getAndIncrement));
        assertThat(bump.write().producerEpoch()).isEqualTo((short) 1);
        // A retry of that bump (its answer was lost) gets the same epoch.
        TransactionShard.Decision retry = shard.initProducerId(ID, 30_000, m.producerId(), (short) 0, now,
                nextProducerId::getAndIncrement);
        assertThat(retry.error()).isEqualTo(Errors.NONE);
        assertThat(retry.write().producerEpoch()).isEqualTo((short) 1);
        assertThat(shard.initProducerId(ID, 30_000, 77, (short) 0, now, nextProducerId::getAndIncrement).error())
                .isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(shard.initProducerId(ID, 30_000, m.producerId(), (short) 5, now, nextProducerId::getAndIncrement)
                .error()).isEqualTo(Errors.PRODUCER_FENCED);
    }

    @Test
    void shouldVerifyOnlyPartitionsOfTheOngoingTransaction() {
        TransactionMetadata m = init();
        assertThat(shard.verify(ID, m.producerId(), m.producerEpoch(), TP0)).isEqualTo(Errors.INVALID_TXN_STATE);

        applied(shard.addPartitions(ID, m.producerId(), m.producerEpoch(), Set.of(TP0), now));

        assertThat(shard.verify(ID, m.producerId(), m.producerEpoch(), TP0)).isEqualTo(Errors.NONE);
        assertThat(shard.verify(ID, m.producerId(), m.producerEpoch(), TP1)).isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(shard.verify(ID, m.producerId(), (short) 7, TP0)).isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(shard.verify("other", m.producerId(), m.producerEpoch(), TP0))
                .isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
    }

    @Test
    void shouldAbortTransactionsOlderThanTheirTimeoutWithAnEpochBump() {
        TransactionMetadata m = init();
        applied(shard.addPartitions(ID, m.producerId(), m.producerEpoch(), Set.of(TP0), now));

        assertThat(shard.abortTimedOut(now + 30_000, nextProducerId::getAndIncrement)).isEmpty();
        assertThat(shard.abortTimedOut(now + 30_001, nextProducerId::getAndIncrement)).singleElement()
                .satisfies(abort -> {
                    assertThat(abort.state()).isEqualTo(TransactionState.PREPARE_ABORT);
                    assertThat(abort.producerEpoch()).isEqualTo((short) 1);
                    assertThat(abort.partitions()).containsExactly(TP0);
                });
    }

    @Test
    void shouldExpireOnlyIdleIdsAfterTheExpiration() {
        TransactionMetadata m = init();
        shard.replay("busy", TransactionMetadata.fresh("busy", 5, 30_000, now)
                .to(TransactionState.ONGOING, Set.of(TP0), now, now));

        assertThat(shard.expired(now + 999, 1000)).isEmpty();
        assertThat(shard.expired(now + 1000, 1000)).containsExactly(m.transactionalId());

        shard.replay(ID, null);
        assertThat(shard.get(ID)).isEmpty();
    }

    @Test
    void shouldKeepTheLastEpochOfANewIdUnset() {
        TransactionMetadata m = init();

        assertThat(m.lastProducerEpoch()).isEqualTo(RecordBatch.NO_PRODUCER_EPOCH);
        assertThat(m.previousProducerId()).isEqualTo(RecordBatch.NO_PRODUCER_ID);
    }

    @Test
    void shouldBumpTheEpochAtEveryEndTxnOfTransactionVersion2AndRecogniseRetries() {
        TransactionMetadata m = init();
        applied(shard.addPartitions(ID, m.producerId(), m.producerEpoch(), Set.of(TP0), now));

        TransactionShard.Decision commit = applied(shard.endTransactionV2(ID, m.producerId(), (short) 0,
                TransactionResult.COMMIT, now, nextProducerId::getAndIncrement));
        assertThat(commit.error()).isEqualTo(Errors.NONE);
        assertThat(current().state()).isEqualTo(TransactionState.PREPARE_COMMIT);
        assertThat(current().producerEpoch()).as("markers carry the bumped epoch").isEqualTo((short) 1);
        assertThat(current().isTransactionVersion2()).isTrue();
        assertThat(shard.endTransactionV2(ID, m.producerId(), (short) 0, TransactionResult.COMMIT, now,
                nextProducerId::getAndIncrement).error()).as("retry while completing")
                .isEqualTo(Errors.CONCURRENT_TRANSACTIONS);

        completeMarkers();
        assertThat(shard.endTransactionV2(ID, m.producerId(), (short) 0, TransactionResult.COMMIT, now,
                nextProducerId::getAndIncrement).error()).as("retry after completion").isEqualTo(Errors.NONE);
        assertThat(shard.endTransactionV2(ID, m.producerId(), (short) 1, TransactionResult.COMMIT, now,
                nextProducerId::getAndIncrement).error()).as("a commit without a transaction")
                .isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(shard.endTransactionV2(ID, m.producerId(), (short) 5, TransactionResult.COMMIT, now,
                nextProducerId::getAndIncrement).error()).isEqualTo(Errors.PRODUCER_FENCED);
        // The producer goes on with epoch 1.
        assertThat(shard.addPartitions(ID, m.producerId(), (short) 1, Set.of(TP1), now).error())
                .isEqualTo(Errors.NONE);
    }

    @Test
    void shouldAbortWithoutATransactionInTransactionVersion2() {
        TransactionMetadata m = init();

        TransactionShard.Decision abort = applied(shard.endTransactionV2(ID, m.producerId(), (short) 0,
                TransactionResult.ABORT, now, nextProducerId::getAndIncrement));

        assertThat(abort.error()).isEqualTo(Errors.NONE);
        assertThat(abort.write().state()).isEqualTo(TransactionState.PREPARE_ABORT);
        assertThat(abort.write().partitions()).isEmpty();
        assertThat(abort.write().producerEpoch()).isEqualTo((short) 1);
    }

    @Test
    void shouldMoveToTheNextProducerIdWhenAVersion2BumpExhaustsTheEpoch() {
        TransactionMetadata m = init();
        short last = (short) (Short.MAX_VALUE - 1);
        shard.replay(ID, m.withEpochs(last, (short) (last - 1)));
        applied(shard.addPartitions(ID, m.producerId(), last, Set.of(TP0), now));

        TransactionShard.Decision commit = applied(shard.endTransactionV2(ID, m.producerId(), last,
                TransactionResult.COMMIT, now, nextProducerId::getAndIncrement));
        assertThat(commit.write().nextProducerId()).isEqualTo(1001);
        completeMarkers();

        assertThat(current().producerId()).isEqualTo(1001);
        assertThat(current().producerEpoch()).isZero();
        assertThat(current().previousProducerId()).isEqualTo(1000);
        assertThat(shard.endTransactionV2(ID, 1000, last, TransactionResult.COMMIT, now,
                nextProducerId::getAndIncrement).error()).as("a retry from before the rotation").isEqualTo(Errors.NONE);
    }

    @Test
    void shouldKeepTheClientTransactionVersionOfTheAdd() {
        TransactionMetadata m = init();

        applied(shard.addPartitions(ID, m.producerId(), m.producerEpoch(), Set.of(TP0),
                TransactionMetadata.TRANSACTION_VERSION_2, now));
        assertThat(current().isTransactionVersion2()).as("added by a partition leader").isTrue();

        TransactionShard.Decision again = shard.addPartitions(ID, m.producerId(), m.producerEpoch(), Set.of(TP0),
                TransactionMetadata.TRANSACTION_VERSION_2, now);
        assertThat(again.write()).as("already in the transaction").isNull();
    }

    @Test
    void shouldBumpTheEpochTwiceWhenATransactionVersion2TransactionTimesOut() {
        TransactionMetadata m = init();
        applied(shard.addPartitions(ID, m.producerId(), m.producerEpoch(), Set.of(TP0),
                TransactionMetadata.TRANSACTION_VERSION_2, now));

        TransactionMetadata abort = shard.abortTimedOut(now + 30_001, nextProducerId::getAndIncrement).get(0);
        shard.replay(ID, abort);

        assertThat(abort.state()).isEqualTo(TransactionState.PREPARE_ABORT);
        assertThat(abort.producerEpoch()).as("fence, then the abort's bump").isEqualTo((short) 2);
        assertThat(abort.lastProducerEpoch()).isEqualTo((short) 1);
        completeMarkers();
        assertThat(shard.endTransactionV2(ID, m.producerId(), (short) 0, TransactionResult.ABORT, now,
                nextProducerId::getAndIncrement).error()).as("the fenced producer is not taken for a retry")
                .isEqualTo(Errors.PRODUCER_FENCED);
    }

    @Test
    void shouldBumpTheEpochTwiceWhenInitProducerIdFencesATransactionVersion2Transaction() {
        TransactionMetadata m = init();
        applied(shard.addPartitions(ID, m.producerId(), m.producerEpoch(), Set.of(TP0),
                TransactionMetadata.TRANSACTION_VERSION_2, now));

        TransactionShard.Decision fence = applied(shard.initProducerId(ID, 30_000, -1, (short) -1, now,
                nextProducerId::getAndIncrement));

        assertThat(fence.error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(fence.write().producerEpoch()).isEqualTo((short) 2);
        completeMarkers();
        TransactionShard.Decision retry = applied(shard.initProducerId(ID, 30_000, -1, (short) -1, now,
                nextProducerId::getAndIncrement));
        assertThat(retry.error()).isEqualTo(Errors.NONE);
        assertThat(retry.write().producerEpoch()).isEqualTo((short) 3);
    }

    @Test
    void shouldBumpTheEpochOnceWhenAVersion1TransactionIsFenced() {
        TransactionMetadata m = init();
        applied(shard.addPartitions(ID, m.producerId(), m.producerEpoch(), Set.of(TP0), now));

        TransactionShard.Decision fence = shard.initProducerId(ID, 30_000, -1, (short) -1, now,
                nextProducerId::getAndIncrement);

        assertThat(fence.write().producerEpoch()).isEqualTo((short) 1);
    }

    @Test
    void shouldKeepAPendingProducerIdRotationAcrossAReloadBetweenPrepareAndComplete() {
        TransactionMetadata m = init();
        short last = (short) (Short.MAX_VALUE - 1);
        shard.replay(ID, m.withEpochs(last, (short) (last - 1)));
        applied(shard.addPartitions(ID, m.producerId(), last, Set.of(TP0), now));
        TransactionMetadata prepared = applied(shard.endTransactionV2(ID, m.producerId(), last,
                TransactionResult.COMMIT, now, nextProducerId::getAndIncrement)).write();

        // A new coordinator loads the Prepare record from the log.
        TransactionShard reloaded = new TransactionShard(60_000);
        reloaded.replay(ID, TransactionRecordCodec.decodeValue(ID,
                java.nio.ByteBuffer.wrap(TransactionRecordCodec.value(prepared))));
        TransactionMetadata completed = reloaded.complete(ID, prepared.producerId(), prepared.producerEpoch(), now)
                .orElseThrow();

        assertThat(completed.producerId()).as("the rotation the client was promised").isEqualTo(1001);
        assertThat(completed.producerEpoch()).isZero();
        assertThat(completed.previousProducerId()).isEqualTo(1000);
        assertThat(completed.isTransactionVersion2()).isTrue();
    }
}
