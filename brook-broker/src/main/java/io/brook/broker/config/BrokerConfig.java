package io.brook.broker.config;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;
import static org.apache.kafka.common.config.ConfigDef.Range.between;
import static org.apache.kafka.common.config.ConfigDef.Type.BOOLEAN;
import static org.apache.kafka.common.config.ConfigDef.Type.DOUBLE;
import static org.apache.kafka.common.config.ConfigDef.Type.INT;
import static org.apache.kafka.common.config.ConfigDef.Type.LIST;
import static org.apache.kafka.common.config.ConfigDef.Type.LONG;
import static org.apache.kafka.common.config.ConfigDef.Type.SHORT;
import static org.apache.kafka.common.config.ConfigDef.Type.STRING;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

import org.apache.kafka.common.Endpoint;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.internals.BrokerSecurityConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.security.ssl.SslPrincipalMapper;

import io.brook.metadata.quorum.QuorumVoters;

/**
 * The broker's static configuration, by Kafka's own property names and defaults (Brook departs from Kafka's default
 * only where a single command must start a working node: {@code node.id}, {@code process.roles}, {@code listeners},
 * {@code controller.listener.names}, {@code controller.quorum.voters}, {@code log.dir}). Parsed once and validated together by {@link #parse(Map)}: an unknown name, a bad value or an
 * inconsistent combination throws a {@link ConfigException} naming the setting, so a typo stops start-up instead of
 * being ignored.
 *
 * <p>Settings that Brook accepts so a Kafka {@code server.properties} carries over, but does not act on yet, are
 * listed by {@link #status(String)} and in the generated {@code docs/configuration.md}. Remove a name from that list
 * in the same commit that makes the code honour it.
 *
 * <p>Immutable and thread-safe.
 */
public final class BrokerConfig extends AbstractConfig {

    // Server basics
    public static final String NODE_ID = "node.id";
    public static final String BROKER_ID = "broker.id";
    public static final String PROCESS_ROLES = "process.roles";
    public static final String CLUSTER_ID = "cluster.id";
    public static final String BROKER_RACK = "broker.rack";
    // Controller quorum
    public static final String CONTROLLER_QUORUM_VOTERS = "controller.quorum.voters";
    public static final String CONTROLLER_QUORUM_BOOTSTRAP_SERVERS = "controller.quorum.bootstrap.servers";
    public static final String CONTROLLER_LISTENER_NAMES = "controller.listener.names";
    public static final String CONTROLLER_QUORUM_REQUEST_TIMEOUT_MS = "controller.quorum.request.timeout.ms";
    public static final String CONTROLLER_QUORUM_ELECTION_TIMEOUT_MS = "controller.quorum.election.timeout.ms";
    public static final String METADATA_LOG_DIR = "metadata.log.dir";
    public static final String BROKER_HEARTBEAT_INTERVAL_MS = "broker.heartbeat.interval.ms";
    public static final String BROKER_SESSION_TIMEOUT_MS = "broker.session.timeout.ms";
    public static final String INITIAL_BROKER_REGISTRATION_TIMEOUT_MS = "initial.broker.registration.timeout.ms";
    // Listeners and socket server
    public static final String LISTENERS = "listeners";
    public static final String ADVERTISED_LISTENERS = "advertised.listeners";
    public static final String LISTENER_SECURITY_PROTOCOL_MAP = "listener.security.protocol.map";
    public static final String INTER_BROKER_LISTENER_NAME = "inter.broker.listener.name";
    public static final String SECURITY_INTER_BROKER_PROTOCOL = "security.inter.broker.protocol";
    public static final String NUM_NETWORK_THREADS = "num.network.threads";
    public static final String NUM_IO_THREADS = "num.io.threads";
    public static final String QUEUED_MAX_REQUESTS = "queued.max.requests";
    public static final String SOCKET_SEND_BUFFER_BYTES = "socket.send.buffer.bytes";
    public static final String SOCKET_RECEIVE_BUFFER_BYTES = "socket.receive.buffer.bytes";
    public static final String SOCKET_REQUEST_MAX_BYTES = "socket.request.max.bytes";
    public static final String CONNECTIONS_MAX_IDLE_MS = "connections.max.idle.ms";
    public static final String MAX_CONNECTIONS = "max.connections";
    public static final String MAX_CONNECTIONS_PER_IP = "max.connections.per.ip";
    public static final String MAX_CONNECTIONS_PER_IP_OVERRIDES = "max.connections.per.ip.overrides";
    public static final String MAX_CONNECTION_CREATION_RATE = "max.connection.creation.rate";
    public static final String SASL_ENABLED_MECHANISMS = BrokerSecurityConfigs.SASL_ENABLED_MECHANISMS_CONFIG;
    public static final String SASL_MECHANISM_INTER_BROKER_PROTOCOL = "sasl.mechanism.inter.broker.protocol";
    public static final String CONNECTIONS_MAX_REAUTH_MS = BrokerSecurityConfigs.CONNECTIONS_MAX_REAUTH_MS_CONFIG;
    public static final String CONNECTION_FAILED_AUTHENTICATION_DELAY_MS = "connection.failed.authentication.delay.ms";
    /** Suffix of {@code listener.name.<listener>.<mechanism>.sasl.jaas.config}. */
    public static final String SASL_JAAS_CONFIG = "sasl.jaas.config";

    public static final String HTTP_LISTENERS = "http.listeners";
    public static final String HTTP_METRICS_ENABLED = "http.metrics.enabled";
    /** One http.listeners entry; defined before DEFINITION, whose validator checks the default with it. */
    private static final Pattern HTTP_LISTENER = Pattern
            .compile("(?i)^http://(\\[[^\\]]*\\]|[^:/\\[\\]]*):(\\d{1,5})/?$");

    /** The SASL mechanisms Brook implements. */
    public static final List<String> SUPPORTED_SASL_MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
    // Log basics
    public static final String LOG_DIRS = "log.dirs";
    public static final String LOG_DIR = "log.dir";
    public static final String NUM_PARTITIONS = "num.partitions";
    public static final String NUM_RECOVERY_THREADS_PER_DATA_DIR = "num.recovery.threads.per.data.dir";
    public static final String DEFAULT_REPLICATION_FACTOR = "default.replication.factor";
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
    public static final String AUTO_CREATE_TOPICS_ENABLE = "auto.create.topics.enable";
    public static final String DELETE_TOPIC_ENABLE = "delete.topic.enable";
    public static final String MESSAGE_MAX_BYTES = "message.max.bytes";
    public static final String COMPRESSION_TYPE = "compression.type";
    public static final String COMPRESSION_GZIP_LEVEL = "compression.gzip.level";
    public static final String COMPRESSION_LZ4_LEVEL = "compression.lz4.level";
    public static final String COMPRESSION_ZSTD_LEVEL = "compression.zstd.level";
    public static final String LOG_MESSAGE_TIMESTAMP_TYPE = "log.message.timestamp.type";
    public static final String LOG_MESSAGE_TIMESTAMP_BEFORE_MAX_MS = "log.message.timestamp.before.max.ms";
    public static final String LOG_MESSAGE_TIMESTAMP_AFTER_MAX_MS = "log.message.timestamp.after.max.ms";
    // Segments and indexes
    public static final String LOG_SEGMENT_BYTES = "log.segment.bytes";
    public static final String LOG_ROLL_MS = "log.roll.ms";
    public static final String LOG_ROLL_HOURS = "log.roll.hours";
    public static final String LOG_INDEX_INTERVAL_BYTES = "log.index.interval.bytes";
    public static final String LOG_INDEX_SIZE_MAX_BYTES = "log.index.size.max.bytes";
    public static final String LOG_PREALLOCATE = "log.preallocate";
    // Flush
    public static final String LOG_FLUSH_INTERVAL_MESSAGES = "log.flush.interval.messages";
    public static final String LOG_FLUSH_INTERVAL_MS = "log.flush.interval.ms";
    public static final String LOG_FLUSH_SCHEDULER_INTERVAL_MS = "log.flush.scheduler.interval.ms";
    public static final String LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS = "log.flush.offset.checkpoint.interval.ms";
    // Retention and cleanup
    public static final String LOG_RETENTION_MS = "log.retention.ms";
    public static final String LOG_RETENTION_MINUTES = "log.retention.minutes";
    public static final String LOG_RETENTION_HOURS = "log.retention.hours";
    public static final String LOG_RETENTION_BYTES = "log.retention.bytes";
    public static final String LOG_RETENTION_CHECK_INTERVAL_MS = "log.retention.check.interval.ms";
    public static final String LOG_CLEANUP_POLICY = "log.cleanup.policy";
    public static final String LOG_CLEANER_ENABLE = "log.cleaner.enable";
    public static final String LOG_CLEANER_THREADS = "log.cleaner.threads";
    public static final String LOG_CLEANER_DEDUPE_BUFFER_SIZE = "log.cleaner.dedupe.buffer.size";
    public static final String LOG_CLEANER_IO_BUFFER_SIZE = "log.cleaner.io.buffer.size";
    public static final String LOG_CLEANER_BACKOFF_MS = "log.cleaner.backoff.ms";
    public static final String LOG_CLEANER_MIN_CLEANABLE_RATIO = "log.cleaner.min.cleanable.ratio";
    public static final String LOG_CLEANER_MIN_COMPACTION_LAG_MS = "log.cleaner.min.compaction.lag.ms";
    public static final String LOG_CLEANER_MAX_COMPACTION_LAG_MS = "log.cleaner.max.compaction.lag.ms";
    public static final String LOG_CLEANER_DELETE_RETENTION_MS = "log.cleaner.delete.retention.ms";
    public static final String LOG_SEGMENT_DELETE_DELAY_MS = "log.segment.delete.delay.ms";
    // Replication
    public static final String UNCLEAN_LEADER_ELECTION_ENABLE = "unclean.leader.election.enable";
    public static final String AUTO_LEADER_REBALANCE_ENABLE = "auto.leader.rebalance.enable";
    public static final String LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS = "leader.imbalance.check.interval.seconds";
    public static final String REPLICA_LAG_TIME_MAX_MS = "replica.lag.time.max.ms";
    public static final String NUM_REPLICA_FETCHERS = "num.replica.fetchers";
    public static final String REPLICA_FETCH_MAX_BYTES = "replica.fetch.max.bytes";
    public static final String REPLICA_FETCH_MIN_BYTES = "replica.fetch.min.bytes";
    public static final String REPLICA_FETCH_WAIT_MAX_MS = "replica.fetch.wait.max.ms";
    public static final String REPLICA_FETCH_BACKOFF_MS = "replica.fetch.backoff.ms";
    public static final String REPLICA_FETCH_RESPONSE_MAX_BYTES = "replica.fetch.response.max.bytes";
    public static final String REPLICA_SOCKET_TIMEOUT_MS = "replica.socket.timeout.ms";
    // Internal topics, groups and transactions
    public static final String OFFSETS_TOPIC_REPLICATION_FACTOR = "offsets.topic.replication.factor";
    public static final String OFFSETS_TOPIC_NUM_PARTITIONS = "offsets.topic.num.partitions";
    public static final String OFFSETS_RETENTION_MINUTES = "offsets.retention.minutes";
    public static final String OFFSETS_COMMIT_TIMEOUT_MS = "offsets.commit.timeout.ms";
    public static final String TRANSACTION_STATE_LOG_REPLICATION_FACTOR = "transaction.state.log.replication.factor";
    public static final String TRANSACTION_STATE_LOG_MIN_ISR = "transaction.state.log.min.isr";
    public static final String TRANSACTION_STATE_LOG_NUM_PARTITIONS = "transaction.state.log.num.partitions";
    public static final String TRANSACTION_MAX_TIMEOUT_MS = "transaction.max.timeout.ms";
    public static final String TRANSACTION_STATE_LOG_SEGMENT_BYTES = "transaction.state.log.segment.bytes";
    public static final String TRANSACTION_ABORT_TIMED_OUT_CLEANUP_INTERVAL_MS = "transaction.abort.timed.out.transaction.cleanup.interval.ms";
    public static final String TRANSACTIONAL_ID_EXPIRATION_MS = "transactional.id.expiration.ms";
    public static final String TRANSACTION_REMOVE_EXPIRED_CLEANUP_INTERVAL_MS = "transaction.remove.expired.transaction.cleanup.interval.ms";
    public static final String TRANSACTION_PARTITION_VERIFICATION_ENABLE = "transaction.partition.verification.enable";
    public static final String ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MS = "add.partitions.to.txn.retry.backoff.ms";
    public static final String ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MAX_MS = "add.partitions.to.txn.retry.backoff.max.ms";
    public static final String SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR = "share.coordinator.state.topic.replication.factor";
    public static final String SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR = "share.coordinator.state.topic.min.isr";
    public static final String GROUP_INITIAL_REBALANCE_DELAY_MS = "group.initial.rebalance.delay.ms";
    public static final String GROUP_MIN_SESSION_TIMEOUT_MS = "group.min.session.timeout.ms";
    public static final String GROUP_MAX_SESSION_TIMEOUT_MS = "group.max.session.timeout.ms";
    public static final String GROUP_MAX_SIZE = "group.max.size";
    public static final String OFFSETS_RETENTION_CHECK_INTERVAL_MS = "offsets.retention.check.interval.ms";
    public static final String OFFSET_METADATA_MAX_BYTES = "offset.metadata.max.bytes";
    // The consumer group protocol (KIP-848)
    public static final String GROUP_COORDINATOR_REBALANCE_PROTOCOLS = "group.coordinator.rebalance.protocols";
    public static final String GROUP_CONSUMER_SESSION_TIMEOUT_MS = "group.consumer.session.timeout.ms";
    public static final String GROUP_CONSUMER_MIN_SESSION_TIMEOUT_MS = "group.consumer.min.session.timeout.ms";
    public static final String GROUP_CONSUMER_MAX_SESSION_TIMEOUT_MS = "group.consumer.max.session.timeout.ms";
    public static final String GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS = "group.consumer.heartbeat.interval.ms";
    public static final String GROUP_CONSUMER_MIN_HEARTBEAT_INTERVAL_MS = "group.consumer.min.heartbeat.interval.ms";
    public static final String GROUP_CONSUMER_MAX_HEARTBEAT_INTERVAL_MS = "group.consumer.max.heartbeat.interval.ms";
    public static final String GROUP_CONSUMER_MAX_SIZE = "group.consumer.max.size";
    public static final String GROUP_CONSUMER_ASSIGNORS = "group.consumer.assignors";
    public static final String GROUP_CONSUMER_MIGRATION_POLICY = "group.consumer.migration.policy";
    // TLS (Kafka's names, from kafka-clients' SslConfigs and BrokerSecurityConfigs)
    public static final String SSL_PROTOCOL = SslConfigs.SSL_PROTOCOL_CONFIG;
    public static final String SSL_PROVIDER = SslConfigs.SSL_PROVIDER_CONFIG;
    public static final String SSL_CIPHER_SUITES = SslConfigs.SSL_CIPHER_SUITES_CONFIG;
    public static final String SSL_ENABLED_PROTOCOLS = SslConfigs.SSL_ENABLED_PROTOCOLS_CONFIG;
    public static final String SSL_KEYSTORE_TYPE = SslConfigs.SSL_KEYSTORE_TYPE_CONFIG;
    public static final String SSL_KEYSTORE_LOCATION = SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG;
    public static final String SSL_KEYSTORE_PASSWORD = SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG;
    public static final String SSL_KEY_PASSWORD = SslConfigs.SSL_KEY_PASSWORD_CONFIG;
    public static final String SSL_KEYSTORE_KEY = SslConfigs.SSL_KEYSTORE_KEY_CONFIG;
    public static final String SSL_KEYSTORE_CERTIFICATE_CHAIN = SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG;
    public static final String SSL_TRUSTSTORE_TYPE = SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG;
    public static final String SSL_TRUSTSTORE_LOCATION = SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG;
    public static final String SSL_TRUSTSTORE_PASSWORD = SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG;
    public static final String SSL_TRUSTSTORE_CERTIFICATES = SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG;
    public static final String SSL_KEYMANAGER_ALGORITHM = SslConfigs.SSL_KEYMANAGER_ALGORITHM_CONFIG;
    public static final String SSL_TRUSTMANAGER_ALGORITHM = SslConfigs.SSL_TRUSTMANAGER_ALGORITHM_CONFIG;
    public static final String SSL_ENDPOINT_IDENTIFICATION_ALGORITHM = SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG;
    public static final String SSL_SECURE_RANDOM_IMPLEMENTATION = SslConfigs.SSL_SECURE_RANDOM_IMPLEMENTATION_CONFIG;
    public static final String SSL_CLIENT_AUTH = BrokerSecurityConfigs.SSL_CLIENT_AUTH_CONFIG;
    public static final String SSL_PRINCIPAL_MAPPING_RULES = BrokerSecurityConfigs.SSL_PRINCIPAL_MAPPING_RULES_CONFIG;
    // Authorization
    public static final String AUTHORIZER_CLASS_NAME = "authorizer.class.name";
    public static final String SUPER_USERS = "super.users";
    public static final String QUOTA_WINDOW_NUM = "quota.window.num";
    public static final String QUOTA_WINDOW_SIZE_SECONDS = "quota.window.size.seconds";
    public static final String ALLOW_EVERYONE_IF_NO_ACL_FOUND = "allow.everyone.if.no.acl.found";
    /** Kafka's KRaft authorizer, which selects Brook's built-in ACL authorizer. */
    public static final String STANDARD_AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";
    public static final String SSL_ALLOW_DN_CHANGES = BrokerSecurityConfigs.SSL_ALLOW_DN_CHANGES_CONFIG;
    public static final String SSL_ALLOW_SAN_CHANGES = BrokerSecurityConfigs.SSL_ALLOW_SAN_CHANGES_CONFIG;
    /** Prefix of a per-listener override, as in Kafka: {@code listener.name.<lower-case name>.<setting>}. */
    public static final String LISTENER_PREFIX = "listener.name.";

    /** Status text of a setting that Brook reads and honours. */
    public static final String STATUS_SUPPORTED = "supported";
    /** Status text of a setting that is parsed and validated, but has no effect yet. */
    public static final String STATUS_NOT_ACTED_ON = "accepted, not acted on yet";

    /** How often SSL listeners look whether their key and trust store files changed. */
    public static final int KEYSTORE_RELOAD_CHECK_SECONDS = 30;

    private static final String DEFAULT_SECURITY_PROTOCOL_MAP = "PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL";

    static final ConfigDef DEFINITION = new Definitions()
            .group("Server basics")
            .define(NODE_ID, INT, 1, atLeast(0), HIGH,
                    "The id of this node. Kafka requires it; Brook defaults to 1 so a single node starts without"
                            + " a file.")
            .define(BROKER_ID, INT, -1, atLeast(-1), LOW,
                    "Older name of node.id. When set it must equal node.id (or stands for it when node.id is not"
                            + " set).")
            .define(PROCESS_ROLES, LIST, "broker,controller", ConfigDef.ValidList.in("broker", "controller"), HIGH,
                    "Roles of this node: broker, controller, or both. Kafka requires it; Brook defaults to a"
                            + " combined single node.")
            .define(CLUSTER_ID, STRING, null, LOW,
                    "Cluster id; generated and stored in the log directory's meta.properties on first start when"
                            + " unset. When set it must match the stored one.")
            .define(BROKER_RACK, STRING, null, LOW, "Rack of this broker, used for rack-aware replica placement.")
            .group("Controller quorum")
            .define(CONTROLLER_QUORUM_VOTERS, LIST, "", MEDIUM,
                    "The controller quorum's voters as id@host:port entries; each port carries the metadata"
                            + " quorum's Raft traffic (Apache Ratis), not the Kafka protocol. When unset, a"
                            + " controller node is the only voter, at its controller listener (node.id@localhost:9093"
                            + " with the default listeners); Kafka requires it or the bootstrap servers.")
            .define(CONTROLLER_QUORUM_BOOTSTRAP_SERVERS, LIST, "", MEDIUM,
                    "host:port entries of controllers' controller listeners (their Raft ports). A broker-only node"
                            + " without controller.quorum.voters asks them for the voters at start-up and then"
                            + " follows the quorum. A controller without controller.quorum.voters is the only voter"
                            + " (as Kafka's kafka-storage format --standalone), so it may list at most one entry,"
                            + " itself: Brook has no dynamic voter changes (kafka-metadata-quorum add-controller)."
                            + " Ignored when controller.quorum.voters is set.")
            .define(CONTROLLER_LISTENER_NAMES, LIST, "CONTROLLER", MEDIUM,
                    "Names of the listeners used by controllers; the first one found in listeners is this node's"
                            + " quorum address. Kafka has no default.")
            .define(CONTROLLER_QUORUM_REQUEST_TIMEOUT_MS, INT, 2000, atLeast(1), MEDIUM,
                    "How long a metadata command or a broker heartbeat waits for the quorum to commit or answer"
                            + " before it fails.")
            .define(CONTROLLER_QUORUM_ELECTION_TIMEOUT_MS, INT, 1000, atLeast(1), MEDIUM,
                    "How long a voter waits without hearing from a leader before it calls an election (Ratis"
                            + " picks a random timeout between this and twice it).")
            .define(METADATA_LOG_DIR, STRING, null, HIGH,
                    "Directory of the metadata quorum's log and snapshots (under __cluster_metadata in it); the"
                            + " first log directory when unset.")
            .define(BROKER_HEARTBEAT_INTERVAL_MS, INT, 2000, atLeast(1), MEDIUM,
                    "How often a broker heartbeats to the active controller.")
            .define(BROKER_SESSION_TIMEOUT_MS, INT, 9000, atLeast(1), MEDIUM,
                    "A broker that has not heartbeated for this long is fenced: its leaderships move.")
            .define(INITIAL_BROKER_REGISTRATION_TIMEOUT_MS, INT, 60000, atLeast(1), MEDIUM,
                    "How long a starting broker waits to be registered and unfenced before it gives up.")
            .group("Listeners and socket server")
            .define(LISTENERS, LIST, "PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093", HIGH,
                    "Addresses the node listens on, as NAME://host:port. A host name is bound on every address it"
                            + " resolves to, so the default listens on 127.0.0.1 and ::1 and localhost works however"
                            + " it resolves; an empty host binds all interfaces; port 0 picks a free port. A listener"
                            + " named in controller.listener.names carries the metadata quorum's Raft traffic, not"
                            + " the Kafka protocol. Without one, a node that is the only controller and has no"
                            + " controller.quorum.voters runs its quorum on a free loopback port. Kafka's default"
                            + " is PLAINTEXT://:9092.")
            .define(ADVERTISED_LISTENERS, STRING, null, HIGH,
                    "Addresses given to clients in Metadata responses, as NAME://host:port; defaults to the"
                            + " listeners, with localhost for a loopback or empty host.")
            .define(LISTENER_SECURITY_PROTOCOL_MAP, STRING, DEFAULT_SECURITY_PROTOCOL_MAP, HIGH,
                    "Security protocol of each listener name, as NAME:PROTOCOL pairs: PLAINTEXT, SSL,"
                            + " SASL_PLAINTEXT or SASL_SSL. Controller listeners (Raft traffic) must be PLAINTEXT.")
            .define(INTER_BROKER_LISTENER_NAME, STRING, null, MEDIUM,
                    "Listener brokers use to talk to each other (replica fetches); an SSL one makes brokers"
                            + " connect to each other with TLS, using the ssl.* settings of that listener for their"
                            + " client side. Must not be set together with security.inter.broker.protocol.")
            .define(SECURITY_INTER_BROKER_PROTOCOL, STRING, "PLAINTEXT",
                    ConfigDef.ValidString.in("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"), MEDIUM,
                    "Security protocol between brokers, when inter.broker.listener.name is not set.")
            .define(NUM_NETWORK_THREADS, INT, 3, atLeast(1), HIGH, "Threads that read and write sockets.")
            .define(NUM_IO_THREADS, INT, 8, atLeast(1), HIGH, "Threads that process requests.")
            .define(QUEUED_MAX_REQUESTS, INT, 500, atLeast(1), MEDIUM,
                    "Requests queued for the I/O threads before the network threads stop reading.")
            .define(SOCKET_SEND_BUFFER_BYTES, INT, 100 * 1024, HIGH,
                    "SO_SNDBUF of server sockets; -1 keeps the OS default.")
            .define(SOCKET_RECEIVE_BUFFER_BYTES, INT, 100 * 1024, HIGH,
                    "SO_RCVBUF of server sockets; -1 keeps the OS default.")
            .define(SOCKET_REQUEST_MAX_BYTES, INT, 100 * 1024 * 1024, atLeast(1), HIGH,
                    "Largest request accepted; a bigger size prefix closes the connection.")
            .define(CONNECTIONS_MAX_IDLE_MS, LONG, 10 * 60 * 1000L, MEDIUM,
                    "Close connections that sent no complete request and got no response for this long while no request was"
                            + " outstanding (a trickling or silent client is idle); -1 never closes them.")
            .group("Log basics")
            .define(LOG_DIRS, STRING, null, HIGH,
                    "Comma-separated directories holding partition logs; log.dir is used when unset.")
            .define(LOG_DIR, STRING, "./data", HIGH,
                    "The log directory when log.dirs is not set, relative to the working directory. Kafka's"
                            + " default is /tmp/kafka-logs.")
            .define(NUM_PARTITIONS, INT, 1, atLeast(1), MEDIUM, "Partitions of a topic created without a count.")
            .define(NUM_RECOVERY_THREADS_PER_DATA_DIR, INT, 2, atLeast(1), HIGH,
                    "Threads per log directory recovering logs at start-up and flushing them at shutdown.")
            .define(DEFAULT_REPLICATION_FACTOR, SHORT, (short) 1, atLeast(1), MEDIUM,
                    "Replication factor of a topic created without one.")
            .define(MIN_INSYNC_REPLICAS, INT, 1, between(1, Short.MAX_VALUE), HIGH,
                    "Minimum in-sync replicas for an acks=all produce to succeed.")
            .define(AUTO_CREATE_TOPICS_ENABLE, BOOLEAN, true, HIGH,
                    "Create a topic when a client asks for metadata of an unknown one.")
            .define(DELETE_TOPIC_ENABLE, BOOLEAN, true, HIGH, "Allow DeleteTopics.")
            .define(MESSAGE_MAX_BYTES, INT, 1024 * 1024 + 12, atLeast(0), HIGH,
                    "Largest record batch accepted (after compression).")
            .define(COMPRESSION_TYPE, STRING, "producer",
                    ConfigDef.ValidString.in("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"), HIGH,
                    "Compression stored on disk; 'producer' keeps what the producer sent, any other value makes the"
                            + " broker recompress batches that arrive in another codec.")
            .define(COMPRESSION_GZIP_LEVEL, INT, -1, gzipLevel(), MEDIUM,
                    "Level of gzip when the broker recompresses to gzip (-1: the codec's default).")
            .define(COMPRESSION_LZ4_LEVEL, INT, 9, between(1, 17), MEDIUM,
                    "Level of lz4 when the broker recompresses to lz4.")
            .define(COMPRESSION_ZSTD_LEVEL, INT, 3, between(-131072, 22), MEDIUM,
                    "Level of zstd when the broker recompresses to zstd.")
            .define(LOG_MESSAGE_TIMESTAMP_TYPE, STRING, "CreateTime",
                    ConfigDef.ValidString.in("CreateTime", "LogAppendTime"), MEDIUM,
                    "Whether record timestamps are the producer's or the broker's append time.")
            .define(LOG_MESSAGE_TIMESTAMP_BEFORE_MAX_MS, LONG, Long.MAX_VALUE, atLeast(0), MEDIUM,
                    "How far in the past a CreateTime timestamp may be before the batch is rejected.")
            .define(LOG_MESSAGE_TIMESTAMP_AFTER_MAX_MS, LONG, 60 * 60 * 1000L, atLeast(0), MEDIUM,
                    "How far in the future a CreateTime timestamp may be before the batch is rejected.")
            .group("Segments and indexes")
            .define(LOG_SEGMENT_BYTES, INT, 1024 * 1024 * 1024, atLeast(14), HIGH,
                    "Roll to a new segment when the active one would exceed this size.")
            .define(LOG_ROLL_MS, LONG, null, HIGH,
                    "Roll a segment whose first record is older than this; overrides log.roll.hours.")
            .define(LOG_ROLL_HOURS, INT, 24 * 7, atLeast(1), HIGH,
                    "Roll a segment whose first record is older than this.")
            .define(LOG_INDEX_INTERVAL_BYTES, INT, 4096, atLeast(0), MEDIUM,
                    "Bytes of records between two offset-index entries.")
            .define(LOG_INDEX_SIZE_MAX_BYTES, INT, 10 * 1024 * 1024, atLeast(4), MEDIUM,
                    "Maximum size of an offset or time index file.")
            .define(LOG_PREALLOCATE, BOOLEAN, false, MEDIUM, "Preallocate the file of a new segment.")
            .group("Flush")
            .define(LOG_FLUSH_INTERVAL_MESSAGES, LONG, Long.MAX_VALUE, atLeast(1), HIGH,
                    "Fsync a partition after this many messages.")
            .define(LOG_FLUSH_INTERVAL_MS, LONG, null, HIGH,
                    "Fsync a partition whose unflushed data is older than this; unset means never by time.")
            .define(LOG_FLUSH_SCHEDULER_INTERVAL_MS, LONG, Long.MAX_VALUE, HIGH,
                    "How often the flusher checks whether a log needs flushing.")
            .define(LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS, INT, 60_000, atLeast(0), HIGH,
                    "How often the recovery point of each log is written to its checkpoint file.")
            .group("Retention and cleanup")
            .define(LOG_RETENTION_MS, LONG, null, HIGH,
                    "Delete segments older than this; -1 keeps them forever. Overrides the minutes and hours.")
            .define(LOG_RETENTION_MINUTES, INT, null, HIGH, "Retention in minutes when log.retention.ms is unset.")
            .define(LOG_RETENTION_HOURS, INT, 24 * 7, HIGH,
                    "Retention in hours when log.retention.ms and log.retention.minutes are unset.")
            .define(LOG_RETENTION_BYTES, LONG, -1L, HIGH,
                    "Delete old segments while a partition is larger than this; -1 means no size limit.")
            .define(LOG_RETENTION_CHECK_INTERVAL_MS, LONG, 5 * 60 * 1000L, atLeast(1), MEDIUM,
                    "How often retention is checked.")
            .define(LOG_CLEANUP_POLICY, LIST, "delete", ConfigDef.ValidList.in("compact", "delete"), MEDIUM,
                    "What happens to segments beyond retention: delete, compact, or both.")
            .define(LOG_CLEANER_ENABLE, BOOLEAN, true, MEDIUM, "Run the log cleaner (compaction).")
            .define(LOG_CLEANER_THREADS, INT, 1, atLeast(0), MEDIUM,
                    "Threads of the log cleaner; each cleans one compacted log at a time.")
            .define(LOG_CLEANER_DEDUPE_BUFFER_SIZE, LONG, 128L * 1024 * 1024, MEDIUM,
                    "Memory of the cleaner's key maps, all threads together (24 bytes per key). A dirty log with "
                            + "more keys is cleaned in several passes.")
            .define(LOG_CLEANER_IO_BUFFER_SIZE, INT, 512 * 1024, atLeast(0), MEDIUM,
                    "Read and write buffers of the cleaner, all threads together.")
            .define(LOG_CLEANER_BACKOFF_MS, LONG, 15_000L, atLeast(0), MEDIUM,
                    "How long a cleaner thread waits when no log needs cleaning.")
            .define(LOG_CLEANER_MIN_CLEANABLE_RATIO, DOUBLE, 0.5, between(0, 1), MEDIUM,
                    "Default min.cleanable.dirty.ratio: clean a log once dirty bytes reach this share of it.")
            .define(LOG_CLEANER_MIN_COMPACTION_LAG_MS, LONG, 0L, atLeast(0), MEDIUM,
                    "Default min.compaction.lag.ms: records younger than this are not compacted.")
            .define(LOG_CLEANER_MAX_COMPACTION_LAG_MS, LONG, Long.MAX_VALUE, atLeast(1), MEDIUM,
                    "Default max.compaction.lag.ms: a log with older dirty records is cleaned whatever its ratio.")
            .define(LOG_CLEANER_DELETE_RETENTION_MS, LONG, 24 * 60 * 60 * 1000L, atLeast(0), MEDIUM,
                    "Default delete.retention.ms: how long a tombstone stays after its segment was first cleaned.")
            .define(LOG_SEGMENT_DELETE_DELAY_MS, LONG, 60_000L, atLeast(0), MEDIUM,
                    "How long segments replaced by the cleaner stay open for reads under way before deletion.")
            .group("Replication")
            .define(UNCLEAN_LEADER_ELECTION_ENABLE, BOOLEAN, false, HIGH,
                    "Let an out-of-sync replica become leader when no in-sync one is left (may lose data).")
            .define(AUTO_LEADER_REBALANCE_ENABLE, BOOLEAN, true, HIGH,
                    "The active controller moves leadership back to preferred replicas (the first of each"
                            + " partition's replicas) when they are in sync and available again.")
            .define(LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS, LONG, 300L, atLeast(1), HIGH,
                    "How often the active controller looks for partitions to give back to their preferred"
                            + " leader (with auto.leader.rebalance.enable).")
            .define(REPLICA_LAG_TIME_MAX_MS, LONG, 30_000L, HIGH,
                    "A follower that has not caught up for this long leaves the ISR.")
            .define(NUM_REPLICA_FETCHERS, INT, 1, atLeast(1), HIGH, "Fetcher threads per source broker.")
            .define(REPLICA_FETCH_MAX_BYTES, INT, 1024 * 1024, atLeast(0), MEDIUM,
                    "Bytes a follower asks for per partition in one fetch (at least one batch is always returned).")
            .define(REPLICA_FETCH_MIN_BYTES, INT, 1, MEDIUM,
                    "Bytes a follower fetch waits for, up to replica.fetch.wait.max.ms.")
            .define(REPLICA_FETCH_WAIT_MAX_MS, INT, 500, atLeast(0), MEDIUM,
                    "Longest time the leader holds a follower fetch waiting for data.")
            .define(REPLICA_FETCH_BACKOFF_MS, INT, 1000, atLeast(0), MEDIUM,
                    "Pause of a follower after a failed fetch from its leader.")
            .define(REPLICA_FETCH_RESPONSE_MAX_BYTES, INT, 10 * 1024 * 1024, atLeast(0), MEDIUM,
                    "Bytes a follower asks for in one fetch over all partitions.")
            .define(REPLICA_SOCKET_TIMEOUT_MS, INT, 30 * 1000, atLeast(1), MEDIUM,
                    "Socket timeout of follower fetches; must exceed replica.fetch.wait.max.ms.")
            .group("Groups, transactions and internal topics")
            .define(OFFSETS_TOPIC_REPLICATION_FACTOR, SHORT, (short) 3, atLeast(1), HIGH,
                    "Replication factor of __consumer_offsets. Until this many brokers are registered the topic"
                            + " cannot be created and groups have no coordinator, as in Kafka; a single node (no"
                            + " controller.quorum.voters) uses 1.")
            .define(OFFSETS_TOPIC_NUM_PARTITIONS, INT, 50, atLeast(1), HIGH, "Partitions of __consumer_offsets.")
            .define(OFFSETS_RETENTION_MINUTES, INT, 7 * 24 * 60, atLeast(1), HIGH,
                    "Committed offsets of an empty group are deleted after this.")
            .define(OFFSETS_COMMIT_TIMEOUT_MS, INT, 5000, atLeast(1), HIGH,
                    "How long a group coordinator write (an offset commit, a rebalance's group record) waits for"
                            + " every in-sync replica of its __consumer_offsets partition before the request fails"
                            + " with a retriable error.")
            .define(TRANSACTION_STATE_LOG_REPLICATION_FACTOR, SHORT, (short) 3, atLeast(1), HIGH,
                    "Replication factor of __transaction_state.")
            .define(TRANSACTION_STATE_LOG_MIN_ISR, INT, 2, atLeast(1), HIGH,
                    "min.insync.replicas of __transaction_state.")
            .define(TRANSACTION_STATE_LOG_NUM_PARTITIONS, INT, 50, atLeast(1), HIGH,
                    "Partitions of __transaction_state.")
            .define(TRANSACTION_MAX_TIMEOUT_MS, INT, 15 * 60 * 1000, atLeast(1), HIGH,
                    "Largest transaction timeout a producer may ask for.")
            .define(TRANSACTION_STATE_LOG_SEGMENT_BYTES, INT, 100 * 1024 * 1024, atLeast(1), HIGH,
                    "segment.bytes of __transaction_state.")
            .define(TRANSACTION_ABORT_TIMED_OUT_CLEANUP_INTERVAL_MS, INT, 10_000, atLeast(1), LOW,
                    "How often the transaction coordinator aborts transactions older than their timeout.")
            .define(TRANSACTIONAL_ID_EXPIRATION_MS, INT, 7 * 24 * 60 * 60 * 1000, atLeast(1), HIGH,
                    "A transactional id without a transaction for this long is removed.")
            .define(TRANSACTION_REMOVE_EXPIRED_CLEANUP_INTERVAL_MS, INT, 60 * 60 * 1000, atLeast(1), LOW,
                    "How often the transaction coordinator removes expired transactional ids.")
            .define(TRANSACTION_PARTITION_VERIFICATION_ENABLE, BOOLEAN, true, LOW,
                    "Whether a partition leader asks the transaction coordinator that a producer's first"
                            + " transactional batch belongs to an ongoing transaction before appending it. Transaction"
                            + " version 2 producers (Produce v12+) are always checked, since the check adds the"
                            + " partition to their transaction.")
            .define(ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MS, INT, 20, atLeast(1), LOW,
                    "Pause before a partition leader asks the transaction coordinator again when it answered"
                            + " CONCURRENT_TRANSACTIONS (the producer's previous transaction still completing).")
            .define(ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MAX_MS, INT, 100, atLeast(0), HIGH,
                    "How long a partition leader keeps asking the transaction coordinator again while it answers"
                            + " CONCURRENT_TRANSACTIONS before answering the producer with it.")
            .define(SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR, SHORT, (short) 3, atLeast(1), MEDIUM,
                    "Replication factor of __share_group_state.")
            .define(SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR, SHORT, (short) 2, atLeast(1), MEDIUM,
                    "min.insync.replicas of __share_group_state.")
            .define(GROUP_INITIAL_REBALANCE_DELAY_MS, INT, 3000, atLeast(0), MEDIUM,
                    "How long a new classic group waits for more members before its first rebalance.")
            .define(GROUP_MIN_SESSION_TIMEOUT_MS, INT, 6000, MEDIUM, "Smallest session timeout a member may ask.")
            .define(GROUP_MAX_SESSION_TIMEOUT_MS, INT, 1_800_000, MEDIUM,
                    "Largest session timeout a member may ask.")
            .define(GROUP_MAX_SIZE, INT, Integer.MAX_VALUE, atLeast(1), MEDIUM,
                    "Most members a classic group may have.")
            .define(OFFSETS_RETENTION_CHECK_INTERVAL_MS, LONG, 600_000L, atLeast(1), HIGH,
                    "How often the coordinator looks for expired offsets.")
            .define(OFFSET_METADATA_MAX_BYTES, INT, 4096, HIGH,
                    "Largest metadata string a client may commit with an offset.")
            .group("Consumer group protocol (KIP-848)")
            .define(GROUP_COORDINATOR_REBALANCE_PROTOCOLS, LIST, "classic,consumer",
                    ConfigDef.ValidList.in("classic", "consumer", "streams", "share"), HIGH,
                    "Group protocols the coordinator offers; without consumer, ConsumerGroupHeartbeat and"
                            + " ConsumerGroupDescribe are not advertised. streams and share are accepted and ignored.")
            .define(GROUP_CONSUMER_SESSION_TIMEOUT_MS, INT, 45_000, atLeast(1), MEDIUM,
                    "A consumer-protocol member that does not heartbeat for this long is removed.")
            .define(GROUP_CONSUMER_MIN_SESSION_TIMEOUT_MS, INT, 45_000, atLeast(1), MEDIUM,
                    "Lower bound of group.consumer.session.timeout.ms.")
            .define(GROUP_CONSUMER_MAX_SESSION_TIMEOUT_MS, INT, 60_000, atLeast(1), MEDIUM,
                    "Upper bound of group.consumer.session.timeout.ms.")
            .define(GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, INT, 5_000, atLeast(1), MEDIUM,
                    "How often consumer-protocol members are told to heartbeat.")
            .define(GROUP_CONSUMER_MIN_HEARTBEAT_INTERVAL_MS, INT, 5_000, atLeast(1), MEDIUM,
                    "Lower bound of group.consumer.heartbeat.interval.ms.")
            .define(GROUP_CONSUMER_MAX_HEARTBEAT_INTERVAL_MS, INT, 15_000, atLeast(1), MEDIUM,
                    "Upper bound of group.consumer.heartbeat.interval.ms.")
            .define(GROUP_CONSUMER_MAX_SIZE, INT, Integer.MAX_VALUE, atLeast(1), MEDIUM,
                    "Most members a consumer-protocol group may have.")
            .define(GROUP_CONSUMER_ASSIGNORS, LIST, "uniform,range", MEDIUM,
                    "Server-side assignors, the first the default: uniform, range, or Kafka's class names"
                            + " org.apache.kafka.coordinator.group.assignor.UniformAssignor / RangeAssignor.")
            .define(GROUP_CONSUMER_MIGRATION_POLICY, STRING, "bidirectional",
                    ConfigDef.CaseInsensitiveValidString.in("disabled", "upgrade", "downgrade", "bidirectional"),
                    MEDIUM, "Online migration between the classic and consumer protocols.")
            .group("TLS")
            .define(SSL_PROTOCOL, STRING, SslConfigs.DEFAULT_SSL_PROTOCOL, MEDIUM,
                    "Protocol of the SSLContext (TLSv1.3, TLSv1.2, TLS). Every ssl.* setting may be given for one"
                            + " listener as listener.name.<name>.ssl.*, which wins over the unprefixed one.")
            .define(SSL_PROVIDER, STRING, null, MEDIUM, "Security provider of the SSLContext; the JDK's when unset.")
            .define(SSL_CIPHER_SUITES, LIST, "", LOW, "Cipher suites allowed; the JDK's defaults when unset.")
            .define(SSL_ENABLED_PROTOCOLS, LIST, SslConfigs.DEFAULT_SSL_ENABLED_PROTOCOLS, MEDIUM,
                    "TLS versions accepted on SSL listeners and used by the broker's own SSL connections.")
            .define(SSL_KEYSTORE_TYPE, STRING, SslConfigs.DEFAULT_SSL_KEYSTORE_TYPE, MEDIUM,
                    "Format of the key store: JKS, PKCS12 or PEM.")
            .define(SSL_KEYSTORE_LOCATION, STRING, null, HIGH,
                    "Key store file with the broker's certificate and private key. Re-read without restart when"
                            + " the file changes (checked every " + KEYSTORE_RELOAD_CHECK_SECONDS + " s).")
            .define(SSL_KEYSTORE_PASSWORD, ConfigDef.Type.PASSWORD, null, HIGH,
                    "Password of the key store file (not needed for a PEM key store).")
            .define(SSL_KEY_PASSWORD, ConfigDef.Type.PASSWORD, null, HIGH,
                    "Password of the private key in the key store, or of an encrypted PEM key.")
            .define(SSL_KEYSTORE_KEY, ConfigDef.Type.PASSWORD, null, HIGH,
                    "Private key in PEM (PKCS#8), inline; with ssl.keystore.certificate.chain and"
                            + " ssl.keystore.type=PEM instead of a key store file.")
            .define(SSL_KEYSTORE_CERTIFICATE_CHAIN, ConfigDef.Type.PASSWORD, null, HIGH,
                    "Certificate chain in PEM, inline, for ssl.keystore.key.")
            .define(SSL_TRUSTSTORE_TYPE, STRING, SslConfigs.DEFAULT_SSL_TRUSTSTORE_TYPE, MEDIUM,
                    "Format of the trust store: JKS, PKCS12 or PEM.")
            .define(SSL_TRUSTSTORE_LOCATION, STRING, null, HIGH,
                    "Trust store file: the certificates that sign client certificates (ssl.client.auth) and"
                            + " other brokers' certificates (SSL inter-broker listener).")
            .define(SSL_TRUSTSTORE_PASSWORD, ConfigDef.Type.PASSWORD, null, HIGH,
                    "Password of the trust store file.")
            .define(SSL_TRUSTSTORE_CERTIFICATES, ConfigDef.Type.PASSWORD, null, HIGH,
                    "Trusted certificates in PEM, inline, with ssl.truststore.type=PEM.")
            .define(SSL_KEYMANAGER_ALGORITHM, STRING, KeyManagerFactory.getDefaultAlgorithm(), LOW,
                    "Key manager factory algorithm.")
            .define(SSL_TRUSTMANAGER_ALGORITHM, STRING, TrustManagerFactory.getDefaultAlgorithm(), LOW,
                    "Trust manager factory algorithm.")
            .define(SSL_ENDPOINT_IDENTIFICATION_ALGORITHM, STRING,
                    SslConfigs.DEFAULT_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM, LOW,
                    "Host name check of the broker's own SSL connections to other brokers: https checks the"
                            + " peer certificate against the host name; empty turns the check off.")
            .define(SSL_SECURE_RANDOM_IMPLEMENTATION, STRING, null, LOW,
                    "SecureRandom algorithm for TLS; the JDK's default when unset.")
            .define(SSL_CLIENT_AUTH, STRING, BrokerSecurityConfigs.SSL_CLIENT_AUTH_DEFAULT,
                    ConfigDef.ValidString.in("required", "requested", "none"), MEDIUM,
                    "Whether SSL listeners ask clients for a certificate: required (mutual TLS, a client"
                            + " without a trusted certificate is refused), requested, or none.")
            .define(SSL_PRINCIPAL_MAPPING_RULES, STRING, BrokerSecurityConfigs.DEFAULT_SSL_PRINCIPAL_MAPPING_RULES,
                    LOW, "Rules mapping a client certificate's distinguished name to the principal's name:"
                            + " RULE:pattern/replacement/[LU] entries, tried in order, and DEFAULT (the DN as is).")
            .define(SSL_ALLOW_DN_CHANGES, BOOLEAN, BrokerSecurityConfigs.DEFAULT_SSL_ALLOW_DN_CHANGES_VALUE, LOW,
                    "Whether a reloaded key store may carry a certificate with another distinguished name.")
            .define(SSL_ALLOW_SAN_CHANGES, BOOLEAN, BrokerSecurityConfigs.DEFAULT_SSL_ALLOW_SAN_CHANGES_VALUE, LOW,
                    "Whether a reloaded key store may carry a certificate with other subject alternative names.")
            .group("SASL")
            .define(SASL_ENABLED_MECHANISMS, LIST, "GSSAPI", HIGH,
                    "SASL mechanisms SASL_PLAINTEXT and SASL_SSL listeners offer; per listener as"
                            + " listener.name.<name>.sasl.enabled.mechanisms. Brook implements PLAIN, SCRAM-SHA-256"
                            + " and SCRAM-SHA-512: Kafka's default, GSSAPI (Kerberos), and OAUTHBEARER stop start-up"
                            + " when a SASL listener offers them. PLAIN users come from the listener's"
                            + " listener.name.<name>.plain.sasl.jaas.config (PlainLoginModule with"
                            + " user_<name>=\"<password>\" options); SCRAM users from the cluster metadata"
                            + " (kafka-configs --alter --add-config 'SCRAM-SHA-256=[password=...]').")
            .define(SASL_MECHANISM_INTER_BROKER_PROTOCOL, STRING, "GSSAPI", MEDIUM,
                    "Mechanism brokers authenticate with when the inter-broker listener is SASL, with the"
                            + " username and password options of that listener's"
                            + " listener.name.<name>.<mechanism>.sasl.jaas.config.")
            .define(CONNECTIONS_MAX_REAUTH_MS, LONG, 0L, atLeast(0), MEDIUM,
                    "Lifetime of a SASL session (KIP-368): told to clients in SaslAuthenticate v1+, which"
                            + " re-authenticate before it ends; a connection used past it is closed. 0 disables.")
            .define(CONNECTION_FAILED_AUTHENTICATION_DELAY_MS, INT, 100, atLeast(0), LOW,
                    "How long the answer to a failed authentication, and the close that follows it, is delayed,"
                            + " so a client cannot try passwords at full speed.")
            .group("Authorization")
            .define(AUTHORIZER_CLASS_NAME, STRING, "", MEDIUM,
                    "Empty for no authorization (everything allowed), or " + STANDARD_AUTHORIZER
                            + " for ACL authorization with the ACLs stored in the cluster metadata (Brook's"
                            + " built-in authorizer, which follows Kafka's StandardAuthorizer). Other classes are"
                            + " refused.")
            .define(SUPER_USERS, STRING, "", MEDIUM,
                    "Semicolon-separated principals (e.g. User:admin;User:broker) allowed every operation"
                            + " whatever the ACLs say. The brokers' own principal belongs here when the"
                            + " inter-broker listener authenticates them (mutual TLS: the certificate's mapped name).")
            .define(ALLOW_EVERYONE_IF_NO_ACL_FOUND, BOOLEAN, false, MEDIUM,
                    "Whether a resource without any ACL is open to everyone (when an authorizer is set).")
            .group("Quotas")
            .define(QUOTA_WINDOW_NUM, INT, 11, atLeast(1), LOW,
                    "Samples kept in memory for client quotas (byte rates and request percentage).")
            .define(QUOTA_WINDOW_SIZE_SECONDS, INT, 1, atLeast(1), LOW,
                    "Time span of each sample of client quotas.")
            .group("Connection limits")
            .define(MAX_CONNECTIONS, INT, Integer.MAX_VALUE, atLeast(0), MEDIUM,
                    "Connections the broker keeps open at once across its listeners; once reached, new ones wait"
                            + " in the accept backlog until one closes. The inter-broker listener is exempt when"
                            + " there are several listeners. Per listener as listener.name.<name>.max.connections.")
            .define(MAX_CONNECTIONS_PER_IP, INT, Integer.MAX_VALUE, atLeast(0), MEDIUM,
                    "Connections one client address may keep open; the next one is closed at once. 0 only"
                            + " with max.connections.per.ip.overrides (to admit only the addresses named there).")
            .define(MAX_CONNECTIONS_PER_IP_OVERRIDES, STRING, "", MEDIUM,
                    "Per-address limits overriding max.connections.per.ip, as host:count pairs separated by"
                            + " commas (host names are resolved at start-up).")
            .define(MAX_CONNECTION_CREATION_RATE, INT, Integer.MAX_VALUE, atLeast(0), MEDIUM,
                    "New connections per second the broker accepts across its listeners (the inter-broker"
                            + " listener exempt); above it accepting is delayed. Per listener as"
                            + " listener.name.<name>.max.connection.creation.rate.")
            .group("HTTP")
            .define(HTTP_LISTENERS, LIST, "http://localhost:8080", new HttpListenersValidator(), MEDIUM,
                    "Comma-separated http://host:port addresses of the HTTP side (health checks, Prometheus"
                            + " /metrics, admin API, console). localhost binds both loopback addresses; 0.0.0.0"
                            + " every interface; empty runs no HTTP server. Brook setting, not in Kafka.")
            .define(HTTP_METRICS_ENABLED, BOOLEAN, true, MEDIUM,
                    "Whether the broker records metrics and serves them at /metrics of http.listeners (Prometheus"
                            + " format). false records nothing (for benchmarks). Brook setting, not in Kafka.")
            .build();

    /** Settings that may be given per listener as {@code listener.name.<name>.<setting>}. */
    private static final Set<String> PER_LISTENER = Set.of(SSL_PROTOCOL, SSL_PROVIDER, SSL_CIPHER_SUITES,
            SSL_ENABLED_PROTOCOLS, SSL_KEYSTORE_TYPE, SSL_KEYSTORE_LOCATION, SSL_KEYSTORE_PASSWORD, SSL_KEY_PASSWORD,
            SSL_KEYSTORE_KEY, SSL_KEYSTORE_CERTIFICATE_CHAIN, SSL_TRUSTSTORE_TYPE, SSL_TRUSTSTORE_LOCATION,
            SSL_TRUSTSTORE_PASSWORD, SSL_TRUSTSTORE_CERTIFICATES, SSL_KEYMANAGER_ALGORITHM,
            SSL_TRUSTMANAGER_ALGORITHM, SSL_ENDPOINT_IDENTIFICATION_ALGORITHM, SSL_SECURE_RANDOM_IMPLEMENTATION,
            SSL_CLIENT_AUTH, SSL_PRINCIPAL_MAPPING_RULES, SSL_ALLOW_DN_CHANGES, SSL_ALLOW_SAN_CHANGES);

    /**
     * Settings defined above that no Brook code acts on yet (each with the reason shown in the docs). Keep this
     * honest: remove a name in the commit that implements it.
     */
    private static final Map<String, String> NOT_ACTED_ON = notActedOnReasons();

    private final int nodeId;
    private final Map<String, SecurityProtocol> securityProtocols;
    private final List<Endpoint> listenerEndpoints;
    private final List<Endpoint> advertisedEndpoints;

    private BrokerConfig(Map<?, ?> props) {
        super(DEFINITION, props, false);
        this.nodeId = resolveNodeId();
        this.securityProtocols = parseSecurityProtocolMap(getString(LISTENER_SECURITY_PROTOCOL_MAP));
        this.listenerEndpoints = parseEndpoints(LISTENERS, String.join(",", getList(LISTENERS)));
        String advertised = getString(ADVERTISED_LISTENERS);
        this.advertisedEndpoints = advertised == null
                ? listenerEndpoints.stream().map(BrokerConfig::advertisable).toList()
                : parseEndpoints(ADVERTISED_LISTENERS, advertised);
        validateTogether();
    }

    /**
     * Parses and validates. Throws {@link ConfigException} naming the first unknown or invalid property, or the
     * first inconsistent combination.
     */
    public static BrokerConfig parse(Map<String, String> props) {
        for (String name : props.keySet()) {
            if (!DEFINITION.names().contains(name) && !isPerListenerOverride(name)) {
                throw new ConfigException("Unknown configuration '" + name + "'" + unknownHint(name));
            }
        }
        return new BrokerConfig(props);
    }

    /** Whether {@code name} is {@code listener.name.<name>.<setting>} for a setting that may be given per listener. */
    static boolean isPerListenerOverride(String name) {
        if (!name.startsWith(LISTENER_PREFIX)) {
            return false;
        }
        String rest = name.substring(LISTENER_PREFIX.length());
        int dot = rest.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        String setting = rest.substring(dot + 1);
        return PER_LISTENER.contains(setting) || setting.equals(SASL_ENABLED_MECHANISMS)
                || setting.equals(MAX_CONNECTIONS) || setting.equals(MAX_CONNECTION_CREATION_RATE)
                || setting.matches("[a-z0-9-]+\\." + java.util.regex.Pattern.quote(SASL_JAAS_CONFIG));
    }

    /** Parses an empty property set: every setting at its default. */
    public static BrokerConfig defaults() {
        return parse(Map.of());
    }

    /** The properties set explicitly (file and overrides), as strings: Kafka's STATIC_BROKER_CONFIG source. */
    public Map<String, String> explicitProperties() {
        Map<String, String> explicit = new TreeMap<>();
        originals().forEach((name, value) -> {
            if (value != null) {
                explicit.put(name, String.valueOf(value));
            }
        });
        return Collections.unmodifiableMap(explicit);
    }

    public static ConfigDef definition() {
        return DEFINITION;
    }

    /**
     * Whether Brook acts on the named setting: {@link #STATUS_SUPPORTED}, or {@link #STATUS_NOT_ACTED_ON} followed
     * by the reason.
     */
    public static String status(String name) {
        String reason = NOT_ACTED_ON.get(name);
        return reason == null ? STATUS_SUPPORTED : STATUS_NOT_ACTED_ON + ": " + reason;
    }

    /** Names of the settings Brook accepts without acting on them yet. */
    public static List<String> notActedOn() {
        return List.copyOf(NOT_ACTED_ON.keySet());
    }

    /** Settings this configuration sets explicitly that Brook does not act on yet (to warn about at start-up). */
    public List<String> explicitlySetButNotActedOn() {
        return NOT_ACTED_ON.keySet().stream().filter(originals()::containsKey).toList();
    }

    // ---- server basics

    public int nodeId() {
        return nodeId;
    }

    public List<String> processRoles() {
        return getList(PROCESS_ROLES);
    }

    public Optional<String> clusterId() {
        return Optional.ofNullable(getString(CLUSTER_ID));
    }

    public Optional<String> brokerRack() {
        return Optional.ofNullable(getString(BROKER_RACK));
    }

    public List<String> controllerQuorumVoters() {
        return getList(CONTROLLER_QUORUM_VOTERS);
    }

    public List<String> controllerQuorumBootstrapServers() {
        return getList(CONTROLLER_QUORUM_BOOTSTRAP_SERVERS);
    }

    public List<String> controllerListenerNames() {
        return getList(CONTROLLER_LISTENER_NAMES);
    }

    public boolean isController() {
        return processRoles().contains("controller");
    }

    public boolean isBroker() {
        return processRoles().contains("broker");
    }

    /** controller.quorum.voters when set, parsed. */
    public Optional<QuorumVoters> explicitQuorumVoters() {
        List<String> entries = getList(CONTROLLER_QUORUM_VOTERS);
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(QuorumVoters.parse(String.join(",", entries)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(CONTROLLER_QUORUM_VOTERS, String.join(",", entries), e.getMessage());
        }
    }

    /** The first listener named in controller.listener.names: this node's metadata quorum (Raft) address. */
    public Optional<Endpoint> controllerListener() {
        for (String name : controllerListenerNames()) {
            for (Endpoint endpoint : listenerEndpoints) {
                if (endpoint.listener().equals(name)) {
                    return Optional.of(endpoint);
                }
            }
        }
        return Optional.empty();
    }

    /** The listeners that speak the Kafka protocol (every listener but the controller ones). */
    public List<Endpoint> brokerListenerEndpoints() {
        List<String> controllers = controllerListenerNames();
        return listenerEndpoints.stream().filter(e -> !controllers.contains(e.listener())).toList();
    }

    /** metadata.log.dir, or the first log directory. */
    public String metadataLogDir() {
        String dir = getString(METADATA_LOG_DIR);
        return dir != null ? dir : logDirs().get(0);
    }

    public int controllerQuorumRequestTimeoutMs() {
        return getInt(CONTROLLER_QUORUM_REQUEST_TIMEOUT_MS);
    }

    public int controllerQuorumElectionTimeoutMs() {
        return getInt(CONTROLLER_QUORUM_ELECTION_TIMEOUT_MS);
    }

    /** {@code leader.imbalance.check.interval.seconds} in ms, or 0 when {@code auto.leader.rebalance.enable} is off. */
    public long leaderImbalanceCheckIntervalMs() {
        return getBoolean(AUTO_LEADER_REBALANCE_ENABLE)
                ? getLong(LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS) * 1000L
                : 0L;
    }

    public int brokerHeartbeatIntervalMs() {
        return getInt(BROKER_HEARTBEAT_INTERVAL_MS);
    }

    public int brokerSessionTimeoutMs() {
        return getInt(BROKER_SESSION_TIMEOUT_MS);
    }

    public int initialBrokerRegistrationTimeoutMs() {
        return getInt(INITIAL_BROKER_REGISTRATION_TIMEOUT_MS);
    }

    // ---- listeners and socket server

    /** The raw listener strings, as NAME://host:port. */
    public List<String> listeners() {
        return getList(LISTENERS);
    }

    /** The listeners, parsed, with their security protocol; an empty host means every interface. */
    public List<Endpoint> listenerEndpoints() {
        return listenerEndpoints;
    }

    /**
     * Endpoints given to clients: advertised.listeners, or the listeners with a loopback host as localhost (a wildcard
     * host and port 0 are resolved by the running broker).
     * Includes controller listeners; see {@link #advertisedBrokerEndpoints()}.
     */
    public List<Endpoint> advertisedEndpoints() {
        return advertisedEndpoints;
    }

    /** The advertised endpoints a Metadata response lists: those not named in controller.listener.names. */
    public List<Endpoint> advertisedBrokerEndpoints() {
        List<String> controllers = controllerListenerNames();
        return advertisedEndpoints.stream().filter(e -> !controllers.contains(e.listener())).toList();
    }

    public Map<String, SecurityProtocol> listenerSecurityProtocolMap() {
        return securityProtocols;
    }

    /**
     * The ssl.* settings of {@code listenerName}, parsed, with {@code listener.name.<name>.} overrides winning over
     * the unprefixed settings (Kafka's rule; the name is lower-cased in the prefix). Passwords stay
     * {@link org.apache.kafka.common.config.types.Password}s, as kafka-clients' SSL classes expect.
     */
    public Map<String, Object> sslSettings(String listenerName) {
        Map<String, Object> all = valuesWithPrefixOverride(LISTENER_PREFIX + listenerName.toLowerCase(Locale.ROOT)
                + ".");
        Map<String, Object> ssl = new java.util.HashMap<>();
        for (String name : PER_LISTENER) {
            ssl.put(name, all.get(name));
        }
        return ssl;
    }

    /** The SASL mechanisms {@code listenerName} offers, upper case ({@code listener.name.<name>.} override first). */
    public List<String> saslEnabledMechanisms(String listenerName) {
        Object value = valuesWithPrefixOverride(LISTENER_PREFIX + listenerName.toLowerCase(Locale.ROOT) + ".")
                .get(SASL_ENABLED_MECHANISMS);
        @SuppressWarnings("unchecked")
        List<String> mechanisms = (List<String>) value;
        return mechanisms.stream().map(m -> m.trim().toUpperCase(Locale.ROOT)).filter(m -> !m.isEmpty()).toList();
    }

    /** {@code listener.name.<listener>.<mechanism>.sasl.jaas.config}, when set; a secret, never to be logged. */
    public Optional<org.apache.kafka.common.config.types.Password> saslJaasConfig(String listenerName,
            String mechanism) {
        Object value = originals().get(LISTENER_PREFIX + listenerName.toLowerCase(Locale.ROOT) + "."
                + mechanism.toLowerCase(Locale.ROOT) + "." + SASL_JAAS_CONFIG);
        if (value == null) {
            return Optional.empty();
        }
        return Optional.of(value instanceof org.apache.kafka.common.config.types.Password password
                ? password
                : new org.apache.kafka.common.config.types.Password(String.valueOf(value)));
    }

    public String saslMechanismInterBrokerProtocol() {
        return getString(SASL_MECHANISM_INTER_BROKER_PROTOCOL).trim().toUpperCase(Locale.ROOT);
    }

    public long connectionsMaxReauthMs() {
        return getLong(CONNECTIONS_MAX_REAUTH_MS);
    }

    public int connectionFailedAuthenticationDelayMs() {
        return getInt(CONNECTION_FAILED_AUTHENTICATION_DELAY_MS);
    }

    /** The security protocol of the inter-broker listener ({@link #replicationListenerName()}). */
    public SecurityProtocol interBrokerSecurityProtocol() {
        SecurityProtocol protocol = securityProtocols.get(replicationListenerName());
        return protocol != null ? protocol : SecurityProtocol.forName(getString(SECURITY_INTER_BROKER_PROTOCOL));
    }

    public Optional<String> interBrokerListenerName() {
        return Optional.ofNullable(getString(INTER_BROKER_LISTENER_NAME));
    }

    public int numNetworkThreads() {
        return getInt(NUM_NETWORK_THREADS);
    }

    public int numIoThreads() {
        return getInt(NUM_IO_THREADS);
    }

    public int queuedMaxRequests() {
        return getInt(QUEUED_MAX_REQUESTS);
    }

    public int socketSendBufferBytes() {
        return getInt(SOCKET_SEND_BUFFER_BYTES);
    }

    public int socketReceiveBufferBytes() {
        return getInt(SOCKET_RECEIVE_BUFFER_BYTES);
    }

    public int socketRequestMaxBytes() {
        return getInt(SOCKET_REQUEST_MAX_BYTES);
    }

    /** Whether ACL authorization is on ({@link #AUTHORIZER_CLASS_NAME} names the standard authorizer). */
    public boolean authorizationEnabled() {
        return !getString(AUTHORIZER_CLASS_NAME).isBlank();
    }

    public int quotaWindowNum() {
        return getInt(QUOTA_WINDOW_NUM);
    }

    public int quotaWindowSizeSeconds() {
        return getInt(QUOTA_WINDOW_SIZE_SECONDS);
    }

    /** {@link #SUPER_USERS} as principal strings ({@code type:name}). */
    public Set<String> superUsers() {
        Set<String> users = new LinkedHashSet<>();
        for (String user : getString(SUPER_USERS).split(";")) {
            if (!user.isBlank()) {
                users.add(user.trim());
            }
        }
        return users;
    }

    public boolean allowEveryoneIfNoAclFound() {
        return getBoolean(ALLOW_EVERYONE_IF_NO_ACL_FOUND);
    }

    /** The {@code http.listeners} entries, each {@code http://host:port}; empty for no HTTP server. */
    public List<String> httpListeners() {
        return getList(HTTP_LISTENERS).stream().map(String::trim).filter(e -> !e.isEmpty()).toList();
    }

    /** Checks each {@code http.listeners} entry; its {@code toString} is the "Valid values" of the docs. */
    private static final class HttpListenersValidator implements ConfigDef.Validator {

        @Override
        public void ensureValid(String name, Object value) {
            if (value instanceof List<?> entries) {
                for (Object entry : entries) {
                    String text = String.valueOf(entry).trim();
                    if (!text.isEmpty() && !HTTP_LISTENER.matcher(text).matches()) {
                        throw new ConfigException(name, value,
                                "Expected http://host:port entries, e.g. http://localhost:8080");
                    }
                }
            }
        }

        @Override
        public String toString() {
            return "http://host:port, comma-separated, or empty";
        }
    }

    public boolean httpMetricsEnabled() {
        return getBoolean(HTTP_METRICS_ENABLED);
    }

    public long connectionsMaxIdleMs() {
        return getLong(CONNECTIONS_MAX_IDLE_MS);
    }

    // ---- connection limits

    public int maxConnections() {
        return getInt(MAX_CONNECTIONS);
    }

    public int maxConnectionsPerIp() {
        return getInt(MAX_CONNECTIONS_PER_IP);
    }

    /** {@link #MAX_CONNECTIONS_PER_IP_OVERRIDES} as host (as written) to count, in the order given. */
    public Map<String, Integer> maxConnectionsPerIpOverrides() {
        return parseHostCounts(getString(MAX_CONNECTIONS_PER_IP_OVERRIDES));
    }

    public int maxConnectionCreationRate() {
        return getInt(MAX_CONNECTION_CREATION_RATE);
    }

    /** {@code listener.name.<name>.max.connections}, else unlimited (Kafka's default for a listener). */
    public int listenerMaxConnections(String listenerName) {
        return listenerInt(listenerName, MAX_CONNECTIONS);
    }

    /** {@code listener.name.<name>.max.connection.creation.rate}, else unlimited. */
    public int listenerMaxConnectionCreationRate(String listenerName) {
        return listenerInt(listenerName, MAX_CONNECTION_CREATION_RATE);
    }

    private int listenerInt(String listenerName, String setting) {
        String name = LISTENER_PREFIX + listenerName.toLowerCase(Locale.ROOT) + "." + setting;
        Object value = originals().get(name);
        if (value == null) {
            return Integer.MAX_VALUE;
        }
        try {
            int parsed = Integer.parseInt(String.valueOf(value).trim());
            if (parsed < 0) {
                throw new ConfigException(name, value, "must be at least 0");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigException(name, value, "must be an integer");
        }
    }

    /** Parses {@code host:count,...}; throws {@link ConfigException} for a malformed entry. */
    static Map<String, Integer> parseHostCounts(String value) {
        Map<String, Integer> result = new LinkedHashMap<>();
        for (String entry : value.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int colon = trimmed.lastIndexOf(':');
            try {
                if (colon <= 0) {
                    throw new NumberFormatException();
                }
                int count = Integer.parseInt(trimmed.substring(colon + 1).trim());
                if (count < 0) {
                    throw new NumberFormatException();
                }
                result.put(trimmed.substring(0, colon).trim(), count);
            } catch (NumberFormatException e) {
                throw new ConfigException(MAX_CONNECTIONS_PER_IP_OVERRIDES, value,
                        "expected host:count pairs with a count of at least 0, e.g. 10.0.0.1:100,client.example:5");
            }
        }
        return result;
    }

    // ---- log basics

    public List<String> logDirs() {
        String dirs = getString(LOG_DIRS);
        return List.of((dirs != null ? dirs : getString(LOG_DIR)).trim().split("\\s*,\\s*"));
    }

    public int numPartitions() {
        return getInt(NUM_PARTITIONS);
    }

    public int numRecoveryThreadsPerDataDir() {
        return getInt(NUM_RECOVERY_THREADS_PER_DATA_DIR);
    }

    public short defaultReplicationFactor() {
        return getShort(DEFAULT_REPLICATION_FACTOR);
    }

    public int minInsyncReplicas() {
        return getInt(MIN_INSYNC_REPLICAS);
    }

    public boolean autoCreateTopicsEnable() {
        return getBoolean(AUTO_CREATE_TOPICS_ENABLE);
    }

    public boolean deleteTopicEnable() {
        return getBoolean(DELETE_TOPIC_ENABLE);
    }

    public int messageMaxBytes() {
        return getInt(MESSAGE_MAX_BYTES);
    }

    public String compressionType() {
        return getString(COMPRESSION_TYPE);
    }

    /** True when log.message.timestamp.type is LogAppendTime. */
    public boolean logAppendTime() {
        return "LogAppendTime".equals(getString(LOG_MESSAGE_TIMESTAMP_TYPE));
    }

    public long logMessageTimestampBeforeMaxMs() {
        return getLong(LOG_MESSAGE_TIMESTAMP_BEFORE_MAX_MS);
    }

    public long logMessageTimestampAfterMaxMs() {
        return getLong(LOG_MESSAGE_TIMESTAMP_AFTER_MAX_MS);
    }

    // ---- segments, indexes, flush

    public int logSegmentBytes() {
        return getInt(LOG_SEGMENT_BYTES);
    }

    public long logRollMs() {
        Long ms = getLong(LOG_ROLL_MS);
        return ms != null ? ms : getInt(LOG_ROLL_HOURS) * 3_600_000L;
    }

    public int logIndexIntervalBytes() {
        return getInt(LOG_INDEX_INTERVAL_BYTES);
    }

    public int logIndexSizeMaxBytes() {
        return getInt(LOG_INDEX_SIZE_MAX_BYTES);
    }

    public boolean logPreallocate() {
        return getBoolean(LOG_PREALLOCATE);
    }

    public long logFlushIntervalMessages() {
        return getLong(LOG_FLUSH_INTERVAL_MESSAGES);
    }

    /** log.flush.interval.ms, falling back to log.flush.scheduler.interval.ms as Kafka does; MAX_VALUE = never. */
    public long logFlushIntervalMs() {
        Long ms = getLong(LOG_FLUSH_INTERVAL_MS);
        return ms != null ? ms : getLong(LOG_FLUSH_SCHEDULER_INTERVAL_MS);
    }

    public long logFlushSchedulerIntervalMs() {
        return getLong(LOG_FLUSH_SCHEDULER_INTERVAL_MS);
    }

    public int logFlushOffsetCheckpointIntervalMs() {
        return getInt(LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS);
    }

    // ---- retention

    /** Retention by time from log.retention.ms, .minutes or .hours (first set wins); -1 means unlimited. */
    public long logRetentionMs() {
        Long ms = getLong(LOG_RETENTION_MS);
        if (ms == null) {
            Integer minutes = getInt(LOG_RETENTION_MINUTES);
            ms = minutes != null ? minutes * 60_000L : getInt(LOG_RETENTION_HOURS) * 3_600_000L;
        }
        return ms < 0 ? -1 : ms;
    }

    public long logRetentionBytes() {
        return getLong(LOG_RETENTION_BYTES);
    }

    public long logRetentionCheckIntervalMs() {
        return getLong(LOG_RETENTION_CHECK_INTERVAL_MS);
    }

    public List<String> logCleanupPolicy() {
        return getList(LOG_CLEANUP_POLICY);
    }

    public boolean logCleanerEnable() {
        return getBoolean(LOG_CLEANER_ENABLE);
    }

    // ---- replication

    public boolean uncleanLeaderElectionEnable() {
        return getBoolean(UNCLEAN_LEADER_ELECTION_ENABLE);
    }

    public long replicaLagTimeMaxMs() {
        return getLong(REPLICA_LAG_TIME_MAX_MS);
    }

    public int numReplicaFetchers() {
        return getInt(NUM_REPLICA_FETCHERS);
    }

    public int replicaFetchMaxBytes() {
        return getInt(REPLICA_FETCH_MAX_BYTES);
    }

    public int replicaFetchMinBytes() {
        return getInt(REPLICA_FETCH_MIN_BYTES);
    }

    public int replicaFetchWaitMaxMs() {
        return getInt(REPLICA_FETCH_WAIT_MAX_MS);
    }

    public int replicaFetchBackoffMs() {
        return getInt(REPLICA_FETCH_BACKOFF_MS);
    }

    public int replicaFetchResponseMaxBytes() {
        return getInt(REPLICA_FETCH_RESPONSE_MAX_BYTES);
    }

    public int replicaSocketTimeoutMs() {
        return getInt(REPLICA_SOCKET_TIMEOUT_MS);
    }

    /**
     * The listener brokers replicate over: {@code inter.broker.listener.name}, else the listener whose name is
     * {@code security.inter.broker.protocol} (Kafka's rule; PLAINTEXT by default).
     */
    public String replicationListenerName() {
        return interBrokerListenerName().orElse(getString(SECURITY_INTER_BROKER_PROTOCOL));
    }

    // ---- groups, transactions, internal topics

    public short offsetsTopicReplicationFactor() {
        return getShort(OFFSETS_TOPIC_REPLICATION_FACTOR);
    }

    public int offsetsTopicNumPartitions() {
        return getInt(OFFSETS_TOPIC_NUM_PARTITIONS);
    }

    public long offsetsRetentionMs() {
        return getInt(OFFSETS_RETENTION_MINUTES) * 60_000L;
    }

    public int offsetsCommitTimeoutMs() {
        return getInt(OFFSETS_COMMIT_TIMEOUT_MS);
    }

    public short transactionStateLogReplicationFactor() {
        return getShort(TRANSACTION_STATE_LOG_REPLICATION_FACTOR);
    }

    public int transactionStateLogMinIsr() {
        return getInt(TRANSACTION_STATE_LOG_MIN_ISR);
    }

    public int transactionStateLogNumPartitions() {
        return getInt(TRANSACTION_STATE_LOG_NUM_PARTITIONS);
    }

    public int transactionMaxTimeoutMs() {
        return getInt(TRANSACTION_MAX_TIMEOUT_MS);
    }

    public int transactionStateLogSegmentBytes() {
        return getInt(TRANSACTION_STATE_LOG_SEGMENT_BYTES);
    }

    public int transactionAbortTimedOutCleanupIntervalMs() {
        return getInt(TRANSACTION_ABORT_TIMED_OUT_CLEANUP_INTERVAL_MS);
    }

    public int transactionalIdExpirationMs() {
        return getInt(TRANSACTIONAL_ID_EXPIRATION_MS);
    }

    public int transactionRemoveExpiredCleanupIntervalMs() {
        return getInt(TRANSACTION_REMOVE_EXPIRED_CLEANUP_INTERVAL_MS);
    }

    public boolean transactionPartitionVerificationEnable() {
        return getBoolean(TRANSACTION_PARTITION_VERIFICATION_ENABLE);
    }

    public int addPartitionsToTxnRetryBackoffMs() {
        return getInt(ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MS);
    }

    public int addPartitionsToTxnRetryBackoffMaxMs() {
        return getInt(ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MAX_MS);
    }

    public int groupInitialRebalanceDelayMs() {
        return getInt(GROUP_INITIAL_REBALANCE_DELAY_MS);
    }

    public int groupMinSessionTimeoutMs() {
        return getInt(GROUP_MIN_SESSION_TIMEOUT_MS);
    }

    public int groupMaxSessionTimeoutMs() {
        return getInt(GROUP_MAX_SESSION_TIMEOUT_MS);
    }

    public int groupMaxSize() {
        return getInt(GROUP_MAX_SIZE);
    }

    public long offsetsRetentionCheckIntervalMs() {
        return getLong(OFFSETS_RETENTION_CHECK_INTERVAL_MS);
    }

    public int offsetMetadataMaxBytes() {
        return getInt(OFFSET_METADATA_MAX_BYTES);
    }

    // ---- the consumer group protocol

    public boolean consumerGroupProtocolEnabled() {
        return getList(GROUP_COORDINATOR_REBALANCE_PROTOCOLS).contains("consumer");
    }

    public int groupConsumerSessionTimeoutMs() {
        return getInt(GROUP_CONSUMER_SESSION_TIMEOUT_MS);
    }

    public int groupConsumerHeartbeatIntervalMs() {
        return getInt(GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS);
    }

    public int groupConsumerMaxSize() {
        return getInt(GROUP_CONSUMER_MAX_SIZE);
    }

    /** The configured assignor names, as written (validated at startup). */
    public List<String> groupConsumerAssignors() {
        return getList(GROUP_CONSUMER_ASSIGNORS);
    }

    // ---- validation of combinations

    private int resolveNodeId() {
        int brokerId = getInt(BROKER_ID);
        boolean nodeIdSet = originals().containsKey(NODE_ID);
        if (brokerId >= 0 && nodeIdSet && brokerId != getInt(NODE_ID)) {
            throw new ConfigException(BROKER_ID, brokerId, "must equal node.id (" + getInt(NODE_ID) + ")");
        }
        return !nodeIdSet && brokerId >= 0 ? brokerId : getInt(NODE_ID);
    }

    private void validateConnectionLimits() {
        Map<String, Integer> overrides = maxConnectionsPerIpOverrides(); // parsed here so a bad entry stops start-up
        if (maxConnectionsPerIp() == 0 && overrides.isEmpty()) {
            throw new ConfigException(MAX_CONNECTIONS_PER_IP, 0, "may be 0 only when "
                    + MAX_CONNECTIONS_PER_IP_OVERRIDES + " is set");
        }
        for (Endpoint endpoint : listenerEndpoints) {
            listenerMaxConnections(endpoint.listener());
            listenerMaxConnectionCreationRate(endpoint.listener());
        }
    }

    private void validateTogether() {
        validateConsumerGroupSettings();
        validateConnectionLimits();
        List<String> roles = processRoles();
        if (roles.isEmpty() || roles.size() != Set.copyOf(roles).size()) {
            throw new ConfigException(PROCESS_ROLES, String.join(",", roles),
                    "must be broker, controller or broker,controller, each role once");
        }
        if (listenerEndpoints.isEmpty()) {
            throw new ConfigException(LISTENERS, "", "at least one listener is needed");
        }
        List<String> names = new ArrayList<>();
        for (Endpoint endpoint : listenerEndpoints) {
            String name = endpoint.listener();
            if (names.contains(name)) {
                throw new ConfigException(LISTENERS, listeners(), "listener name " + name + " appears twice");
            }
            names.add(name);
            boolean controller = controllerListenerNames().contains(name);
            SecurityProtocol protocol = endpoint.securityProtocol();
            // SSL is fine: the Raft traffic runs over TLS then (ControllerTls); SASL it cannot do.
            if (protocol != SecurityProtocol.PLAINTEXT && protocol != SecurityProtocol.SSL && controller) {
                throw new ConfigException(LISTENERS, listeners(), "controller listener " + name + " uses "
                        + protocol + ": the metadata quorum's Raft traffic (Apache Ratis) has no SASL in Brook; map"
                        + " it to SSL or PLAINTEXT");
            }
            if (protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL) {
                validateSaslListener(name);
            }
            if (protocol == SecurityProtocol.SSL || protocol == SecurityProtocol.SASL_SSL) {
                Map<String, Object> ssl = sslSettings(name);
                if (ssl.get(SSL_KEYSTORE_LOCATION) == null && ssl.get(SSL_KEYSTORE_KEY) == null) {
                    throw new ConfigException(LISTENERS, listeners(), "SSL listener " + name + " has no key store:"
                            + " set " + SSL_KEYSTORE_LOCATION + " (or " + SSL_KEYSTORE_KEY + " with "
                            + SSL_KEYSTORE_CERTIFICATE_CHAIN + "), for every listener or as "
                            + LISTENER_PREFIX + name.toLowerCase(Locale.ROOT) + "." + SSL_KEYSTORE_LOCATION);
                }
            }
        }
        validateInterBrokerSasl(names);
        for (Endpoint endpoint : advertisedEndpoints) {
            if (!names.contains(endpoint.listener())) {
                throw new ConfigException(ADVERTISED_LISTENERS, getString(ADVERTISED_LISTENERS),
                        "listener " + endpoint.listener() + " is not among the listeners " + names);
            }
            if (endpoint.port() == 0 && getString(ADVERTISED_LISTENERS) != null) {
                throw new ConfigException(ADVERTISED_LISTENERS, getString(ADVERTISED_LISTENERS),
                        "an advertised port must not be 0");
            }
        }
        String authorizer = getString(AUTHORIZER_CLASS_NAME).trim();
        if (!authorizer.isEmpty() && !authorizer.equals(STANDARD_AUTHORIZER)) {
            throw new ConfigException(AUTHORIZER_CLASS_NAME, authorizer, "Brook has one built-in authorizer,"
                    + " selected by Kafka's class name " + STANDARD_AUTHORIZER + "; leave the setting empty to"
                    + " allow everything");
        }
        for (String user : superUsers()) {
            if (user.indexOf(':') <= 0) {
                throw new ConfigException(SUPER_USERS, getString(SUPER_USERS),
                        "each principal must be type:name, e.g. User:admin");
            }
        }
        try {
            SslPrincipalMapper.fromRules(getString(SSL_PRINCIPAL_MAPPING_RULES));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(SSL_PRINCIPAL_MAPPING_RULES, getString(SSL_PRINCIPAL_MAPPING_RULES),
                    e.getMessage());
        }
        if (originals().containsKey(INTER_BROKER_LISTENER_NAME)
                && originals().containsKey(SECURITY_INTER_BROKER_PROTOCOL)) {
            throw new ConfigException("Only one of " + INTER_BROKER_LISTENER_NAME + " and "
                    + SECURITY_INTER_BROKER_PROTOCOL + " should be set.");
        }
        for (String dir : logDirs()) {
            if (dir.isEmpty()) {
                throw new ConfigException(getString(LOG_DIRS) != null ? LOG_DIRS : LOG_DIR, dir,
                        "a log directory must not be empty");
            }
        }
        validateQuorum();
        String clusterId = getString(CLUSTER_ID);
        if (clusterId != null && clusterId.isBlank()) {
            throw new ConfigException(CLUSTER_ID, clusterId, "must not be blank");
        }
    }

    /** Kafka's KRaft checks, in Kafka's words where Kafka has them. */
    private void validateQuorum() {
        if (controllerListenerNames().isEmpty()) {
            throw new ConfigException(CONTROLLER_LISTENER_NAMES, "", "must not be empty");
        }
        Optional<QuorumVoters> voters = explicitQuorumVoters();
        if (voters.isPresent()) {
            Set<Integer> ids = new TreeSet<>();
            voters.get().all().forEach(v -> ids.add(v.id()));
            if (isController() && !ids.contains(nodeId)) {
                throw new ConfigException("If " + PROCESS_ROLES + " contains the 'controller' role, the node id "
                        + nodeId + " must be included in the set of voters " + CONTROLLER_QUORUM_VOTERS + "=" + ids);
            }
            if (!isController() && ids.contains(nodeId)) {
                throw new ConfigException("If " + PROCESS_ROLES + " contains just the 'broker' role, the node id "
                        + nodeId + " must not be included in the set of voters " + CONTROLLER_QUORUM_VOTERS + "="
                        + ids);
            }
            // A broker-only node without a controller listener (as Kafka's brokers are configured) picks its own
            // port for following the metadata log; see QuorumMetadataOpener.
            if (controllerListener().isEmpty() && isController()) {
                throw new ConfigException(CONTROLLER_LISTENER_NAMES + " must contain at least one value appearing in"
                        + " the '" + LISTENERS + "' configuration when running the KRaft controller role");
            }
        } else if (!isController() && controllerQuorumBootstrapServers().isEmpty()) {
            throw new ConfigException("If using " + PROCESS_ROLES + ", either " + CONTROLLER_QUORUM_BOOTSTRAP_SERVERS
                    + " must contain the set of bootstrap controllers or " + CONTROLLER_QUORUM_VOTERS
                    + " must contain a parseable set of controllers.");
        } else if (isController() && controllerQuorumBootstrapServers().size() > 1) {
            throw new ConfigException(CONTROLLER_QUORUM_BOOTSTRAP_SERVERS,
                    String.join(",", controllerQuorumBootstrapServers()),
                    "a controller without " + CONTROLLER_QUORUM_VOTERS + " is the quorum's only voter, so it may"
                            + " name at most itself here; Brook has no dynamic controller quorum (KIP-853): list"
                            + " the voters in " + CONTROLLER_QUORUM_VOTERS);
        }
        for (String server : controllerQuorumBootstrapServers()) {
            int colon = server.lastIndexOf(':');
            boolean validPort = false;
            try {
                int port = colon > 0 ? Integer.parseInt(server.substring(colon + 1)) : -1;
                validPort = port >= 1 && port <= 65535;
            } catch (NumberFormatException e) {
                validPort = false;
            }
            if (!validPort) {
                throw new ConfigException(CONTROLLER_QUORUM_BOOTSTRAP_SERVERS,
                        String.join(",", controllerQuorumBootstrapServers()),
                        "entry '" + server + "' is not host:port");
            }
        }
        if (!isBroker() && listenerEndpoints.stream()
                .anyMatch(e -> !controllerListenerNames().contains(e.listener()))) {
            throw new ConfigException("The " + LISTENERS + " config must only contain KRaft controller listeners from "
                    + CONTROLLER_LISTENER_NAMES + " when " + PROCESS_ROLES + "=controller");
        }
        if (isController() && !isBroker() && controllerListener().isEmpty()) {
            throw new ConfigException(CONTROLLER_LISTENER_NAMES + " must contain at least one value appearing in the '"
                    + LISTENERS + "' configuration when running the KRaft controller role");
        }
    }

    private Map<String, SecurityProtocol> parseSecurityProtocolMap(String value) {
        Map<String, SecurityProtocol> map = new LinkedHashMap<>();
        for (String entry : value.split("\\s*,\\s*")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] pair = entry.split("\\s*:\\s*");
            if (pair.length != 2 || pair[0].isEmpty()) {
                throw new ConfigException(LISTENER_SECURITY_PROTOCOL_MAP, value,
                        "expected NAME:PROTOCOL pairs, got '" + entry + "'");
            }
            try {
                map.put(pair[0].trim().toUpperCase(Locale.ROOT),
                        SecurityProtocol.forName(pair[1].trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(LISTENER_SECURITY_PROTOCOL_MAP, value,
                        "unknown security protocol '" + pair[1] + "' (one of " + SecurityProtocol.names() + ")");
            }
        }
        return Collections.unmodifiableMap(map);
    }

    private List<Endpoint> parseEndpoints(String setting, String value) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (String entry : value.split("\\s*,\\s*")) {
            if (entry.isBlank()) {
                continue;
            }
            ListenerAddress address = ListenerAddress.parse(setting, entry);
            SecurityProtocol protocol = securityProtocols.get(address.name());
            if (protocol == null && controllerListenerNames().contains(address.name())) {
                protocol = SecurityProtocol.PLAINTEXT; // as Kafka 4 does for an unmapped controller listener
            }
            if (protocol == null) {
                throw new ConfigException(setting, value, "no security protocol for listener " + address.name()
                        + ": add it to " + LISTENER_SECURITY_PROTOCOL_MAP);
            }
            endpoints.add(new Endpoint(address.name(), protocol, address.host(), address.port()));
        }
        return List.copyOf(endpoints);
    }

    /** Clients cannot connect to "all interfaces": advertise localhost for an empty or loopback host. */
    /**
     * A loopback listener is advertised as {@code localhost}, so clients reach it over IPv4 or IPv6 alike. A wildcard
     * host (empty, 0.0.0.0, ::) is kept: the broker advertises this machine's canonical host name for it, as Kafka
     * does, once it runs.
     */
    private static Endpoint advertisable(Endpoint listener) {
        String host = listener.host() == null ? "" : listener.host();
        boolean loopback = host.equalsIgnoreCase("localhost") || host.startsWith("127.") || host.equals("::1")
                || host.equals("[::1]");
        return loopback
                ? new Endpoint(listener.listener(), listener.securityProtocol(), "localhost", listener.port())
                : listener;
    }

    /** A SASL inter-broker listener needs a mechanism Brook implements and a JAAS config with the broker's login. */
    private void validateInterBrokerSasl(List<String> listenerNames) {
        SecurityProtocol protocol = interBrokerSecurityProtocol();
        String listener = replicationListenerName();
        if ((protocol != SecurityProtocol.SASL_PLAINTEXT && protocol != SecurityProtocol.SASL_SSL)
                || !listenerNames.contains(listener)) {
            return;
        }
        String mechanism = saslMechanismInterBrokerProtocol();
        if (!SUPPORTED_SASL_MECHANISMS.contains(mechanism)) {
            throw new ConfigException(SASL_MECHANISM_INTER_BROKER_PROTOCOL, mechanism, "the inter-broker listener "
                    + listener + " is " + protocol + " but Brook does not implement " + mechanism + " (it implements "
                    + String.join(", ", SUPPORTED_SASL_MECHANISMS) + ")");
        }
        if (!saslEnabledMechanisms(listener).contains(mechanism)) {
            throw new ConfigException(SASL_MECHANISM_INTER_BROKER_PROTOCOL, mechanism,
                    "not among the mechanisms the inter-broker listener " + listener + " offers");
        }
        if (saslJaasConfig(listener, mechanism).isEmpty()) {
            throw new ConfigException(LISTENER_PREFIX + listener.toLowerCase(Locale.ROOT) + "."
                    + mechanism.toLowerCase(Locale.ROOT) + "." + SASL_JAAS_CONFIG, null,
                    "the inter-broker listener needs the broker's username and password for " + mechanism);
        }
    }

    /** Every mechanism a SASL listener offers must be implemented, and PLAIN needs its users. */
    private void validateSaslListener(String name) {
        List<String> mechanisms = saslEnabledMechanisms(name);
        if (mechanisms.isEmpty()) {
            throw new ConfigException(SASL_ENABLED_MECHANISMS, "", "SASL listener " + name + " offers no mechanism");
        }
        for (String mechanism : mechanisms) {
            if (!SUPPORTED_SASL_MECHANISMS.contains(mechanism)) {
                throw new ConfigException(SASL_ENABLED_MECHANISMS, String.join(",", mechanisms), "SASL listener "
                        + name + " offers " + mechanism + ", which Brook does not implement (it implements "
                        + String.join(", ", SUPPORTED_SASL_MECHANISMS) + "; Kafka's default is GSSAPI): set "
                        + SASL_ENABLED_MECHANISMS + " or " + LISTENER_PREFIX + name.toLowerCase(Locale.ROOT) + "."
                        + SASL_ENABLED_MECHANISMS);
            }
        }
        if (mechanisms.contains("PLAIN") && saslJaasConfig(name, "PLAIN").isEmpty()) {
            throw new ConfigException(LISTENER_PREFIX + name.toLowerCase(Locale.ROOT) + ".plain." + SASL_JAAS_CONFIG,
                    null, "SASL listener " + name + " offers PLAIN but has no JAAS config listing its users");
        }
    }

    private static String unknownHint(String name) {
        if (name.startsWith("zookeeper.")) {
            return ": Brook, like Kafka 4, runs without ZooKeeper; remove it";
        }
        if (name.startsWith("sasl.")) {
            return ": Brook reads sasl.enabled.mechanisms, sasl.mechanism.inter.broker.protocol and, per listener,"
                    + " listener.name.<name>.<mechanism>.sasl.jaas.config";
        }
        if (name.startsWith(LISTENER_PREFIX)) {
            return ": only ssl.*, sasl.enabled.mechanisms and <mechanism>.sasl.jaas.config may be given per listener";
        }
        return ": not a broker setting Brook knows (see docs/configuration.md)";
    }

    private void validateConsumerGroupSettings() {
        int session = getInt(GROUP_CONSUMER_SESSION_TIMEOUT_MS);
        if (session < getInt(GROUP_CONSUMER_MIN_SESSION_TIMEOUT_MS)
                || session > getInt(GROUP_CONSUMER_MAX_SESSION_TIMEOUT_MS)) {
            throw new ConfigException(GROUP_CONSUMER_SESSION_TIMEOUT_MS, session, "must be between "
                    + GROUP_CONSUMER_MIN_SESSION_TIMEOUT_MS + " and " + GROUP_CONSUMER_MAX_SESSION_TIMEOUT_MS);
        }
        int heartbeat = getInt(GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS);
        if (heartbeat < getInt(GROUP_CONSUMER_MIN_HEARTBEAT_INTERVAL_MS)
                || heartbeat > getInt(GROUP_CONSUMER_MAX_HEARTBEAT_INTERVAL_MS)) {
            throw new ConfigException(GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, heartbeat, "must be between "
                    + GROUP_CONSUMER_MIN_HEARTBEAT_INTERVAL_MS + " and " + GROUP_CONSUMER_MAX_HEARTBEAT_INTERVAL_MS);
        }
        if (heartbeat >= session) {
            throw new ConfigException(GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, heartbeat,
                    "must be less than " + GROUP_CONSUMER_SESSION_TIMEOUT_MS);
        }
        List<String> assignors = getList(GROUP_CONSUMER_ASSIGNORS);
        if (assignors.isEmpty()) {
            throw new ConfigException(GROUP_CONSUMER_ASSIGNORS, "", "at least one assignor is needed");
        }
        for (String name : assignors) {
            if (!List.of("uniform", "range", "org.apache.kafka.coordinator.group.assignor.UniformAssignor",
                    "org.apache.kafka.coordinator.group.assignor.RangeAssignor").contains(name.trim())) {
                throw new ConfigException(GROUP_CONSUMER_ASSIGNORS, name,
                        "Brook offers the uniform and range assignors (custom assignor classes are not supported)");
            }
        }
    }

    /** gzip level, as Kafka validates it: -1 (the codec's default) or 1..9. */
    private static ConfigDef.Validator gzipLevel() {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            int level = (Integer) value;
            if (level != -1 && (level < 1 || level > 9)) {
                throw new ConfigException(name, value, "Value must be -1 or between 1 and 9");
            }
        }, () -> "[1,...,9] or -1");
    }

    private static Map<String, String> notActedOnReasons() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(UNCLEAN_LEADER_ELECTION_ENABLE, "the controller acts on the topic config and on the dynamic cluster"
                + " default (kafka-configs --entity-type brokers --entity-default), which are part of the replicated"
                + " metadata; this static value is not");
        m.put(SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR, "share groups are not implemented");
        m.put(SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR, "share groups are not implemented");
        m.put(GROUP_CONSUMER_MIGRATION_POLICY, "Brook does not migrate live groups between the classic and consumer"
                + " protocols: it always answers as Kafka does with the policy disabled (only empty groups change"
                + " protocol)");
        String notWired = "not wired into the server yet";
        m.put(NUM_NETWORK_THREADS, notWired);
        m.put(NUM_IO_THREADS, notWired);
        m.put(QUEUED_MAX_REQUESTS, notWired);
        m.put(SOCKET_SEND_BUFFER_BYTES, notWired);
        m.put(SOCKET_RECEIVE_BUFFER_BYTES, notWired);
        String storage = "not wired into the storage engine yet";
        m.put(NUM_RECOVERY_THREADS_PER_DATA_DIR, storage);
        m.put(LOG_PREALLOCATE, storage);
        m.put(LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS, storage);
        String coordinators = "not wired into the coordinators yet";
        m.put(OFFSETS_RETENTION_MINUTES, coordinators);
        m.put(GROUP_INITIAL_REBALANCE_DELAY_MS, coordinators);
        m.put(GROUP_MIN_SESSION_TIMEOUT_MS, coordinators);
        m.put(GROUP_MAX_SESSION_TIMEOUT_MS, coordinators);
        return Collections.unmodifiableMap(m);
    }

    /** Builds the definition section by section, so the generated docs follow the same order and groups. */
    private static final class Definitions {
        private final ConfigDef def = new ConfigDef();
        private String group = "";
        private int order;

        Definitions group(String name) {
            group = name;
            order = 0;
            return this;
        }

        Definitions define(String name, ConfigDef.Type type, Object defaultValue, ConfigDef.Validator validator,
                ConfigDef.Importance importance, String doc) {
            def.define(name, type, defaultValue, validator, importance, doc, group, ++order, ConfigDef.Width.NONE,
                    name);
            return this;
        }

        Definitions define(String name, ConfigDef.Type type, Object defaultValue, ConfigDef.Importance importance,
                String doc) {
            return define(name, type, defaultValue, null, importance, doc);
        }

        ConfigDef build() {
            return def;
        }
    }
}
