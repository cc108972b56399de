package io.brook.metadata;

import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;
import static org.apache.kafka.common.config.ConfigDef.Range.between;
import static org.apache.kafka.common.config.ConfigDef.Type.BOOLEAN;
import static org.apache.kafka.common.config.ConfigDef.Type.DOUBLE;
import static org.apache.kafka.common.config.ConfigDef.Type.INT;
import static org.apache.kafka.common.config.ConfigDef.Type.LIST;
import static org.apache.kafka.common.config.ConfigDef.Type.LONG;
import static org.apache.kafka.common.config.ConfigDef.Type.STRING;
import static org.apache.kafka.common.config.TopicConfig.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.InvalidConfigurationException;

/**
 * The topic-level configs with Kafka 4.4's names, types, defaults and validators (Kafka's {@code LogConfig}), and for
 * each the broker configs that supply its default when the topic has no override.
 *
 * <p>Stateless and thread-safe.
 */
public final class TopicConfigs {

    public static final String LEADER_REPLICATION_THROTTLED_REPLICAS = "leader.replication.throttled.replicas";
    public static final String FOLLOWER_REPLICATION_THROTTLED_REPLICAS = "follower.replication.throttled.replicas";

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define(SEGMENT_BYTES_CONFIG, INT, 1024 * 1024 * 1024, atLeast(1024 * 1024), MEDIUM, SEGMENT_BYTES_DOC)
            .define(SEGMENT_MS_CONFIG, LONG, TimeUnit.DAYS.toMillis(7), atLeast(1), MEDIUM, SEGMENT_MS_DOC)
            .define(SEGMENT_JITTER_MS_CONFIG, LONG, 0L, atLeast(0), MEDIUM, SEGMENT_JITTER_MS_DOC)
            .define(SEGMENT_INDEX_BYTES_CONFIG, INT, 10 * 1024 * 1024, atLeast(4), MEDIUM, SEGMENT_INDEX_BYTES_DOC)
            .define(FLUSH_MESSAGES_INTERVAL_CONFIG, LONG, Long.MAX_VALUE, atLeast(1), MEDIUM,
                    FLUSH_MESSAGES_INTERVAL_DOC)
            .define(FLUSH_MS_CONFIG, LONG, Long.MAX_VALUE, atLeast(0), MEDIUM, FLUSH_MS_DOC)
            .define(RETENTION_BYTES_CONFIG, LONG, -1L, MEDIUM, RETENTION_BYTES_DOC)
            .define(RETENTION_MS_CONFIG, LONG, TimeUnit.DAYS.toMillis(7), atLeast(-1), MEDIUM, RETENTION_MS_DOC)
            .define(MAX_MESSAGE_BYTES_CONFIG, INT, 1024 * 1024 + 12, atLeast(0), MEDIUM, MAX_MESSAGE_BYTES_DOC)
            .define(MAX_DECOMPRESSED_MESSAGE_BYTES_CONFIG, INT, Integer.MAX_VALUE - 8,
                    between(1, Integer.MAX_VALUE - 8),
                    MEDIUM, MAX_DECOMPRESSED_MESSAGE_BYTES_DOC)
            .define(INDEX_INTERVAL_BYTES_CONFIG, INT, 4096, atLeast(0), MEDIUM, INDEX_INTERVAL_BYTES_DOC)
            .define(DELETE_RETENTION_MS_CONFIG, LONG, TimeUnit.DAYS.toMillis(1), atLeast(0), MEDIUM,
                    DELETE_RETENTION_MS_DOC)
            .define(MIN_COMPACTION_LAG_MS_CONFIG, LONG, 0L, atLeast(0), MEDIUM, MIN_COMPACTION_LAG_MS_DOC)
            .define(MAX_COMPACTION_LAG_MS_CONFIG, LONG, Long.MAX_VALUE, atLeast(1), MEDIUM, MAX_COMPACTION_LAG_MS_DOC)
            .define(FILE_DELETE_DELAY_MS_CONFIG, LONG, 60_000L, atLeast(0), MEDIUM, FILE_DELETE_DELAY_MS_DOC)
            .define(MIN_CLEANABLE_DIRTY_RATIO_CONFIG, DOUBLE, 0.5, between(0, 1), MEDIUM,
                    MIN_CLEANABLE_DIRTY_RATIO_DOC)
            .define(CLEANUP_POLICY_CONFIG, LIST, CLEANUP_POLICY_DELETE,
                    ConfigDef.ValidList.in(true, CLEANUP_POLICY_COMPACT, CLEANUP_POLICY_DELETE), MEDIUM,
                    CLEANUP_POLICY_DOC)
            .define(UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG, BOOLEAN, false, MEDIUM,
                    UNCLEAN_LEADER_ELECTION_ENABLE_DOC)
            .define(MIN_IN_SYNC_REPLICAS_CONFIG, INT, 1, atLeast(1), MEDIUM, MIN_IN_SYNC_REPLICAS_DOC)
            .define(COMPRESSION_TYPE_CONFIG, STRING, "producer",
                    ConfigDef.ValidString.in("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"), MEDIUM,
                    COMPRESSION_TYPE_DOC)
            .define(COMPRESSION_GZIP_LEVEL_CONFIG, INT, -1, GzipLevel.INSTANCE, MEDIUM, COMPRESSION_GZIP_LEVEL_DOC)
            .define(COMPRESSION_LZ4_LEVEL_CONFIG, INT, 9, between(1, 17), MEDIUM, COMPRESSION_LZ4_LEVEL_DOC)
            .define(COMPRESSION_ZSTD_LEVEL_CONFIG, INT, 3, between(-131072, 22), MEDIUM, COMPRESSION_ZSTD_LEVEL_DOC)
            .define(PREALLOCATE_CONFIG, BOOLEAN, false, MEDIUM, PREALLOCATE_DOC)
            .define(MESSAGE_TIMESTAMP_TYPE_CONFIG, STRING, "CreateTime",
                    ConfigDef.ValidString.in("CreateTime", "LogAppendTime"), MEDIUM, MESSAGE_TIMESTAMP_TYPE_DOC)
            .define(MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG, LONG, Long.MAX_VALUE, atLeast(0), MEDIUM,
                    MESSAGE_TIMESTAMP_BEFORE_MAX_MS_DOC)
            .define(MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, LONG, TimeUnit.HOURS.toMillis(1), atLeast(0), MEDIUM,
                    MESSAGE_TIMESTAMP_AFTER_MAX_MS_DOC)
            .define(LEADER_REPLICATION_THROTTLED_REPLICAS, LIST, "", ThrottledReplicas.INSTANCE, MEDIUM,
                    "Replicas whose replication is throttled on the leader side, as partitionId:brokerId pairs or *.")
            .define(FOLLOWER_REPLICATION_THROTTLED_REPLICAS, LIST, "", ThrottledReplicas.INSTANCE, MEDIUM,
                    "Replicas whose replication is throttled on the follower side, as partitionId:brokerId pairs"
                            + " or *.")
            .define(REMOTE_LOG_STORAGE_ENABLE_CONFIG, BOOLEAN, false, MEDIUM, REMOTE_LOG_STORAGE_ENABLE_DOC)
            .define(LOCAL_LOG_RETENTION_MS_CONFIG, LONG, -2L, atLeast(-2), MEDIUM, LOCAL_LOG_RETENTION_MS_DOC)
            .define(LOCAL_LOG_RETENTION_BYTES_CONFIG, LONG, -2L, atLeast(-2), MEDIUM, LOCAL_LOG_RETENTION_BYTES_DOC)
            .define(REMOTE_LOG_COPY_DISABLE_CONFIG, BOOLEAN, false, MEDIUM, REMOTE_LOG_COPY_DISABLE_DOC)
            .define(REMOTE_COPY_LAG_MS_CONFIG, LONG, 0L, atLeast(-1), MEDIUM, REMOTE_COPY_LAG_MS_DOC)
            .define(REMOTE_COPY_LAG_BYTES_CONFIG, LONG, -1L, atLeast(-1), MEDIUM, REMOTE_COPY_LAG_BYTES_DOC)
            .define(REMOTE_LOG_DELETE_ON_DISABLE_CONFIG, BOOLEAN, false, MEDIUM, REMOTE_LOG_DELETE_ON_DISABLE_DOC)
            .define(ERRORS_DEADLETTERQUEUE_GROUP_ENABLE_CONFIG, BOOLEAN, false, MEDIUM,
                    ERRORS_DEADLETTERQUEUE_GROUP_ENABLE_DOC);

    /** Broker configs that supply each topic config's default, in order of precedence (Kafka's synonyms). */
    private static final Map<String, List<BrokerSynonym>> BROKER_SYNONYMS = brokerSynonyms();

    private TopicConfigs() {
    }

    private static Map<String, List<BrokerSynonym>> brokerSynonyms() {
        Map<String, List<BrokerSynonym>> map = new LinkedHashMap<>();
        map.put(SEGMENT_BYTES_CONFIG, List.of(BrokerSynonym.same("log.segment.bytes")));
        map.put(SEGMENT_MS_CONFIG, List.of(BrokerSynonym.same("log.roll.ms"),
                BrokerSynonym.inUnit("log.roll.hours", TimeUnit.HOURS)));
        map.put(SEGMENT_JITTER_MS_CONFIG, List.of(BrokerSynonym.same("log.roll.jitter.ms"),
                BrokerSynonym.inUnit("log.roll.jitter.hours", TimeUnit.HOURS)));
        map.put(SEGMENT_INDEX_BYTES_CONFIG, List.of(BrokerSynonym.same("log.index.size.max.bytes")));
        map.put(FLUSH_MESSAGES_INTERVAL_CONFIG, List.of(BrokerSynonym.same("log.flush.interval.messages")));
        map.put(FLUSH_MS_CONFIG, List.of(BrokerSynonym.same("log.flush.interval.ms"),
                BrokerSynonym.same("log.flush.scheduler.interval.ms")));
        map.put(RETENTION_BYTES_CONFIG, List.of(BrokerSynonym.same("log.retention.bytes")));
        map.put(RETENTION_MS_CONFIG, List.of(BrokerSynonym.same("log.retention.ms"),
                BrokerSynonym.inUnit("log.retention.minutes", TimeUnit.MINUTES),
                BrokerSynonym.inUnit("log.retention.hours", TimeUnit.HOURS)));
        map.put(MAX_MESSAGE_BYTES_CONFIG, List.of(BrokerSynonym.same("message.max.bytes")));
        map.put(MAX_DECOMPRESSED_MESSAGE_BYTES_CONFIG, List.of(BrokerSynonym.same("max.decompressed.message.bytes")));
        map.put(INDEX_INTERVAL_BYTES_CONFIG, List.of(BrokerSynonym.same("log.index.interval.bytes")));
        map.put(DELETE_RETENTION_MS_CONFIG, List.of(BrokerSynonym.same("log.cleaner.delete.retention.ms")));
        map.put(MIN_COMPACTION_LAG_MS_CONFIG, List.of(BrokerSynonym.same("log.cleaner.min.compaction.lag.ms")));
        map.put(MAX_COMPACTION_LAG_MS_CONFIG, List.of(BrokerSynonym.same("log.cleaner.max.compaction.lag.ms")));
        map.put(FILE_DELETE_DELAY_MS_CONFIG, List.of(BrokerSynonym.same("log.segment.delete.delay.ms")));
        map.put(MIN_CLEANABLE_DIRTY_RATIO_CONFIG, List.of(BrokerSynonym.same("log.cleaner.min.cleanable.ratio")));
        map.put(CLEANUP_POLICY_CONFIG, List.of(BrokerSynonym.same("log.cleanup.policy")));
        map.put(UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG, List.of(BrokerSynonym.same("unclean.leader.election.enable")));
        map.put(MIN_IN_SYNC_REPLICAS_CONFIG, List.of(BrokerSynonym.same("min.insync.replicas")));
        map.put(COMPRESSION_TYPE_CONFIG, List.of(BrokerSynonym.same("compression.type")));
        map.put(COMPRESSION_GZIP_LEVEL_CONFIG, List.of(BrokerSynonym.same("compression.gzip.level")));
        map.put(COMPRESSION_LZ4_LEVEL_CONFIG, List.of(BrokerSynonym.same("compression.lz4.level")));
        map.put(COMPRESSION_ZSTD_LEVEL_CONFIG, List.of(BrokerSynonym.same("compression.zstd.level")));
        map.put(PREALLOCATE_CONFIG, List.of(BrokerSynonym.same("log.preallocate")));
        map.put(MESSAGE_TIMESTAMP_TYPE_CONFIG, List.of(BrokerSynonym.same("log.message.timestamp.type")));
        map.put(MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG,
                List.of(BrokerSynonym.same("log.message.timestamp.before.max.ms")));
        map.put(MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG,
                List.of(BrokerSynonym.same("log.message.timestamp.after.max.ms")));
        map.put(LOCAL_LOG_RETENTION_MS_CONFIG, List.of(BrokerSynonym.same("log.local.retention.ms")));
        map.put(LOCAL_LOG_RETENTION_BYTES_CONFIG, List.of(BrokerSynonym.same("log.local.retention.bytes")));
        map.put(REMOTE_COPY_LAG_MS_CONFIG, List.of(BrokerSynonym.same("log.remote.copy.lag.ms")));
        map.put(REMOTE_COPY_LAG_BYTES_CONFIG, List.of(BrokerSynonym.same("log.remote.copy.lag.bytes")));
        return Map.copyOf(map);
    }

    /** The definitions (names, types, defaults, validators, docs). Do not modify. */
    public static ConfigDef definition() {
        return DEFINITION;
    }

    /** Every topic config name, in definition order. */
    public static Set<String> names() {
        return DEFINITION.configKeys().keySet();
    }

    public static Optional<ConfigDef.ConfigKey> key(String name) {
        return Optional.ofNullable(DEFINITION.configKeys().get(name));
    }

    /** The broker configs supplying {@code topicConfig}'s default, most specific first; empty when none. */
    public static List<BrokerSynonym> brokerSynonyms(String topicConfig) {
        return BROKER_SYNONYMS.getOrDefault(topicConfig, List.of());
    }

    /** The topic config whose default {@code brokerConfig} supplies, if any. */
    public static Optional<String> topicConfigForBrokerConfig(String brokerConfig) {
        return BROKER_SYNONYMS.entrySet().stream()
                .filter(e -> e.getValue().stream().anyMatch(s -> s.name().equals(brokerConfig)))
                .map(Map.Entry::getKey)
                .findFirst();
    }

    /** The built-in default of a topic config as a string (as DescribeConfigs shows it); null when none. */
    public static String defaultValue(String name) {
        ConfigDef.ConfigKey key = DEFINITION.configKeys().get(name);
        if (key == null) {
            throw new IllegalArgumentException("Unknown topic config " + name);
        }
        return key.hasDefault() && key.defaultValue != null
                ? ConfigDef.convertToString(key.defaultValue, key.type)
                : null;
    }

    /**
     * Validates a complete set of topic overrides: every name known, every value parseable and in range, and the
     * cross-config rules. Throws {@link InvalidConfigurationException} naming the offending config.
     */
    public static void validate(Map<String, String> overrides) {
        Map<String, Object> parsed = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : overrides.entrySet()) {
            parsed.put(entry.getKey(), parse(entry.getKey(), entry.getValue()));
        }
        long minLag = (Long) parsedOrDefault(parsed, MIN_COMPACTION_LAG_MS_CONFIG);
        long maxLag = (Long) parsedOrDefault(parsed, MAX_COMPACTION_LAG_MS_CONFIG);
        if (minLag > maxLag) {
            throw new InvalidConfigurationException("conflict topic config setting " + MIN_COMPACTION_LAG_MS_CONFIG
                    + " (" + minLag + ") > " + MAX_COMPACTION_LAG_MS_CONFIG + " (" + maxLag + ")");
        }
        if (Boolean.TRUE.equals(parsed.get(REMOTE_LOG_STORAGE_ENABLE_CONFIG))) {
            // No tiered storage here, as a Kafka broker with remote.log.storage.system.enable=false.
            throw new InvalidConfigurationException("Tiered Storage functionality is disabled in the broker. Topic "
                    + "cannot be configured with remote log storage.");
        }
    }

    /** Parses one value; throws {@link InvalidConfigurationException} for an unknown name or a bad value. */
    public static Object parse(String name, String value) {
        ConfigDef.ConfigKey key = DEFINITION.configKeys().get(name);
        if (key == null) {
            throw new InvalidConfigurationException("Unknown topic config name: " + name);
        }
        if (value == null) {
            throw new InvalidConfigurationException("Null value not supported for topic configs: " + name);
        }
        try {
            Object parsed = ConfigDef.parseType(name, value, key.type);
            if (key.validator != null) {
                key.validator.ensureValid(name, parsed);
            }
            return parsed;
        } catch (ConfigException e) {
            throw new InvalidConfigurationException(e.getMessage());
        }
    }

    private static Object parsedOrDefault(Map<String, Object> parsed, String name) {
        Object value = parsed.get(name);
        return value != null ? value : DEFINITION.configKeys().get(name).defaultValue;
    }

    /** gzip level: -1 (the codec's default) or 1..9. */
    private enum GzipLevel implements ConfigDef.Validator {
        INSTANCE;

        @Override
        public void ensureValid(String name, Object value) {
            int level = (Integer) value;
            if (level != -1 && (level < 1 || level > 9)) {
                throw new ConfigException(name, value, "Value must be -1 or between 1 and 9");
            }
        }

        @Override
        public String toString() {
            return "[1,...,9] or -1";
        }
    }

    /** A list of partitionId:brokerId pairs, or the single wildcard *. */
    private enum ThrottledReplicas implements ConfigDef.Validator {
        INSTANCE;

        @Override
        public void ensureValid(String name, Object value) {
            List<?> entries = (List<?>) value;
            if (entries.size() == 1 && "*".equals(String.valueOf(entries.get(0)).trim())) {
                return;
            }
            for (Object entry : entries) {
                if (!String.valueOf(entry).trim().matches("\\d+:\\d+")) {
                    throw new ConfigException(name, value,
                            name + " must be the literal '*' or a list of replicas in the following format: "
                                    + "[partitionId]:[brokerId],[partitionId]:[brokerId],...");
                }
            }
        }

        @Override
        public String toString() {
            return "[partitionId]:[brokerId],[partitionId]:[brokerId],...";
        }
    }
}
