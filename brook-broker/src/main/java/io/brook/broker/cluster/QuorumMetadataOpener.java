package io.brook.broker.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.Endpoint;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.broker.config.BrokerConfig;
import io.brook.broker.security.ControllerTls;
import io.brook.metadata.cluster.CommandReply;
import io.brook.metadata.cluster.LegacyMetadataImport;
import io.brook.metadata.cluster.MetadataCommand.ImportLegacyMetadata;
import io.brook.metadata.cluster.MetadataRequests;
import io.brook.metadata.cluster.QuorumMetadataStore;
import io.brook.metadata.quorum.QuorumConfig;
import io.brook.metadata.quorum.QuorumDiscovery;
import io.brook.metadata.quorum.QuorumEndpoint;
import io.brook.metadata.quorum.QuorumRole;
import io.brook.metadata.quorum.QuorumTls;
import io.brook.metadata.quorum.QuorumVoters;

/**
 * Opens this node's {@link QuorumMetadataStore} from the broker configuration: derives the quorum's voters and this
 * node's role and address, waits for a leader, and on the first start after an upgrade from single-node Brook imports
 * the old {@code metadata.json}. Stateless.
 */
public final class QuorumMetadataOpener {

    private static final Logger LOG = LoggerFactory.getLogger(QuorumMetadataOpener.class);

    /** Directory, under {@code metadata.log.dir}, holding the quorum's log and snapshots (Kafka's name). */
    public static final String QUORUM_DIR = "__cluster_metadata";

    private QuorumMetadataOpener() {
    }

    /**
     * Starts the quorum member and waits (up to {@code initial.broker.registration.timeout.ms}) until it knows a
     * leader and has caught up, then imports {@code legacyDir}'s single-node metadata if the cluster has never had a
     * broker nor a topic.
     *
     * @param legacyDir where single-node Brook kept {@code metadata.json}
     */
    public static QuorumMetadataStore open(BrokerConfig config, Path legacyDir, Time time) throws IOException {
        Optional<QuorumTls> tls = ControllerTls.from(config);
        QuorumConfig quorumConfig = quorumConfig(config, tls);
        QuorumMetadataStore store = QuorumMetadataStore.start(quorumConfig, tls, settings(config), time);
        try {
            store.awaitReady(Duration.ofMillis(config.initialBrokerRegistrationTimeoutMs()));
            importLegacy(store, legacyDir, config.nodeId());
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    static QuorumMetadataStore.Settings settings(BrokerConfig config) {
        // A command's apply creates logs on every node (50 for __consumer_offsets, more for a big topic), so it
        // may take far longer than a Raft round trip; no majority still fails it, after this long.
        // At most the quorum's longest call: its client gives a command up after that whatever the caller waits.
        Duration operation = Duration.ofMillis(Math.min(
                Math.max(config.controllerQuorumRequestTimeoutMs() + 1000L, 15_000L),
                QuorumConfig.MAX_CALL_TIMEOUT.toMillis()));
        return new QuorumMetadataStore.Settings(operation, config.brokerSessionTimeoutMs(),
                config.brokerHeartbeatIntervalMs(), config.leaderImbalanceCheckIntervalMs());
    }

    /**
     * The quorum settings of this node: voters, role, address, storage and timeouts. A broker-only node without
     * {@code controller.quorum.voters} finds them through {@code controller.quorum.bootstrap.servers} first (blocking,
     * up to {@code initial.broker.registration.timeout.ms}).
     */
    public static QuorumConfig quorumConfig(BrokerConfig config) {
        return quorumConfig(config, ControllerTls.from(config));
    }

    /** As {@link #quorumConfig(BrokerConfig)}, finding the voters over {@code tls} when present. */
    static QuorumConfig quorumConfig(BrokerConfig config, Optional<QuorumTls> tls) {
        Path storage = Path.of(config.metadataLogDir()).toAbsolutePath().resolve(QUORUM_DIR);
        Optional<Endpoint> listener = config.controllerListener();
        String bindHost = listener.map(QuorumMetadataOpener::bindHost).orElse("127.0.0.1");
        QuorumConfig quorum;
        Optional<QuorumVoters> explicit = config.explicitQuorumVoters();
        if (explicit.isEmpty() && !config.isController()) {
            // KIP-853 style: a broker-only node that knows only some controllers' addresses asks them for the voters.
            explicit = Optional.of(QuorumDiscovery.discover(config.controllerQuorumBootstrapServers(),
                    Duration.ofMillis(config.controllerQuorumRequestTimeoutMs()),
                    Duration.ofMillis(config.initialBrokerRegistrationTimeoutMs()), tls));
        }
        if (explicit.isPresent()) {
            if (config.isController()) {
                quorum = QuorumConfig.voter(config.nodeId(), explicit.get(), storage).withBindHost(bindHost);
            } else {
                QuorumEndpoint address;
                if (listener.isPresent()) {
                    Endpoint own = listener.get();
                    if (own.port() == 0) {
                        throw new org.apache.kafka.common.config.ConfigException(BrokerConfig.LISTENERS,
                                config.listeners(), "the controller listener of a broker-only node needs a fixed port");
                    }
                    address = new QuorumEndpoint(config.nodeId(), advertisedHost(config, own), own.port());
                } else {
                    // As in Kafka, a broker-only node need not configure a controller listener. It still follows the
                    // log as a Raft listener, which the leader pushes to: it uses the host other brokers reach it at
                    // and a port chosen once and kept with its quorum files, so the group keeps a valid address.
                    Endpoint replication = config.brokerListenerEndpoints().stream()
                            .filter(e -> e.listener().equals(config.replicationListenerName())).findFirst()
                            .orElse(config.brokerListenerEndpoints().get(0));
                    String host = advertisedHost(config, replication);
                    bindHost = bindHost(replication);
                    address = new QuorumEndpoint(config.nodeId(), host, ListenerPort.load(storage, bindHost));
                }
                quorum = new QuorumConfig(config.nodeId(), QuorumRole.LISTENER, explicit.get(), address, bindHost,
                        storage, QuorumConfig.DEFAULT_SNAPSHOT_THRESHOLD, QuorumConfig.DEFAULT_SEGMENT_BYTES,
                        QuorumConfig.DEFAULT_REQUEST_TIMEOUT, QuorumConfig.DEFAULT_ELECTION_TIMEOUT);
            }
        } else {
            // A single node that is its own only voter: at its controller listener, or a free loopback port.
            int port = listener.map(Endpoint::port).filter(p -> p != 0).orElseGet(QuorumMetadataOpener::freePort);
            String host = listener.map(e -> advertisedHost(config, e)).orElse("127.0.0.1");
            if (listener.isEmpty()) {
                LOG.info("No controller listener among {}: the metadata quorum of this single node uses port {}",
                        config.listeners(), port);
            }
            QuorumVoters single = QuorumVoters.of(List.of(new QuorumEndpoint(config.nodeId(), host, port)));
            quorum = QuorumConfig.voter(config.nodeId(), single, storage).withBindHost(bindHost);
        }
        return quorum.withRequestTimeout(Duration.ofMillis(config.controllerQuorumRequestTimeoutMs()))
                .withElectionTimeout(Duration.ofMillis(config.controllerQuorumElectionTimeoutMs()));
    }

    private static void importLegacy(QuorumMetadataStore store, Path legacyDir, int nodeId) {
        if (!store.image().brokers().isEmpty() || !store.image().topicsByName().isEmpty()) {
            return;
        }
        Optional<ImportLegacyMetadata> command = LegacyMetadataImport.fromDirectory(legacyDir, nodeId);
        if (command.isEmpty()) {
            return;
        }
        try {
            CommandReply reply = store.submit(command.get()).get(30, java.util.concurrent.TimeUnit.SECONDS);
            MetadataRequests.orThrow(reply, CommandReply.Done.class);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while importing " + legacyDir, e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Cannot import the single-node metadata of " + legacyDir, e);
        }
        LOG.info("Imported the single-node metadata of {} into the cluster metadata: {} topic(s)", legacyDir,
                command.get().topics().size());
    }

    /** The host to bind: the listener's, or every interface for an empty one. */
    private static String bindHost(Endpoint listener) {
        String host = listener.host() == null ? "" : listener.host();
        return host.isEmpty() ? "0.0.0.0" : host;
    }

    /** How other nodes reach this one's controller listener. */
    private static String advertisedHost(BrokerConfig config, Endpoint listener) {
        String host = config.advertisedEndpoints().stream().filter(e -> e.listener().equals(listener.listener()))
                .map(Endpoint::host).findFirst().orElse(listener.host());
        if (host == null || host.isEmpty() || host.equals("0.0.0.0") || host.equals("::")) {
            try {
                return InetAddress.getLocalHost().getCanonicalHostName();
            } catch (UnknownHostException e) {
                return "localhost";
            }
        }
        return host;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port for the metadata quorum", e);
        }
    }
}
