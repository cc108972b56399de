package io.brook.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.brook.broker.config.BrokerConfig;
import io.brook.storage.CompactionConfig;

class CompactionConfigResolverTest {

    @Test
    void shouldNotCompactWhenTopicKeepsDefaultDeletePolicy() {
        LogConfigResolver resolver = new LogConfigResolver(BrokerConfig.defaults());

        assertThat(resolver.resolve(Map.of(), Map.of()).compaction()).isEqualTo(CompactionConfig.disabled());
    }

    @Test
    void shouldResolveTopicOverridesOverBrokerCleanerDefaults() {
        BrokerConfig broker = BrokerConfig.parse(Map.of("log.cleaner.min.cleanable.ratio", "0.2",
                "log.cleaner.delete.retention.ms", "1000"));
        LogConfigResolver resolver = new LogConfigResolver(broker);

        CompactionConfig compaction = resolver.resolve(Map.of(), Map.of("cleanup.policy", "compact,delete",
                "min.compaction.lag.ms", "5000", "max.compaction.lag.ms", "60000")).compaction();

        assertThat(compaction).isEqualTo(new CompactionConfig(true, 0.2, 5000, 60000, 1000));
    }

    @Test
    void shouldCompactWhenDynamicBrokerDefaultPolicyIsCompact() {
        LogConfigResolver resolver = new LogConfigResolver(BrokerConfig.defaults());

        assertThat(resolver.resolve(Map.of("log.cleanup.policy", "compact"), Map.of()).compaction().compact())
                .isTrue();
        assertThat(resolver.resolve(Map.of("log.cleanup.policy", "compact"), Map.of("cleanup.policy", "delete"))
                .compaction().compact()).isFalse();
    }
}
