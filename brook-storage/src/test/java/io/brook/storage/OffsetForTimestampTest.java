package io.brook.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetForTimestampTest {

    @TempDir
    Path dir;

    private DefaultLogManager manager;
    private PartitionLog log;

    @BeforeEach
    void setUp() {
        manager = DefaultLogManager.open(List.of(dir), LogConfig.defaults(), new ManualTime(), false);
        log = manager.getOrCreate(new TopicPartition("t", 0), LogConfig.defaults());
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private void appendAll() {
        log.appendAsLeader(records(100, 300, 200), 4);
        log.appendAsLeader(MemoryRecords.withRecords(Compression.gzip().build(), rec(250), rec(400)), 5);
        log.appendAsLeader(records(50), 6);
    }

    private static MemoryRecords records(long... timestamps) {
        SimpleRecord[] records = new SimpleRecord[timestamps.length];
        for (int i = 0; i < timestamps.length; i++) {
            records[i] = rec(timestamps[i]);
        }
        return MemoryRecords.withRecords(Compression.NONE, records);
    }

    private static SimpleRecord rec(long timestamp) {
        return new SimpleRecord(timestamp, null, "v".getBytes());
    }

    @Test
    void shouldAnswerEarliestLatestAndMaxTimestamp() {
        appendAll();

        assertThat(log.offsetForTimestamp(-2)).contains(new TimestampAndOffset(-1, 0, 4));
        assertThat(log.offsetForTimestamp(-1)).contains(new TimestampAndOffset(-1, 6, 6));
        assertThat(log.offsetForTimestamp(-3)).contains(new TimestampAndOffset(400, 4, 5));
    }

    @Test
    void shouldFindFirstRecordAtOrAfterTimestamp() {
        appendAll();

        assertThat(log.offsetForTimestamp(0)).contains(new TimestampAndOffset(100, 0, 4));
        assertThat(log.offsetForTimestamp(250)).contains(new TimestampAndOffset(300, 1, 4));
        assertThat(log.offsetForTimestamp(350)).contains(new TimestampAndOffset(400, 4, 5));
        assertThat(log.offsetForTimestamp(401)).isEmpty();
    }

    @Test
    void shouldAnswerOnEmptyLog() {
        assertThat(log.offsetForTimestamp(-2).map(TimestampAndOffset::offset)).contains(0L);
        assertThat(log.offsetForTimestamp(-1).map(TimestampAndOffset::offset)).contains(0L);
        assertThat(log.offsetForTimestamp(-3)).isEmpty();
        assertThat(log.offsetForTimestamp(10)).isEmpty();
    }

    @Test
    void shouldFindTimestampsAcrossSegmentsAndAfterReopen() {
        manager.updateConfig(new TopicPartition("t", 0), PartitionLogTest.smallSegments(600));
        for (int i = 0; i < 50; i++) {
            log.appendAsLeader(records(1000 + i * 10), 0);
        }
        assertThat(log.numberOfSegments()).isGreaterThan(3);
        assertThat(log.offsetForTimestamp(1255).map(TimestampAndOffset::offset)).contains(26L);

        manager.close();
        manager = DefaultLogManager.open(List.of(dir), LogConfig.defaults(), new ManualTime(), false);
        log = manager.get(new TopicPartition("t", 0)).orElseThrow();

        assertThat(log.offsetForTimestamp(1255).map(TimestampAndOffset::offset)).contains(26L);
        assertThat(log.offsetForTimestamp(-3)).contains(new TimestampAndOffset(1490, 49, 0));
    }
}
