package io.brook.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InconsistentTopicIdException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code partition.metadata}: the topic id a log was created for, in Kafka's format, kept across restarts. */
class PartitionMetadataTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);

    @TempDir
    Path dir;

    private LogFixture fixture;

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void shouldWriteTheTopicIdInKafkasFormatAndReadItBackAfterRestart() throws Exception {
        fixture = new LogFixture(dir, LogConfig.defaults());
        Uuid id = Uuid.randomUuid();
        assertThat(fixture.log(TP).topicId()).isEmpty();

        fixture.log(TP).assignTopicId(id);
        fixture.crashAndReopen();

        assertThat(Files.readAllLines(fixture.partitionDir(TP).resolve("partition.metadata")))
                .containsExactly("version: 0", "topic_id: " + id);
        assertThat(fixture.log(TP).topicId()).contains(id);
    }

    @Test
    void shouldRefuseAnotherTopicIdOnceOneIsRecorded() {
        fixture = new LogFixture(dir, LogConfig.defaults());
        Uuid id = Uuid.randomUuid();
        fixture.log(TP).assignTopicId(id);

        fixture.log(TP).assignTopicId(id);
        assertThatThrownBy(() -> fixture.log(TP).assignTopicId(Uuid.randomUuid()))
                .isInstanceOf(InconsistentTopicIdException.class);
        assertThat(fixture.log(TP).topicId()).contains(id);
    }
}
