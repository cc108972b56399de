package io.brook.broker.handlers.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.TransactionResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.broker.group.GroupConfig;
import io.brook.broker.group.GroupRecord.CommittedOffset;
import io.brook.broker.group.GroupRecord.OffsetCommit;
import io.brook.broker.group.GroupRecordCodec;
import io.brook.broker.testing.FakeLogManager;
import io.brook.broker.testing.InMemoryMetadataStore;
import io.brook.broker.testing.ManualTime;
import io.brook.broker.testing.TestPartitionWriter;
import io.brook.storage.LogConfig;

/**
 * The markers of {@code __consumer_offsets} written through the group coordinator: the errors WriteTxnMarkers gets,
 * waiting for the commit, the transactional batches the coordinator writes for TxnOffsetCommit, and transactional
 * batches and markers found in the log at load.
 */
@Timeout(30)
class GroupTransactionMarkerWriterTest {

    private static final String OFFSETS = Topic.GROUP_METADATA_TOPIC_NAME;
    private static final String GROUP = "g";
    private static final long PID = 77;
    private static final TopicPartition ORDERS = new TopicPartition("orders", 0);
    private static final GroupConfig CONFIG = new GroupConfig(10, 1_800_000, 0, Integer.MAX_VALUE,
            7L * 24 * 60 * 60 * 1000, 600_000, 4096);

    private final InMemoryMetadataStore metadata = new InMemoryMetadataStore();
    private final FakeLogManager logs = new FakeLogManager();
    private final ManualTime time = new ManualTime();
    private final TestPartitionWriter writer = new TestPartitionWriter(logs);
    private GroupCoordinator coordinator;
    private GroupTransactionMarkerWriter markers;

    @AfterEach
    void close() {
        if (coordinator != null) {
            coordinator.close();
        }
    }

    @Test
    void shouldHandleOnlyTheOffsetsTopic() {
        start(false);
        assertThat(markers.handles(new TopicPartition(OFFSETS, 0))).isTrue();
        assertThat(markers.handles(ORDERS)).isFalse();
    }

    @Test
    void shouldAnswerUnknownTopicOrPartitionWithoutTheOffsetsTopicOrBeyondItsPartitions() {
        start(false);
        assertThat(marker(0, TransactionResult.COMMIT)).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        offsetsTopic();
        assertThat(marker(5, TransactionResult.COMMIT)).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    }

    @Test
    void shouldAnswerTheRetriableErrorsOfARefusedAppendAndOfAClosedCoordinator() {
        start(true);
        writer.refuseAppendsWith(new NotEnoughReplicasException("isr"));
        assertThat(marker(0, TransactionResult.COMMIT)).isEqualTo(Errors.NOT_ENOUGH_REPLICAS);
        writer.refuseAppendsWith(new NotLeaderOrFollowerException("moved"));
        assertThat(marker(0, TransactionResult.COMMIT)).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
        writer.refuseAppendsWith(null);
        coordinator.close();
        assertThat(marker(0, TransactionResult.COMMIT)).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
    }

    @Test
    void shouldCommitThePendingOffsetsOnceTheMarkerIsCommitted() {
        start(true);
        assertThat(txnCommit(42).topics().get(0).partitions().get(0).errorCode()).isZero();
        assertThat(fetch(true).errorCode()).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT.code());
        RecordBatch written = logs.log(new TopicPartition(OFFSETS, 0)).read(0, 1 << 20, true).records().batches()
                .iterator().next();
        assertThat(written.isTransactional()).isTrue();
        assertThat(written.producerId()).isEqualTo(PID);

        writer.holdCommits();
        CompletableFuture<Errors> marker = markers.writeMarker(new TopicPartition(OFFSETS, 0), PID, (short) 0, 3,
                TransactionResult.COMMIT);
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.heldCount() == 1);
        assertThat(marker).isNotDone();
        writer.releaseCommits();

        assertThat(get(marker)).isEqualTo(Errors.NONE);
        assertThat(fetch(true).committedOffset()).isEqualTo(42);
        // the next transactional batch continues the producer's sequence
        txnCommit(43);
        long lastBase = -1;
        for (RecordBatch batch : logs.log(new TopicPartition(OFFSETS, 0)).read(0, 1 << 20, true).records()
                .batches()) {
            if (!batch.isControlBatch()) {
                lastBase = batch.baseSequence();
            }
        }
        assertThat(lastBase).isEqualTo(1);
    }

    @Test
    void shouldApplyTransactionalBatchesAndMarkersFoundInTheLogAtLoad() {
        offsetsTopic();
        appendTransactional(PID, 10);
        appendMarker(PID, ControlRecordType.COMMIT);
        appendTransactional(PID, 20);
        appendMarker(PID, ControlRecordType.ABORT);
        appendTransactional(PID + 1, 30);

        start(false);

        assertThat(fetch(false).committedOffset()).isEqualTo(10);
        assertThat(fetch(true).errorCode()).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT.code());
        assertThat(get(markers.writeMarker(new TopicPartition(OFFSETS, 0), PID + 1, (short) 0, 0,
                TransactionResult.COMMIT))).isEqualTo(Errors.NONE);
        assertThat(fetch(true).committedOffset()).isEqualTo(30);
    }

    // ---------------------------------------------------------------- helpers

    private void offsetsTopic() {
        metadata.createTopic(OFFSETS, 1, (short) 1, Map.of("cleanup.policy", "compact"));
        logs.getOrCreate(new TopicPartition(OFFSETS, 0), LogConfig.defaults());
        // Every write is durable at once, unless a test holds the commits.
        logs.log(new TopicPartition(OFFSETS, 0)).makeDurableUpTo(Long.MAX_VALUE);
    }

    private void start(boolean withOffsetsTopic) {
        if (withOffsetsTopic) {
            offsetsTopic();
        }
        coordinator = new GroupCoordinator(metadata, logs, writer, CONFIG, 1, time);
        coordinator.start();
        markers = new GroupTransactionMarkerWriter(coordinator);
        if (withOffsetsTopic || metadata.image().topic(OFFSETS).isPresent()) {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                    .until(() -> fetch(false).errorCode() != Errors.COORDINATOR_LOAD_IN_PROGRESS.code());
        }
    }

    private Errors marker(int partition, TransactionResult result) {
        return get(markers.writeMarker(new TopicPartition(OFFSETS, partition), PID, (short) 0, 0, result));
    }

    private void appendTransactional(long producerId, long offset) {
        OffsetCommit commit = new OffsetCommit(GROUP, ORDERS, new CommittedOffset(offset, -1, "", 1));
        logs.log(new TopicPartition(OFFSETS, 0)).appendAsLeader(MemoryRecords.withTransactionalRecords(
                Compression.NONE, producerId, (short) 0, 0,
                new SimpleRecord(1, GroupRecordCodec.key(commit), GroupRecordCodec.value(commit))), 0);
    }

    private void appendMarker(long producerId, ControlRecordType type) {
        logs.log(new TopicPartition(OFFSETS, 0)).appendAsLeader(MemoryRecords.withEndTransactionMarker(1, producerId,
                (short) 0, new EndTransactionMarker(type, 0)), 0);
    }

    private TxnOffsetCommitResponseData txnCommit(long offset) {
        TxnOffsetCommitRequestData request = new TxnOffsetCommitRequestData().setTransactionalId("tx")
                .setGroupId(GROUP).setProducerId(PID).setProducerEpoch((short) 0)
                .setTopics(List.of(new TxnOffsetCommitRequestTopic().setName(ORDERS.topic()).setPartitions(List.of(
                        new TxnOffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(offset)))));
        return get(coordinator.<TxnOffsetCommitResponseData>writeTransactional(GROUP,
                new GroupCoordinator.TransactionalProducer(PID, (short) 0),
                (shard, now, f) -> shard.commitTransactionalOffsets(request, (short) 3, now, f),
                error -> {
                    throw new AssertionError("TxnOffsetCommit failed with " + error);
                }));
    }

    private OffsetFetchResponsePartitions fetch(boolean requireStable) {
        return get(coordinator.read(GROUP,
                (shard, now) -> shard.fetchOffsets(GROUP, Map.of(ORDERS.topic(), List.of(0)), null, -1,
                        requireStable).topics().get(0).partitions().get(0),
                error -> new OffsetFetchResponsePartitions().setErrorCode(error.code())));
    }

    private static <T> T get(CompletableFuture<T> future) {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
