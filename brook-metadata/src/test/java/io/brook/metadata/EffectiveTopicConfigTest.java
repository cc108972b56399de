package io.brook.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class EffectiveTopicConfigTest {

    @Test
    void shouldPreferTopicOverrideThenDynamicThenStaticThenDefault() {
        EffectiveTopicConfig config = EffectiveTopicConfig.resolve(Map.of("retention.ms", "1"),
                Map.of("log.segment.bytes", "2000000", "log.retention.ms", "3"),
                Map.of("log.segment.bytes", "3000000", "message.max.bytes", "500", "log.roll.hours", "2"));

        assertThat(config.entry("retention.ms").source()).isEqualTo(ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(config.value("retention.ms")).isEqualTo("1");
        assertThat(config.entry("segment.bytes").source()).isEqualTo(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
        assertThat(config.value("segment.bytes")).isEqualTo("2000000");
        assertThat(config.entry("max.message.bytes").source()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(config.value("max.message.bytes")).isEqualTo("500");
        assertThat(config.entry("cleanup.policy").source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
        assertThat(config.value("cleanup.policy")).isEqualTo("delete");
    }

    @Test
    void shouldConvertBrokerUnitsAndListSynonymsInPrecedenceOrder() {
        EffectiveTopicConfig config = EffectiveTopicConfig.resolve(Map.of(), Map.of(),
                Map.of("log.roll.hours", "2"));

        assertThat(config.value("segment.ms")).isEqualTo("7200000");
        assertThat(config.entry("segment.ms").synonyms()).extracting(EffectiveTopicConfig.Synonym::name,
                EffectiveTopicConfig.Synonym::value, EffectiveTopicConfig.Synonym::source)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("log.roll.hours", "2", ConfigSource.STATIC_BROKER_CONFIG),
                        org.assertj.core.groups.Tuple.tuple("log.roll.ms", "604800000", ConfigSource.DEFAULT_CONFIG));
    }
}
