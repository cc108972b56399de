package io.brook.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.brook.broker.config.BrokerConfig;
import io.brook.broker.testing.InMemoryMetadataStore;
import io.brook.metadata.TopicImage;
import io.brook.storage.DefaultLogManager;
import io.brook.storage.LogConfig;
import io.brook.storage.LogManager;
import io.brook.storage.PartitionLog;

/** A log left on disk by a deleted topic is never adopted by a new topic of the same name (real storage). */
class LocalPartitionsTopicIdTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);

    @TempDir
    Path dir;

    private LogManager logs;

    @AfterEach
    void tearDown() {
        if (logs != null) {
            logs.close();
        }
    }

    private LocalPartitions partitions() {
        return new LocalPartitions(logs, new LogConfigResolver(BrokerConfig.parse(Map.of())));
    }

    @Test
    void shouldRecordTheTopicIdOfACreatedLogAndKeepItAcrossRestart() {
        logs = DefaultLogManager.open(List.of(dir), LogConfig.defaults(), Time.SYSTEM);
        InMemoryMetadataStore metadata = new InMemoryMetadataStore();
        TopicImage topic = metadata.createTopic("t", 1, (short) 1, Map.of());
        partitions().reconcile(metadata.image());
        logs.close();

        logs = DefaultLogManager.open(List.of(dir), LogConfig.defaults(), Time.SYSTEM);

        assertThat(logs.get(TP).orElseThrow().topicId()).contains(topic.id());
    }

    @Test
    void shouldDeleteALogOfAnEarlierTopicWithTheSameNameAtStartup() {
        // given a log written for an earlier topic "t", which was deleted and created again while this node was away
        logs = DefaultLogManager.open(List.of(dir), LogConfig.defaults(), Time.SYSTEM);
        PartitionLog old = logs.getOrCreate(TP, LogConfig.defaults());
        old.assignTopicId(Uuid.randomUuid());
        old.appendAsLeader(MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord("old".getBytes(StandardCharsets.UTF_8))), 0);
        logs.close();
        logs = DefaultLogManager.open(List.of(dir), LogConfig.defaults(), Time.SYSTEM);
        InMemoryMetadataStore metadata = new InMemoryMetadataStore();
        TopicImage recreated = metadata.createTopic("t", 1, (short) 1, Map.of());

        // when
        LocalPartitions partitions = partitions();
        partitions.deleteStrayLogs(metadata.image());
        partitions.reconcile(metadata.image());

        // then
        PartitionLog log = partitions.get(TP).orElseThrow().log();
        assertThat(log.logEndOffset()).isZero();
        assertThat(log.topicId()).contains(recreated.id());
    }

    @Test
    void shouldReplaceALogOfAnEarlierTopicWhenCreatingThePartition() {
        // given the stray check did not run (the log appeared later)
        logs = DefaultLogManager.open(List.of(dir), LogConfig.defaults(), Time.SYSTEM);
        PartitionLog old = logs.getOrCreate(TP, LogConfig.defaults());
        old.assignTopicId(Uuid.randomUuid());
        old.appendAsLeader(MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord("old".getBytes(StandardCharsets.UTF_8))), 0);
        InMemoryMetadataStore metadata = new InMemoryMetadataStore();
        TopicImage recreated = metadata.createTopic("t", 1, (short) 1, Map.of());

        // when
        LocalPartitions partitions = partitions();
        partitions.reconcile(metadata.image());

        // then
        PartitionLog log = partitions.get(TP).orElseThrow().log();
        assertThat(log.logEndOffset()).isZero();
        assertThat(log.topicId()).contains(recreated.id());
    }
}
