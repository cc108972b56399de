package io.brook.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

class TopicConfigsTest {

    @Test
    void shouldDefineKafkasTopicConfigsWithTheirDefaults() {
        assertThat(TopicConfigs.names()).contains("cleanup.policy", "compression.type", "retention.ms",
                "segment.bytes", "max.message.bytes", "min.insync.replicas", "local.retention.ms",
                "remote.storage.enable", "message.timestamp.after.max.ms").doesNotContain(
                        "message.downconversion.enable");
        assertThat(TopicConfigs.defaultValue("retention.ms")).isEqualTo("604800000");
        assertThat(TopicConfigs.defaultValue("cleanup.policy")).isEqualTo("delete");
        assertThat(TopicConfigs.defaultValue("max.message.bytes")).isEqualTo("1048588");
    }

    @Test
    void shouldMapTopicConfigsToBrokerDefaults() {
        assertThat(TopicConfigs.brokerSynonyms("segment.bytes")).extracting(BrokerSynonym::name)
                .containsExactly("log.segment.bytes");
        assertThat(TopicConfigs.brokerSynonyms("retention.ms")).extracting(BrokerSynonym::name)
                .containsExactly("log.retention.ms", "log.retention.minutes", "log.retention.hours");
        assertThat(TopicConfigs.topicConfigForBrokerConfig("message.max.bytes")).contains("max.message.bytes");
        assertThat(TopicConfigs.brokerSynonyms("remote.storage.enable")).isEmpty();
    }

    @Test
    void shouldRejectConflictingCompactionLags() {
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of("min.compaction.lag.ms", "10",
                "max.compaction.lag.ms", "5"))).isInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void shouldRejectRemoteStorageBecauseTieredStorageIsOff() {
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of("remote.storage.enable", "true")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("Tiered Storage");
    }

    @Test
    void shouldAcceptValidValues() {
        TopicConfigs.validate(Map.of("cleanup.policy", "compact,delete", "compression.type", "zstd",
                "compression.gzip.level", "-1", "min.cleanable.dirty.ratio", "0.1",
                "leader.replication.throttled.replicas", "0:1,1:1"));
    }

    @Test
    void shouldRejectOutOfRangeValues() {
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of("compression.gzip.level", "0")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("compression.gzip.level");
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of("min.cleanable.dirty.ratio", "2")))
                .isInstanceOf(InvalidConfigurationException.class);
    }
}
