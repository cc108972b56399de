package io.brook.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.brook.broker.config.BrokerConfig;
import io.brook.broker.partition.Partition;
import io.brook.broker.testing.InMemoryMetadataStore;
import io.brook.metadata.PartitionRegistration;
import io.brook.storage.DefaultLogManager;
import io.brook.storage.LogConfig;
import io.brook.storage.LogManager;
import io.brook.storage.PartitionLog;

/**
 * The coordinators' writer over a real log and a real {@link ReplicaManager} leadership, with follower fetches
 * reported by hand: the acks=all checks before the append, the wait for the ISR and the fsync, and its failures.
 */
@Timeout(30)
class ReplicatedPartitionWriterTest {

    private static final TopicPartition TP = new TopicPartition("__consumer_offsets", 0);
    private static final int EPOCH = 3;

    @TempDir
    Path dir;

    private LogManager logs;
    private PartitionLog log;
    private ReplicaManager replicas;
    private final List<TopicPartition> woken = new CopyOnWriteArrayList<>();
    private int minInsyncReplicas = 2;
    private ReplicatedPartitionWriter writer;

    @BeforeEach
    void open() throws Exception {
        logs = DefaultLogManager.open(List.of(dir), LogConfig.defaults(), Time.SYSTEM);
        log = logs.getOrCreate(TP, LogConfig.defaults());
        replicas = new ReplicaManager(1, new InMemoryMetadataStore(),
                FetcherSettings.from(BrokerConfig.parse(Map.of())), 60_000, Time.SYSTEM, tp -> {
                });
        writer = new ReplicatedPartitionWriter(replicas, tp -> minInsyncReplicas, woken::add);
    }

    @AfterEach
    void close() throws Exception {
        replicas.close();
        logs.close();
    }

    private PartitionLeader lead(List<Integer> replicaIds, List<Integer> isr) {
        PartitionRegistration registration = new PartitionRegistration(replicaIds, isr, List.of(), List.of(), 1,
                EPOCH, 0);
        replicas.onRegistration(null, new Partition(TP, Uuid.randomUuid(), log, LogConfig.defaults(), registration,
                1));
        return replicas.leader(TP).orElseThrow();
    }

    private static MemoryRecords records(int count) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = new SimpleRecord(("k" + i).getBytes(), ("v" + i).getBytes());
        }
        return MemoryRecords.withRecords(Compression.NONE, records);
    }

    @Test
    void shouldCommitOnlyOnceEveryInSyncFollowerHasTheRecords() throws Exception {
        PartitionLeader leader = lead(List.of(1, 2, 3), List.of(1, 2, 3));

        long end = writer.append(TP, EPOCH, records(3));
        CompletableFuture<Void> committed = writer.awaitCommitted(TP, EPOCH, end, 10_000);

        assertThat(end).isEqualTo(3);
        assertThat(woken).as("the followers' parked fetches are woken").containsExactly(TP);
        leader.onFollowerFetch(2, 1, end, 0, System.currentTimeMillis());
        assertThat(committed).as("follower 3 has not fetched").isNotDone();
        leader.onFollowerFetch(3, 1, end, 0, System.currentTimeMillis());
        committed.get(10, TimeUnit.SECONDS);
        assertThat(log.highWatermark()).isEqualTo(end);
    }

    @Test
    void shouldRefuseAndAppendNothingWhenTheIsrIsBelowMinInsyncReplicas() {
        lead(List.of(1, 2, 3), List.of(1));

        assertThatThrownBy(() -> writer.append(TP, EPOCH, records(1))).isInstanceOf(NotEnoughReplicasException.class);
        assertThat(log.logEndOffset()).isZero();
        assertThat(woken).isEmpty();
    }

    @Test
    void shouldRefuseAWriteForAnotherLeaderEpochOrAPartitionItDoesNotLead() {
        assertThatThrownBy(() -> writer.append(TP, EPOCH, records(1)))
                .isInstanceOf(NotLeaderOrFollowerException.class);
        lead(List.of(1), List.of(1));

        assertThatThrownBy(() -> writer.append(TP, EPOCH + 1, records(1)))
                .isInstanceOf(NotLeaderOrFollowerException.class);
        assertThat(writer.awaitCommitted(TP, EPOCH - 1, 1, 1_000)).isCompletedExceptionally();
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void shouldFailWithNotLeaderWhenTheLeadershipEndsBeforeTheFollowersCatchUp() {
        lead(List.of(1, 2), List.of(1, 2));
        long end = writer.append(TP, EPOCH, records(1));
        CompletableFuture<Void> committed = writer.awaitCommitted(TP, EPOCH, end, 10_000);

        replicas.onRemoved(new Partition(TP, Uuid.randomUuid(), log, LogConfig.defaults(),
                new PartitionRegistration(List.of(1, 2), List.of(1, 2), List.of(), List.of(), 1, EPOCH, 0), 1));

        assertThatThrownBy(() -> committed.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(NotLeaderOrFollowerException.class);
    }

    @Test
    void shouldTimeOutWhenTheFollowersDoNotFetch() {
        lead(List.of(1, 2), List.of(1, 2));
        long end = writer.append(TP, EPOCH, records(1));

        CompletableFuture<Void> committed = writer.awaitCommitted(TP, EPOCH, end, 50);

        assertThatThrownBy(() -> committed.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TimeoutException.class);
    }

    @Test
    void shouldCommitASoleReplicasWriteOnceDurableWhateverMinInsyncReplicasSays() throws Exception {
        // Kafka's effective min ISR is at most the replica count: a single node with min.insync.replicas=2 works.
        minInsyncReplicas = 2;
        lead(List.of(1), List.of(1));

        long end = writer.append(TP, EPOCH, records(2));

        writer.awaitCommitted(TP, EPOCH, end, 10_000).get(10, TimeUnit.SECONDS);
        assertThat(log.highWatermark()).isEqualTo(end);
    }
}
