package io.brook.broker.config;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;
import static org.apache.kafka.common.config.ConfigDef.Range.between;
import static org.apache.kafka.common.config.ConfigDef.Type.BOOLEAN;
import static org.apache.kafka.common.config.ConfigDef.Type.INT;
import static org.apache.kafka.common.config.ConfigDef.Type.LIST;
import static org.apache.kafka.common.config.ConfigDef.Type.LONG;
import static org.apache.kafka.common.config.ConfigDef.Type.SHORT;
import static org.apache.kafka.common.config.ConfigDef.Type.STRING;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The broker's static configuration, by Kafka's own property names, parsed once and validated together. Unknown
 * names are rejected by {@link #parse(Map)} so a typo stops start-up instead of being ignored.
 *
 * <p>Immutable and thread-safe.
 */
public final class BrokerConfig extends AbstractConfig {

    public static final String NODE_ID = "node.id";
    public static final String PROCESS_ROLES = "process.roles";
    public static final String LISTENERS = "listeners";
    public static final String ADVERTISED_LISTENERS = "advertised.listeners";
    public static final String LOG_DIRS = "log.dirs";
    public static final String LOG_DIR = "log.dir";
    public static final String NUM_PARTITIONS = "num.partitions";
    public static final String DEFAULT_REPLICATION_FACTOR = "default.replication.factor";
    public static final String AUTO_CREATE_TOPICS_ENABLE = "auto.create.topics.enable";
    public static final String DELETE_TOPIC_ENABLE = "delete.topic.enable";
    public static final String LOG_SEGMENT_BYTES = "log.segment.bytes";
    public static final String LOG_ROLL_MS = "log.roll.ms";
    public static final String LOG_ROLL_HOURS = "log.roll.hours";
    public static final String LOG_INDEX_INTERVAL_BYTES = "log.index.interval.bytes";
    public static final String LOG_INDEX_SIZE_MAX_BYTES = "log.index.size.max.bytes";
    public static final String LOG_FLUSH_INTERVAL_MESSAGES = "log.flush.interval.messages";
    public static final String LOG_FLUSH_INTERVAL_MS = "log.flush.interval.ms";
    public static final String LOG_MESSAGE_TIMESTAMP_TYPE = "log.message.timestamp.type";
    public static final String MESSAGE_MAX_BYTES = "message.max.bytes";
    public static final String SOCKET_REQUEST_MAX_BYTES = "socket.request.max.bytes";
    public static final String CLUSTER_ID = "cluster.id";

    static final ConfigDef DEFINITION = new ConfigDef()
            .define(NODE_ID, INT, 1, atLeast(0), HIGH, "The id of this node.")
            .define(PROCESS_ROLES, LIST, "broker,controller", HIGH,
                    "Roles of this node: broker, controller, or both (a single node runs both).")
            .define(LISTENERS, LIST, "PLAINTEXT://localhost:9092", HIGH,
                    "Addresses the Kafka protocol listens on, as NAME://host:port. A host name is bound on every"
                            + " address it resolves to, so the default listens on 127.0.0.1 and ::1 and localhost"
                            + " works however it resolves; an empty host binds all interfaces.")
            .define(ADVERTISED_LISTENERS, STRING, null, HIGH,
                    "Addresses given to clients in Metadata responses; defaults to the first listener, with"
                            + " localhost for a loopback host.")
            .define(LOG_DIRS, STRING, null, HIGH, "Comma-separated directories holding partition logs.")
            .define(LOG_DIR, STRING, "./data", HIGH, "The log directory when log.dirs is not set.")
            .define(NUM_PARTITIONS, INT, 1, atLeast(1), MEDIUM, "Partitions of an auto-created topic.")
            .define(DEFAULT_REPLICATION_FACTOR, SHORT, (short) 1, atLeast(1), MEDIUM,
                    "Replication factor of an auto-created topic.")
            .define(AUTO_CREATE_TOPICS_ENABLE, BOOLEAN, true, MEDIUM,
                    "Create a topic when a client asks for metadata of an unknown one.")
            .define(DELETE_TOPIC_ENABLE, BOOLEAN, true, MEDIUM, "Allow DeleteTopics.")
            .define(LOG_SEGMENT_BYTES, INT, 1024 * 1024 * 1024, atLeast(14), HIGH,
                    "Roll to a new segment when the active one would exceed this size.")
            .define(LOG_ROLL_MS, LONG, null, MEDIUM, "Roll a segment older than this (overrides log.roll.hours).")
            .define(LOG_ROLL_HOURS, INT, 168, atLeast(1), MEDIUM, "Roll a segment older than this.")
            .define(LOG_INDEX_INTERVAL_BYTES, INT, 4096, atLeast(0), MEDIUM,
                    "Bytes of records between two offset-index entries.")
            .define(LOG_INDEX_SIZE_MAX_BYTES, INT, 10 * 1024 * 1024, atLeast(4), MEDIUM,
                    "Maximum size of an offset or time index file.")
            .define(LOG_FLUSH_INTERVAL_MESSAGES, LONG, Long.MAX_VALUE, atLeast(1), HIGH,
                    "Fsync after this many messages. acks=all produce is always answered after fsync.")
            .define(LOG_FLUSH_INTERVAL_MS, LONG, null, HIGH, "Fsync data older than this.")
            .define(LOG_MESSAGE_TIMESTAMP_TYPE, STRING, "CreateTime",
                    ConfigDef.ValidString.in("CreateTime", "LogAppendTime"), MEDIUM,
                    "Whether record timestamps are the producer's or the broker's append time.")
            .define(MESSAGE_MAX_BYTES, INT, 1048588, atLeast(0), HIGH, "Largest record batch accepted.")
            .define(SOCKET_REQUEST_MAX_BYTES, INT, 104857600, atLeast(1), HIGH,
                    "Largest request accepted; a bigger size prefix closes the connection.")
            .define(CLUSTER_ID, STRING, null, LOW,
                    "Cluster id; generated and stored in the log directory on first start when unset.")
            .define("controller.quorum.voters", STRING, "", LOW, "Controller quorum (cluster mode).")
            .define("controller.listener.names", STRING, "", LOW, "Listener names used by controllers.")
            .define("min.insync.replicas", INT, 1, between(1, Short.MAX_VALUE), MEDIUM,
                    "Minimum in-sync replicas for acks=all produce.");

    private BrokerConfig(Map<?, ?> props) {
        super(DEFINITION, props, false);
    }

    /**
     * Parses and validates. Throws {@link org.apache.kafka.common.config.ConfigException} naming the first unknown
     * or invalid property.
     */
    public static BrokerConfig parse(Map<String, String> props) {
        for (String name : props.keySet()) {
            if (!DEFINITION.names().contains(name)) {
                throw new org.apache.kafka.common.config.ConfigException(
                        "Unknown configuration '" + name + "'");
            }
        }
        return new BrokerConfig(props);
    }

    public static ConfigDef definition() {
        return DEFINITION;
    }

    public int nodeId() {
        return getInt(NODE_ID);
    }

    public List<String> listeners() {
        return getList(LISTENERS);
    }

    public List<String> logDirs() {
        String dirs = getString(LOG_DIRS);
        return List.of((dirs != null ? dirs : getString(LOG_DIR)).split("\\s*,\\s*"));
    }

    public int numPartitions() {
        return getInt(NUM_PARTITIONS);
    }

    public short defaultReplicationFactor() {
        return getShort(DEFAULT_REPLICATION_FACTOR);
    }

    public boolean autoCreateTopicsEnable() {
        return getBoolean(AUTO_CREATE_TOPICS_ENABLE);
    }

    public int messageMaxBytes() {
        return getInt(MESSAGE_MAX_BYTES);
    }

    public int socketRequestMaxBytes() {
        return getInt(SOCKET_REQUEST_MAX_BYTES);
    }

    public int logSegmentBytes() {
        return getInt(LOG_SEGMENT_BYTES);
    }

    public long logRollMs() {
        Long ms = getLong(LOG_ROLL_MS);
        return ms != null ? ms : getInt(LOG_ROLL_HOURS) * 3_600_000L;
    }

    public long logFlushIntervalMessages() {
        return getLong(LOG_FLUSH_INTERVAL_MESSAGES);
    }

    public long logFlushIntervalMs() {
        Long ms = getLong(LOG_FLUSH_INTERVAL_MS);
        return ms != null ? ms : Long.MAX_VALUE;
    }
}
