package io.brook.metadata;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;

/**
 * The broker configs that may be changed at runtime, cluster-wide: the log defaults Kafka lets you reconfigure
 * dynamically ({@code DynamicLogConfig}), each the default of a topic config. Anything else (num.partitions,
 * listeners, log.dirs, ...) is read-only, as in Kafka.
 *
 * <p>Stateless and thread-safe.
 */
public final class DynamicBrokerConfigs {

    /** Kafka 4.4's dynamically reconfigurable log configs that have a topic-level equivalent. */
    private static final Set<String> NAMES = Set.of("compression.gzip.level", "compression.lz4.level",
            "compression.type", "compression.zstd.level", "log.cleaner.delete.retention.ms",
            "log.cleaner.max.compaction.lag.ms", "log.cleaner.min.cleanable.ratio",
            "log.cleaner.min.compaction.lag.ms", "log.cleanup.policy", "log.flush.interval.messages",
            "log.flush.interval.ms", "log.index.interval.bytes", "log.index.size.max.bytes",
            "log.local.retention.bytes", "log.local.retention.ms", "log.message.timestamp.after.max.ms",
            "log.message.timestamp.before.max.ms", "log.message.timestamp.type", "log.preallocate",
            "log.remote.copy.lag.bytes", "log.remote.copy.lag.ms", "log.retention.bytes", "log.retention.ms",
            "log.roll.jitter.ms", "log.roll.ms", "log.segment.bytes", "log.segment.delete.delay.ms",
            "max.decompressed.message.bytes", "message.max.bytes", "min.insync.replicas",
            "unclean.leader.election.enable");

    private DynamicBrokerConfigs() {
    }

    public static Set<String> names() {
        return NAMES;
    }

    public static boolean isDynamic(String brokerConfig) {
        return NAMES.contains(brokerConfig);
    }

    /** The topic config this broker config is the default of. */
    public static Optional<String> topicConfig(String brokerConfig) {
        return TopicConfigs.topicConfigForBrokerConfig(brokerConfig);
    }

    /**
     * Validates a complete set of dynamic broker configs. A name that cannot be changed at runtime, or a bad value,
     * is an {@link InvalidRequestException}, which is what Kafka answers for a broker resource.
     */
    public static void validate(Map<String, String> configs) {
        Set<String> notDynamic = new TreeSet<>();
        for (String name : configs.keySet()) {
            if (!isDynamic(name)) {
                notDynamic.add(name);
            }
        }
        if (!notDynamic.isEmpty()) {
            throw new InvalidRequestException("Cannot update these configs dynamically: " + notDynamic);
        }
        for (Map.Entry<String, String> entry : configs.entrySet()) {
            String topicConfig = topicConfig(entry.getKey()).orElseThrow();
            try {
                TopicConfigs.parse(topicConfig, entry.getValue());
            } catch (InvalidConfigurationException e) {
                throw new InvalidRequestException("Invalid value " + entry.getValue() + " for configuration "
                        + entry.getKey() + ": " + e.getMessage());
            }
        }
    }
}
