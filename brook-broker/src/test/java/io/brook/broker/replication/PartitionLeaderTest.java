package io.brook.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.brook.broker.partition.Partition;
import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.cluster.CommandReply.AlterPartitionResult;
import io.brook.metadata.cluster.MetadataCommand.IsrMember;
import io.brook.storage.DefaultLogManager;
import io.brook.storage.EpochEndOffset;
import io.brook.storage.HighWatermarkMode;
import io.brook.storage.LogConfig;
import io.brook.storage.LogManager;
import io.brook.storage.PartitionLog;

/** A leader over a real log, driven by hand: follower fetches, ticks with explicit times, scripted controller. */
class PartitionLeaderTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final long LAG_MS = 1_000;

    @TempDir
    Path dir;

    private LogManager logs;
    private PartitionLog log;
    private final AtomicInteger wakeUps = new AtomicInteger();
    private final List<Sent> sent = new ArrayList<>();

    private record Sent(int partitionEpoch, List<IsrMember> isr, CompletableFuture<AlterPartitionResult> reply) {
    }

    @BeforeEach
    void openLog() throws Exception {
        logs = DefaultLogManager.open(List.of(dir), LogConfig.defaults(), Time.SYSTEM);
        log = logs.getOrCreate(TP, LogConfig.defaults());
        log.setHighWatermarkMode(HighWatermarkMode.REPLICATED);
    }

    @AfterEach
    void closeLog() throws Exception {
        logs.close();
    }

    private PartitionLeader leader(List<Integer> isr) {
        PartitionRegistration registration = new PartitionRegistration(List.of(1, 2), isr, List.of(), List.of(), 1,
                4, 9);
        Partition partition = new Partition(TP, Uuid.randomUuid(), log, LogConfig.defaults(), registration, 1);
        return new PartitionLeader(partition, 0, LAG_MS, wakeUps::incrementAndGet, (leader, epoch, newIsr) -> {
            CompletableFuture<AlterPartitionResult> reply = new CompletableFuture<>();
            sent.add(new Sent(epoch, newIsr, reply));
            return reply;
        });
    }

    private void append(int count) {
        append(count, 4);
    }

    private void append(int count, int epoch) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = new SimpleRecord(("v" + i).getBytes());
        }
        log.appendAsLeader(MemoryRecords.withRecords(Compression.NONE, records), epoch);
    }

    @Test
    void shouldCompleteAnAcksAllWaiterOnlyWhenTheFollowerHasTheRecords() {
        PartitionLeader leader = leader(List.of(1, 2));
        append(5);
        leader.onLocalAppend();
        CompletableFuture<Errors> acked = leader.awaitHighWatermark(5, 2);

        leader.onFollowerFetch(2, 7, 3, 0, 10);
        assertThat(acked).isNotDone();
        assertThat(log.highWatermark()).isEqualTo(3);

        leader.onFollowerFetch(2, 7, 5, 0, 20);
        assertThat(acked).isCompletedWithValue(Errors.NONE);
        assertThat(log.highWatermark()).isEqualTo(5);
        assertThat(wakeUps).hasValue(2);
    }

    @Test
    void shouldCompleteADeleteRecordsWaiterOnlyWhenTheInSyncFollowerReportsTheNewLogStart() {
        PartitionLeader leader = leader(List.of(1, 2));
        append(5);
        leader.onFollowerFetch(2, 7, 5, 0, 10);
        log.maybeIncrementLogStartOffset(3);
        assertThat(leader.lowWatermark()).isZero();
        CompletableFuture<Errors> deleted = leader.awaitLowWatermark(3);

        leader.onFollowerFetch(2, 7, 5, 0, 20); // the fetch that brings the follower the new start
        assertThat(deleted).isNotDone();
        leader.onFollowerFetch(2, 7, 5, 3, 30); // the next one reports it

        assertThat(deleted).isCompletedWithValue(Errors.NONE);
        assertThat(leader.lowWatermark()).isEqualTo(3);
    }

    @Test
    void shouldNotWaitForAFollowerOutsideTheIsrAndFailDeleteRecordsWaitersOnResign() {
        PartitionLeader alone = leader(List.of(1));
        append(5);
        alone.onLocalAppend();
        log.maybeIncrementLogStartOffset(2);
        assertThat(alone.awaitLowWatermark(2)).isCompletedWithValue(Errors.NONE);

        PartitionLeader withFollower = leader(List.of(1, 2));
        CompletableFuture<Errors> deleted = withFollower.awaitLowWatermark(2);
        withFollower.resign();

        assertThat(deleted).isCompletedWithValue(Errors.NOT_LEADER_OR_FOLLOWER);
    }

    @Test
    void shouldShrinkALaggingFollowerAndThenAnswerWaitersWithNotEnoughReplicasAfterAppend() {
        PartitionLeader leader = leader(List.of(1, 2));
        leader.onFollowerFetch(2, 7, 0, 0, 0);
        append(5);
        CompletableFuture<Errors> acked = leader.awaitHighWatermark(5, 2);

        leader.onTick(LAG_MS + 1);
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).isr()).extracting(IsrMember::brokerId).containsExactly(1);
        assertThat(sent.get(0).partitionEpoch()).isEqualTo(9);
        assertThat(acked).as("the ISR change is not committed yet").isNotDone();

        sent.get(0).reply().complete(new AlterPartitionResult(Uuid.ZERO_UUID, 0, (short) 0, 1, 4, 10, List.of(1)));

        assertThat(leader.isr()).containsExactly(1);
        assertThat(acked).isCompletedWithValue(Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND);
        assertThat(log.highWatermark()).isEqualTo(5);
    }

    @Test
    void shouldExpandTheIsrWithTheFollowersBrokerEpochOnceItCatchesUp() {
        PartitionLeader leader = leader(List.of(1));
        append(3);
        leader.onLocalAppend();

        leader.onFollowerFetch(2, 77, 3, 0, 10);

        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).isr()).containsExactly(new IsrMember(1, -1), new IsrMember(2, 77));
    }

    @Test
    void shouldKeepAChangePendingOnInvalidUpdateVersionAndDropItOnOtherErrors() {
        PartitionLeader leader = leader(List.of(1));
        leader.onFollowerFetch(2, 77, 0, 0, 10);
        sent.get(0).reply().complete(new AlterPartitionResult(Uuid.ZERO_UUID, 0,
                Errors.INVALID_UPDATE_VERSION.code(), 1, 4, 9, List.of(1)));

        leader.onFollowerFetch(2, 77, 0, 0, 20);
        assertThat(sent).as("waits for the metadata").hasSize(1);

        leader.onRegistrationChange(new PartitionRegistration(List.of(1, 2), List.of(1), List.of(), List.of(), 1, 4,
                10), 25);
        leader.onFollowerFetch(2, 77, 0, 0, 30);
        assertThat(sent).hasSize(2);
        sent.get(1).reply().complete(new AlterPartitionResult(Uuid.ZERO_UUID, 0,
                Errors.INELIGIBLE_REPLICA.code(), 1, 4, 10, List.of(1)));
        leader.onFollowerFetch(2, 77, 0, 0, 40);
        assertThat(sent).as("retried").hasSize(3);
    }

    @Test
    void shouldCapMinInsyncReplicasAtTheReplicaCount() {
        PartitionLeader leader = leader(List.of(1, 2));

        assertThat(leader.effectiveMinInsyncReplicas(3)).isEqualTo(2);
        assertThat(leader.effectiveMinInsyncReplicas(2)).isEqualTo(2);
        assertThat(leader.effectiveMinInsyncReplicas(1)).isEqualTo(1);
    }

    @Test
    void shouldFailWaitersWhenItResigns() {
        PartitionLeader leader = leader(List.of(1, 2));
        append(1);
        CompletableFuture<Errors> acked = leader.awaitHighWatermark(1, 1);

        leader.resign();

        assertThat(acked).isCompletedWithValue(Errors.NOT_LEADER_OR_FOLLOWER);
        assertThat(leader.awaitHighWatermark(1, 1)).isCompletedWithValue(Errors.NOT_LEADER_OR_FOLLOWER);
    }

    @Test
    void shouldEndAnEpochMissingFromTheLogWhereTheCurrentEpochStarted() {
        // the log's last batch is from epoch 2; this node leads epoch 4 from offset 3 and has appended nothing yet
        append(3, 2);
        PartitionLeader leader = leader(List.of(1, 2));

        assertThat(leader.endOffsetForEpoch(3)).as("never in the log").isEqualTo(new EpochEndOffset(2, 3));
        assertThat(leader.endOffsetForEpoch(4)).as("current").isEqualTo(new EpochEndOffset(4, 3));
        assertThat(leader.endOffsetForEpoch(2)).isEqualTo(new EpochEndOffset(2, 3));
        assertThat(leader.endOffsetForEpoch(5)).isEqualTo(EpochEndOffset.UNDEFINED);
    }
}
