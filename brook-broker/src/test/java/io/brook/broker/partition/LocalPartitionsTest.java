package io.brook.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import io.brook.broker.config.BrokerConfig;
import io.brook.broker.testing.FakeLogManager;
import io.brook.broker.testing.InMemoryMetadataStore;
import io.brook.metadata.TopicImage;
import io.brook.storage.LogConfig;

class LocalPartitionsTest {

    private final InMemoryMetadataStore metadata = new InMemoryMetadataStore();
    private final FakeLogManager logs = new FakeLogManager();
    private final LocalPartitions partitions = new LocalPartitions(logs,
            new LogConfigResolver(BrokerConfig.parse(Map.of("log.segment.bytes", "5000000"))));

    LocalPartitionsTest() {
        metadata.addListener((previous, current) -> partitions.reconcile(current));
    }

    @Test
    void shouldCreateLogsWithTopicConfigsOverBrokerDefaults() {
        metadata.createTopic("t", 2, (short) 1, Map.of("max.message.bytes", "2000", "message.timestamp.type",
                "LogAppendTime", "flush.messages", "1"));

        LogConfig config = logs.config(new TopicPartition("t", 1));
        assertThat(partitions.all()).hasSize(2);
        assertThat(config.maxMessageBytes()).isEqualTo(2000);
        assertThat(config.logAppendTime()).isTrue();
        assertThat(config.flushIntervalMessages()).isEqualTo(1);
        assertThat(config.segmentBytes()).isEqualTo(5_000_000);
        assertThat(config.segmentMs()).isEqualTo(7L * 24 * 3600 * 1000);
        assertThat(config.indexIntervalBytes()).isEqualTo(4096);
    }

    @Test
    void shouldResolveRetentionWithKafkasPrecedence() {
        LocalPartitions withBrokerRetention = new LocalPartitions(logs, new LogConfigResolver(BrokerConfig.parse(
                Map.of("log.retention.hours", "1", "log.retention.minutes", "30", "log.retention.bytes", "1000"))));
        metadata.addListener((previous, current) -> withBrokerRetention.reconcile(current));

        metadata.createTopic("by-broker", 1, (short) 1, Map.of());
        metadata.createTopic("by-topic", 1, (short) 1, Map.of("retention.ms", "-1", "retention.bytes", "5"));
        metadata.createTopic("compacted", 1, (short) 1, Map.of("cleanup.policy", "compact"));
        metadata.createTopic("both", 1, (short) 1, Map.of("cleanup.policy", "compact,delete"));

        LogConfig byBroker = withBrokerRetention.get(new TopicPartition("by-broker", 0)).orElseThrow().config();
        assertThat(byBroker.retentionMs()).isEqualTo(30 * 60_000L); // minutes win over hours
        assertThat(byBroker.retentionBytes()).isEqualTo(1000);
        assertThat(byBroker.deleteRetention()).isTrue();
        LogConfig byTopic = withBrokerRetention.get(new TopicPartition("by-topic", 0)).orElseThrow().config();
        assertThat(byTopic.retentionMs()).isEqualTo(-1);
        assertThat(byTopic.retentionBytes()).isEqualTo(5);
        assertThat(logs.config(new TopicPartition("compacted", 0)).deleteRetention()).isFalse();
        assertThat(logs.config(new TopicPartition("both", 0)).deleteRetention()).isTrue();
        assertThat(logs.config(new TopicPartition("both", 0)).retentionMs()).isEqualTo(7L * 24 * 3600 * 1000);
    }

    @Test
    void shouldApplyChangedTopicConfigs() {
        metadata.createTopic("t", 1, (short) 1, Map.of());

        metadata.alterTopicConfigs("t", Map.of("segment.bytes", Optional.of("1048576")), false, false);

        assertThat(logs.config(new TopicPartition("t", 0)).segmentBytes()).isEqualTo(1_048_576);
        assertThat(partitions.get(new TopicPartition("t", 0)).orElseThrow().config().segmentBytes())
                .isEqualTo(1_048_576);
    }

    @Test
    void shouldCreateLogsForAddedPartitionsAndDeleteLogsOfDeletedTopics() {
        TopicImage topic = metadata.createTopic("t", 1, (short) 1, Map.of());
        metadata.createPartitions("t", 3, false);
        assertThat(partitions.all()).hasSize(3);

        metadata.deleteTopic(topic.id());

        assertThat(partitions.all()).isEmpty();
        assertThat(logs.deleted()).hasSize(3);
    }

    @Test
    void shouldGiveRecreatedTopicAFreshLog() {
        TopicImage first = metadata.createTopic("t", 1, (short) 1, Map.of());
        metadata.deleteTopic(first.id());
        TopicImage second = metadata.createTopic("t", 1, (short) 1, Map.of());

        assertThat(partitions.get(new TopicPartition("t", 0)).orElseThrow().topicId()).isEqualTo(second.id());
    }

    @Test
    void shouldTellUnknownTopicFromUnhostedPartition() {
        TopicImage topic = metadata.createTopic("t", 1, (short) 1, Map.of());

        assertThat(partitions.lookup(metadata.image(), "x", 0).error()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(partitions.lookup(metadata.image(), "t", 1).error()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(partitions.lookup(metadata.image(), topic.id(), 0).found()).isTrue();
        assertThat(partitions.lookup(metadata.image(), org.apache.kafka.common.Uuid.randomUuid(), 0).error())
                .isEqualTo(Errors.UNKNOWN_TOPIC_ID);
        logs.delete(new TopicPartition("t", 0));
        LocalPartitions fresh = new LocalPartitions(logs, new LogConfigResolver(BrokerConfig.parse(Map.of())));
        assertThat(fresh.lookup(metadata.image(), "t", 0).error()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
    }

    @Test
    void shouldAnswerKafkaStorageErrorForAPartitionWhoseLogDirIsOffline() {
        TopicImage topic = metadata.createTopic("t", 1, (short) 1, Map.of());

        logs.takeOffline("/fake");

        assertThat(partitions.lookup(metadata.image(), "t", 0).error()).isEqualTo(Errors.KAFKA_STORAGE_ERROR);
        assertThat(partitions.lookup(metadata.image(), topic.id(), 0).error()).isEqualTo(Errors.KAFKA_STORAGE_ERROR);
    }

    @Test
    void shouldAnswerNotLeaderOrFollowerUntilTheListenerHasCreatedAPartitionTheImageAlreadyShows() {
        InMemoryMetadataStore ahead = new InMemoryMetadataStore(); // its listeners have not run yet
        LocalPartitions behind = new LocalPartitions(logs, new LogConfigResolver(BrokerConfig.parse(Map.of())));
        ahead.createTopic("t", 1, (short) 1, Map.of());

        assertThat(behind.lookup(ahead.image(), "t", 0).error()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);

        behind.reconcileLatest(ahead::image);
        assertThat(behind.lookup(ahead.image(), "t", 0).found()).isTrue();
    }

    @Test
    void shouldNotRecreateADeletedTopicsLogWhenALateCallReconcilesWithTheLatestImage() {
        TopicImage topic = metadata.createTopic("t", 1, (short) 1, Map.of());
        metadata.deleteTopic(topic.id());

        // a start-up or listener call that lost the race to the deletion's own listener call
        partitions.reconcileLatest(metadata::image);

        assertThat(partitions.all()).isEmpty();
        assertThat(logs.get(new TopicPartition("t", 0))).isEmpty();
    }

    @Test
    void shouldDeleteStrayLogsAtStartup() {
        logs.getOrCreate(new TopicPartition("old", 0), LogConfig.defaults());
        metadata.createTopic("t", 1, (short) 1, Map.of());

        partitions.deleteStrayLogs(metadata.image());

        assertThat(logs.deleted()).containsExactly(new TopicPartition("old", 0));
        assertThat(logs.get(new TopicPartition("t", 0))).isPresent();
    }
}
