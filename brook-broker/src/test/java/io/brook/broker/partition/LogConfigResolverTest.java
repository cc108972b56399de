package io.brook.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.common.compress.Compression;
import org.junit.jupiter.api.Test;

import io.brook.broker.config.BrokerConfig;
import io.brook.storage.LogConfig;
import io.brook.storage.TopicCompression;

class LogConfigResolverTest {

    @Test
    void shouldUseKafkaDefaultsWhenNothingIsSet() {
        LogConfig config = new LogConfigResolver(BrokerConfig.defaults()).resolve(Map.of(), Map.of());

        assertThat(config.compression()).isEqualTo(TopicCompression.producer());
        assertThat(config.logAppendTime()).isFalse();
        assertThat(config.timestampBeforeMaxMs()).isEqualTo(Long.MAX_VALUE);
        assertThat(config.timestampAfterMaxMs()).isEqualTo(3_600_000L);
    }

    @Test
    void shouldResolveTopicCompressionWithItsLevelOverBrokerSettings() {
        LogConfigResolver resolver = new LogConfigResolver(BrokerConfig.parse(Map.of("compression.type", "gzip",
                "compression.zstd.level", "7", "log.message.timestamp.after.max.ms", "1000")));

        LogConfig config = resolver.resolve(Map.of(), Map.of("compression.type", "zstd",
                "message.timestamp.before.max.ms", "60000", "message.timestamp.type", "LogAppendTime"));

        assertThat(config.compression()).isEqualTo(TopicCompression.of(Compression.zstd().level(7).build()));
        assertThat(config.compression()).hasToString("zstd(level 7)");
        assertThat(config.timestampBeforeMaxMs()).isEqualTo(60_000L);
        assertThat(config.timestampAfterMaxMs()).isEqualTo(1000L);
        assertThat(config.logAppendTime()).isTrue();
    }

    @Test
    void shouldTakeBrokerCompressionWhenTopicHasNone() {
        LogConfigResolver resolver = new LogConfigResolver(BrokerConfig.parse(Map.of("compression.type",
                "uncompressed")));

        assertThat(resolver.resolve(Map.of(), Map.of()).compression())
                .isEqualTo(TopicCompression.of(Compression.NONE));
        assertThat(resolver.resolve(Map.of("compression.type", "lz4"), Map.of()).compression())
                .isEqualTo(TopicCompression.of(Compression.lz4().build()));
    }
}
