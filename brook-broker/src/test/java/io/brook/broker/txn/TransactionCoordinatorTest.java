package io.brook.broker.txn;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.TransactionResult;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.brook.broker.testing.FakeLogManager;
import io.brook.broker.testing.InMemoryMetadataStore;
import io.brook.broker.testing.ManualTime;
import io.brook.broker.testing.TestPartitionWriter;
import io.brook.storage.LogConfig;

/** The coordinator runtime over a fake log, a test writer (commits by hand) and a fake marker sender. */
class TransactionCoordinatorTest {

    private static final String ID = "tx";
    private static final TopicPartition DATA = new TopicPartition("orders", 0);
    private static final TransactionConfig CONFIG = new TransactionConfig(1, (short) 1, 1, 1 << 20, 60_000,
            10_000, 100_000, 3_600_000, 5000);

    /** Records each job; the test completes its future. */
    private static final class FakeMarkerSender implements TransactionMarkerSender {
        final List<MarkerJob> jobs = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<Boolean>> futures = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<Boolean> send(MarkerJob job) {
            CompletableFuture<Boolean> f = new CompletableFuture<>();
            jobs.add(job);
            futures.add(f);
            return f;
        }

        @Override
        public void close() {
        }
    }

    private final InMemoryMetadataStore metadata = new InMemoryMetadataStore();
    private final FakeLogManager logs = new FakeLogManager();
    private final TestPartitionWriter writer = new TestPartitionWriter(logs);
    private final ManualTime time = new ManualTime();
    private final AtomicLong producerIds = new AtomicLong(500);
    private FakeMarkerSender markers = new FakeMarkerSender();
    private TransactionCoordinator coordinator;

    private void stateTopic() {
        metadata.createTopic(Topic.TRANSACTION_STATE_TOPIC_NAME, 1, (short) 1, Map.of());
        logs.getOrCreate(new TopicPartition(Topic.TRANSACTION_STATE_TOPIC_NAME, 0), LogConfig.defaults());
        // Every write is fsynced at once; commits are held by the writer where a test needs it.
        logs.log(new TopicPartition(Topic.TRANSACTION_STATE_TOPIC_NAME, 0)).makeDurableUpTo(Long.MAX_VALUE);
    }

    private TransactionCoordinator start() {
        coordinator = new TransactionCoordinator(metadata, 1, logs, writer, producerIds::getAndIncrement, markers,
                CONFIG, time);
        coordinator.start();
        return coordinator;
    }

    @AfterEach
    void close() {
        if (coordinator != null) {
            coordinator.close();
        }
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    private TransactionMetadata describe() throws Exception {
        return get(coordinator.describe(ID)).getValue().orElseThrow();
    }

    private TransactionCoordinator.InitResult beginWithData() throws Exception {
        TransactionCoordinator.InitResult init = get(coordinator.initProducerId(ID, 30_000, -1, (short) -1));
        assertThat(init.error()).isEqualTo(Errors.NONE);
        assertThat(get(coordinator.addPartitions(ID, init.producerId(), init.producerEpoch(), Set.of(DATA))))
                .isEqualTo(Errors.NONE);
        return init;
    }

    @Test
    void shouldAnswerCoordinatorNotAvailableUntilTheStateTopicExists() throws Exception {
        start();

        assertThat(get(coordinator.initProducerId(ID, 30_000, -1, (short) -1)).error())
                .isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(get(coordinator.initProducerId("", 30_000, -1, (short) -1)).error())
                .isEqualTo(Errors.INVALID_REQUEST);
    }

    @Test
    void shouldCreateTheStateTopicOnTheFirstLookup() throws Exception {
        start();

        get(coordinator.ensureCoordinator());

        assertThat(metadata.image().topic(Topic.TRANSACTION_STATE_TOPIC_NAME)).hasValueSatisfying(t -> {
            assertThat(t.partitionCount()).isEqualTo(1);
            assertThat(t.configs()).containsEntry("cleanup.policy", "compact");
        });
    }

    @Test
    void shouldWriteMarkersAfterThePrepareIsCommittedAndCompleteAfterThem() throws Exception {
        stateTopic();
        start();
        TransactionCoordinator.InitResult init = beginWithData();

        assertThat(get(coordinator.endTransaction(ID, init.producerId(), init.producerEpoch(),
                TransactionResult.COMMIT))).isEqualTo(Errors.NONE);

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> markers.jobs.size() == 1);
        TransactionMarkerSender.MarkerJob job = markers.jobs.get(0);
        assertThat(job.result()).isEqualTo(TransactionResult.COMMIT);
        assertThat(job.partitions()).containsExactly(DATA);
        assertThat(job.producerId()).isEqualTo(init.producerId());
        assertThat(describe().state()).isEqualTo(TransactionState.PREPARE_COMMIT);

        markers.futures.get(0).complete(true);
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> describe().state() == TransactionState.COMPLETE_COMMIT);
        assertThat(describe().partitions()).isEmpty();
    }

    @Test
    void shouldWakeWhoWaitsForATransactionToLeaveItsPrepareStateOnceItsMarkersAreWritten() throws Exception {
        stateTopic();
        start();
        TransactionCoordinator.InitResult init = beginWithData();
        assertThat(coordinator.whenNotCompleting(ID).get(10, TimeUnit.SECONDS)).as("ongoing: at once").isNull();
        assertThat(get(coordinator.endTransaction(ID, init.producerId(), init.producerEpoch(),
                TransactionResult.COMMIT))).isEqualTo(Errors.NONE);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> markers.jobs.size() == 1);

        CompletableFuture<Void> woken = coordinator.whenNotCompleting(ID);
        // The waiter is registered on the owner thread: a later request on it sees the same Prepare state.
        assertThat(describe().state()).isEqualTo(TransactionState.PREPARE_COMMIT);
        assertThat(woken).isNotDone();

        markers.futures.get(0).complete(true);

        assertThat(woken.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(describe().state()).isEqualTo(TransactionState.COMPLETE_COMMIT);
    }

    @Test
    void shouldAnswerOnlyOnceTheWriteIsCommitted() throws Exception {
        stateTopic();
        start();
        writer.holdCommits();

        CompletableFuture<TransactionCoordinator.InitResult> init = coordinator.initProducerId(ID, 30_000, -1,
                (short) -1);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> writer.heldCount() == 1);
        assertThat(init).isNotDone();

        writer.releaseCommits();
        assertThat(get(init).producerId()).isEqualTo(500);
    }

    @Test
    void shouldAnswerARetriableErrorAndChangeNothingWhenTheAppendIsRefused() throws Exception {
        stateTopic();
        start();
        TransactionCoordinator.InitResult init = beginWithData();
        writer.refuseAppendsWith(new NotEnoughReplicasException("isr"));

        assertThat(get(coordinator.endTransaction(ID, init.producerId(), init.producerEpoch(),
                TransactionResult.ABORT))).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(describe().state()).isEqualTo(TransactionState.ONGOING);
        assertThat(markers.jobs).isEmpty();
    }

    @Test
    void shouldResumeTheMarkersOfAPreparedTransactionWhenThePartitionLoadsAgain() throws Exception {
        stateTopic();
        start();
        TransactionCoordinator.InitResult init = beginWithData();
        get(coordinator.endTransaction(ID, init.producerId(), init.producerEpoch(), TransactionResult.ABORT));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> markers.jobs.size() == 1);
        coordinator.close();

        markers = new FakeMarkerSender();
        start();

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> markers.jobs.size() == 1);
        assertThat(markers.jobs.get(0).result()).isEqualTo(TransactionResult.ABORT);
        assertThat(describe().state()).isEqualTo(TransactionState.PREPARE_ABORT);
        assertThat(describe().partitions()).containsExactly(DATA);
        markers.futures.get(0).complete(true);
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> describe().state() == TransactionState.COMPLETE_ABORT);
    }

    @Test
    void shouldAbortATimedOutTransactionWithABumpedEpoch() throws Exception {
        stateTopic();
        start();
        TransactionCoordinator.InitResult init = beginWithData();

        time.sleep(30_001);
        get(coordinator.checkTimeouts());

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> markers.jobs.size() == 1);
        assertThat(markers.jobs.get(0).result()).isEqualTo(TransactionResult.ABORT);
        assertThat(markers.jobs.get(0).producerEpoch()).isEqualTo((short) (init.producerEpoch() + 1));
        assertThat(get(coordinator.endTransaction(ID, init.producerId(), init.producerEpoch(),
                TransactionResult.COMMIT))).as("the timed-out producer is fenced").isEqualTo(Errors.PRODUCER_FENCED);
    }

    @Test
    void shouldRemoveAnIdleIdAfterItsExpirationAndForgetItAcrossALoad() throws Exception {
        stateTopic();
        start();
        get(coordinator.initProducerId(ID, 30_000, -1, (short) -1));

        time.sleep(CONFIG.idExpirationMs());
        get(coordinator.checkTimeouts());

        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> get(coordinator.describe(ID)).getKey() == Errors.TRANSACTIONAL_ID_NOT_FOUND);
        coordinator.close();
        start();
        // The partition loads in its own task: COORDINATOR_LOAD_IN_PROGRESS until then.
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> get(coordinator.describe(ID)).getKey() != Errors.COORDINATOR_LOAD_IN_PROGRESS);
        assertThat(get(coordinator.describe(ID)).getKey()).isEqualTo(Errors.TRANSACTIONAL_ID_NOT_FOUND);
    }

    @Test
    void shouldListTheTransactionsOfLoadedPartitions() throws Exception {
        stateTopic();
        start();
        beginWithData();

        TransactionCoordinator.Listing listing = get(coordinator.list());

        assertThat(listing.error()).isEqualTo(Errors.NONE);
        assertThat(listing.transactions()).extracting(TransactionMetadata::transactionalId).containsExactly(ID);
    }
}
