package io.brook.broker.partition;

import java.util.Map;

import io.brook.broker.config.BrokerConfig;
import io.brook.metadata.EffectiveTopicConfig;
import io.brook.storage.LogConfig;
import io.brook.storage.TopicCompression;

/**
 * Resolves a partition's {@link LogConfig} with the same precedence DescribeConfigs reports
 * ({@link EffectiveTopicConfig}): a topic-level override (Kafka's topic config names) wins over a dynamic broker
 * config, which wins over the static broker config (Kafka's {@code log.*} names, with their unit conversions), which
 * wins over Kafka's defaults. Stateless and thread-safe.
 */
public final class LogConfigResolver {

    public static final String SEGMENT_BYTES = "segment.bytes";
    public static final String SEGMENT_MS = "segment.ms";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String FLUSH_MESSAGES = "flush.messages";
    public static final String FLUSH_MS = "flush.ms";
    public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
    public static final String INDEX_INTERVAL_BYTES = "index.interval.bytes";
    public static final String SEGMENT_INDEX_BYTES = "segment.index.bytes";
    public static final String RETENTION_MS = "retention.ms";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String FILE_DELETE_DELAY_MS = "file.delete.delay.ms";
    public static final String COMPRESSION_TYPE = "compression.type";
    public static final String COMPRESSION_GZIP_LEVEL = "compression.gzip.level";
    public static final String COMPRESSION_LZ4_LEVEL = "compression.lz4.level";
    public static final String COMPRESSION_ZSTD_LEVEL = "compression.zstd.level";
    public static final String MESSAGE_TIMESTAMP_BEFORE_MAX_MS = "message.timestamp.before.max.ms";
    public static final String MESSAGE_TIMESTAMP_AFTER_MAX_MS = "message.timestamp.after.max.ms";

    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";

    private static final String LOG_APPEND_TIME = "LogAppendTime";

    private final Map<String, String> staticBrokerConfigs;

    public LogConfigResolver(BrokerConfig brokerConfig) {
        this.staticBrokerConfigs = brokerConfig.explicitProperties();
    }

    /**
     * @param dynamicBrokerConfigs cluster-wide overrides of the broker's {@code log.*} properties
     * @param topicConfigs the topic's own overrides
     */
    public LogConfig resolve(Map<String, String> dynamicBrokerConfigs, Map<String, String> topicConfigs) {
        EffectiveTopicConfig effective = EffectiveTopicConfig.resolve(topicConfigs, dynamicBrokerConfigs,
                staticBrokerConfigs);
        return new LogConfig(
                Integer.parseInt(effective.value(SEGMENT_BYTES)),
                Long.parseLong(effective.value(SEGMENT_MS)),
                Integer.parseInt(effective.value(INDEX_INTERVAL_BYTES)),
                Integer.parseInt(effective.value(SEGMENT_INDEX_BYTES)),
                Integer.parseInt(effective.value(MAX_MESSAGE_BYTES)),
                Long.parseLong(effective.value(FLUSH_MESSAGES)),
                Long.parseLong(effective.value(FLUSH_MS)),
                LOG_APPEND_TIME.equals(effective.value(MESSAGE_TIMESTAMP_TYPE)))
                .withCompaction(CompactionConfigResolver.resolve(effective))
                .withRetention(unlimitedIfNegative(Long.parseLong(effective.value(RETENTION_MS))),
                        unlimitedIfNegative(Long.parseLong(effective.value(RETENTION_BYTES))),
                        hasDeletePolicy(effective.value(CLEANUP_POLICY)))
                .withFileDeleteDelayMs(Long.parseLong(effective.value(FILE_DELETE_DELAY_MS)))
                .withCompression(TopicCompression.parse(effective.value(COMPRESSION_TYPE),
                        Integer.parseInt(effective.value(COMPRESSION_GZIP_LEVEL)),
                        Integer.parseInt(effective.value(COMPRESSION_LZ4_LEVEL)),
                        Integer.parseInt(effective.value(COMPRESSION_ZSTD_LEVEL))),
                        Long.parseLong(effective.value(MESSAGE_TIMESTAMP_BEFORE_MAX_MS)),
                        Long.parseLong(effective.value(MESSAGE_TIMESTAMP_AFTER_MAX_MS)));
    }

    /** Kafka treats every negative retention (e.g. log.retention.minutes=-1, -60000 ms) as unlimited. */
    private static long unlimitedIfNegative(long value) {
        return value < 0 ? -1 : value;
    }

    /** {@code cleanup.policy} is a list: {@code delete}, {@code compact}, both, or (Kafka 4) empty. */
    static boolean hasDeletePolicy(String cleanupPolicy) {
        if (cleanupPolicy == null) {
            return false;
        }
        for (String policy : cleanupPolicy.split(",")) {
            if (policy.trim().equalsIgnoreCase("delete")) {
                return true;
            }
        }
        return false;
    }

    /** The partition's {@code min.insync.replicas}, with the same precedence as the log settings. */
    public int minInsyncReplicas(Map<String, String> dynamicBrokerConfigs, Map<String, String> topicConfigs) {
        return Integer.parseInt(EffectiveTopicConfig.resolve(topicConfigs, dynamicBrokerConfigs, staticBrokerConfigs)
                .value(MIN_INSYNC_REPLICAS));
    }
}
