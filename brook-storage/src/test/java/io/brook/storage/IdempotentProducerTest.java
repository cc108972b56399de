package io.brook.storage;

import static io.brook.storage.TestRecords.idempotent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdempotentProducerTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final long PID = 42L;

    @TempDir
    Path dir;

    private DefaultLogManager manager;
    private PartitionLog log;

    @BeforeEach
    void setUp() {
        reopen();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private void reopen() {
        if (manager != null) {
            manager.close();
        }
        manager = DefaultLogManager.open(List.of(dir), LogConfig.defaults(), new ManualTime(), false);
        log = manager.getOrCreate(TP, LogConfig.defaults());
    }

    @Test
    void shouldReturnOriginalOffsetsWhenBatchIsRetried() {
        log.appendAsLeader(idempotent(PID, (short) 0, 0, "a", "b"), 0);
        LogAppendInfo original = log.appendAsLeader(idempotent(PID, (short) 0, 2, "c"), 0);
        log.appendAsLeader(idempotent(PID, (short) 0, 3, "d"), 0);

        LogAppendInfo retry = log.appendAsLeader(idempotent(PID, (short) 0, 2, "c"), 0);

        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.firstOffset()).isEqualTo(original.firstOffset()).isEqualTo(2);
        assertThat(retry.lastOffset()).isEqualTo(2);
        assertThat(log.logEndOffset()).isEqualTo(4);
    }

    @Test
    void shouldRejectSequenceGap() {
        log.appendAsLeader(idempotent(PID, (short) 0, 0, "a"), 0);

        assertThatThrownBy(() -> log.appendAsLeader(idempotent(PID, (short) 0, 2, "c"), 0))
                .isInstanceOf(OutOfOrderSequenceException.class);
        assertThat(log.logEndOffset()).isEqualTo(1);
    }

    @Test
    void shouldFenceOlderEpochAndRequireSequenceZeroForNewEpoch() {
        log.appendAsLeader(idempotent(PID, (short) 3, 0, "a"), 0);

        assertThatThrownBy(() -> log.appendAsLeader(idempotent(PID, (short) 2, 1, "b"), 0))
                .isInstanceOf(InvalidProducerEpochException.class);
        assertThatThrownBy(() -> log.appendAsLeader(idempotent(PID, (short) 4, 5, "b"), 0))
                .isInstanceOf(OutOfOrderSequenceException.class);
        assertThat(log.appendAsLeader(idempotent(PID, (short) 4, 0, "b"), 0).firstOffset()).isEqualTo(1);
    }

    @Test
    void shouldAcceptAnySequenceFromUnknownProducer() {
        assertThat(log.appendAsLeader(idempotent(PID, (short) 0, 17, "a"), 0).duplicate()).isFalse();
        assertThat(log.appendAsLeader(idempotent(PID, (short) 0, 18, "b"), 0).firstOffset()).isEqualTo(1);
    }

    @Test
    void shouldWrapSequenceAfterIntegerMax() {
        log.appendAsLeader(idempotent(PID, (short) 0, Integer.MAX_VALUE, "a"), 0);

        assertThat(log.appendAsLeader(idempotent(PID, (short) 0, 0, "b"), 0).firstOffset()).isEqualTo(1);
    }

    @Test
    void shouldKeepProducerStateAcrossReopen() {
        log.appendAsLeader(idempotent(PID, (short) 0, 0, "a"), 0);
        log.appendAsLeader(idempotent(PID, (short) 0, 1, "b"), 0);

        reopen();

        LogAppendInfo retry = log.appendAsLeader(idempotent(PID, (short) 0, 1, "b"), 0);
        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.firstOffset()).isEqualTo(1);
        assertThatThrownBy(() -> log.appendAsLeader(idempotent(PID, (short) 0, 5, "x"), 0))
                .isInstanceOf(OutOfOrderSequenceException.class);
    }

    @Test
    void shouldRebuildProducerStateFromLogWhenSnapshotsAreGone() throws Exception {
        log.appendAsLeader(idempotent(PID, (short) 0, 0, "a"), 0);
        log.appendAsLeader(idempotent(PID, (short) 0, 1, "b"), 0);
        manager.close();
        File partitionDir = dir.resolve("t-0").toFile();
        for (File snapshot : partitionDir.listFiles((d, name) -> name.endsWith(".snapshot"))) {
            Files.delete(snapshot.toPath());
        }
        Files.delete(dir.resolve(DefaultLogManager.CLEAN_SHUTDOWN_FILE));
        manager = null;

        reopen();

        assertThat(log.appendAsLeader(idempotent(PID, (short) 0, 1, "b"), 0).duplicate()).isTrue();
        assertThat(log.appendAsLeader(idempotent(PID, (short) 0, 2, "c"), 0).firstOffset()).isEqualTo(2);
    }
}
