package io.brook.broker.partition;

import java.util.Map;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.broker.config.BrokerConfig;
import io.brook.storage.LogConfig;

/**
 * Resolves a partition's {@link LogConfig}: a topic-level override (Kafka's topic config names) wins over a dynamic
 * broker config, which wins over the static broker config (Kafka's {@code log.*} names), which carries Kafka's
 * defaults. Stateless and thread-safe.
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

    private static final String LOG_APPEND_TIME = "LogAppendTime";
    private static final Logger LOG = LoggerFactory.getLogger(LogConfigResolver.class);

    private final BrokerConfig brokerConfig;

    public LogConfigResolver(BrokerConfig brokerConfig) {
        this.brokerConfig = brokerConfig;
    }

    /**
     * @param dynamicBrokerConfigs cluster-wide overrides of the broker's {@code log.*} properties
     * @param topicConfigs the topic's own overrides
     */
    public LogConfig resolve(Map<String, String> dynamicBrokerConfigs, Map<String, String> topicConfigs) {
        Lookup lookup = new Lookup(dynamicBrokerConfigs, topicConfigs);
        return new LogConfig(
                lookup.get(SEGMENT_BYTES, BrokerConfig.LOG_SEGMENT_BYTES, Integer::parseInt,
                        brokerConfig.logSegmentBytes()),
                lookup.get(SEGMENT_MS, BrokerConfig.LOG_ROLL_MS, Long::parseLong, brokerConfig.logRollMs()),
                lookup.get(INDEX_INTERVAL_BYTES, BrokerConfig.LOG_INDEX_INTERVAL_BYTES, Integer::parseInt,
                        brokerConfig.getInt(BrokerConfig.LOG_INDEX_INTERVAL_BYTES)),
                lookup.get(SEGMENT_INDEX_BYTES, BrokerConfig.LOG_INDEX_SIZE_MAX_BYTES, Integer::parseInt,
                        brokerConfig.getInt(BrokerConfig.LOG_INDEX_SIZE_MAX_BYTES)),
                lookup.get(MAX_MESSAGE_BYTES, BrokerConfig.MESSAGE_MAX_BYTES, Integer::parseInt,
                        brokerConfig.messageMaxBytes()),
                lookup.get(FLUSH_MESSAGES, BrokerConfig.LOG_FLUSH_INTERVAL_MESSAGES, Long::parseLong,
                        brokerConfig.logFlushIntervalMessages()),
                lookup.get(FLUSH_MS, BrokerConfig.LOG_FLUSH_INTERVAL_MS, Long::parseLong,
                        brokerConfig.logFlushIntervalMs()),
                LOG_APPEND_TIME.equals(lookup.get(MESSAGE_TIMESTAMP_TYPE, BrokerConfig.LOG_MESSAGE_TIMESTAMP_TYPE,
                        Function.identity(), brokerConfig.getString(BrokerConfig.LOG_MESSAGE_TIMESTAMP_TYPE))));
    }

    private record Lookup(Map<String, String> dynamicBrokerConfigs, Map<String, String> topicConfigs) {

        <T> T get(String topicName, String brokerName, Function<String, T> parser, T staticValue) {
            T value = parse(topicConfigs.get(topicName), topicName, parser);
            if (value == null) {
                value = parse(dynamicBrokerConfigs.get(brokerName), brokerName, parser);
            }
            return value != null ? value : staticValue;
        }

        private static <T> T parse(String raw, String name, Function<String, T> parser) {
            if (raw == null) {
                return null;
            }
            try {
                return parser.apply(raw.trim());
            } catch (NumberFormatException e) {
                // The metadata store validates configs; a bad value here means it let one through. Fall back.
                LOG.warn("Ignoring invalid value '{}' of config {}", raw, name);
                return null;
            }
        }
    }
}
