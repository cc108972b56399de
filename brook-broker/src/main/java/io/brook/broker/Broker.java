package io.brook.broker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.apache.kafka.common.Endpoint;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.authz.AclAuthorizer;
import io.brook.broker.authz.Authorization;
import io.brook.broker.authz.RequestChecks;
import io.brook.broker.authz.RequestGate;
import io.brook.broker.cluster.BrokerLifecycle;
import io.brook.broker.cluster.QuorumMetadataOpener;
import io.brook.broker.config.BrokerConfig;
import io.brook.broker.handlers.acl.AclHandlers;
import io.brook.broker.handlers.admin.AdminHandlers;
import io.brook.broker.handlers.core.ApiVersionsHandler;
import io.brook.broker.handlers.core.CoreHandlers;
import io.brook.broker.handlers.data.DataPathHandlers;
import io.brook.broker.handlers.group.GroupHandlers;
import io.brook.broker.handlers.quota.QuotaHandlers;
import io.brook.broker.handlers.sasl.SaslHandlers;
import io.brook.broker.handlers.txn.TransactionHandlers;
import io.brook.broker.logging.LoggerLevels;
import io.brook.broker.metrics.BrokerGauges;
import io.brook.broker.metrics.BrokerMetrics;
import io.brook.broker.metrics.TimedApiHandler;
import io.brook.broker.network.ListenerSpec;
import io.brook.broker.network.NettyServer;
import io.brook.broker.network.limits.ConnectionLimits;
import io.brook.broker.network.limits.ConnectionQuotas;
import io.brook.broker.partition.LogConfigResolver;
import io.brook.broker.quota.ClientQuotas;
import io.brook.broker.quota.QuotaGate;
import io.brook.broker.registry.ApiRegistry;
import io.brook.broker.security.ListenerSecurity;
import io.brook.broker.security.ScramCredentialSource;
import io.brook.metadata.MetadataStore;
import io.brook.metadata.cluster.QuorumMetadataStore;
import io.brook.metadata.quorum.QuorumStatus;
import io.brook.storage.CleanerConfig;
import io.brook.storage.DefaultLogManager;
import io.brook.storage.LogConfig;
import io.brook.storage.LogDirFailureListener;
import io.brook.storage.LogManager;
import io.brook.storage.PartitionLog;

/**
 * A running broker: storage, metadata, the handler families and the protocol server, started in that order and
 * closed in reverse (stop accepting and close connections, then the families, the metadata store, the log manager).
 *
 * <p>{@link #start} and {@link #close} may be called from different threads (close from a shutdown hook);
 * {@link #close} is idempotent.
 */
public final class Broker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);
    /** Directory (under the first log dir) holding the metadata store's files. */
    public static final String METADATA_DIR = "__brook_metadata";
    /**
     * The handler families a real broker runs. Every broker, whatever families it is given, also has the core ones:
     * {@link CoreHandlers} (Metadata) and ApiVersions.
     */
    public static final List<Function<BrokerContext, HandlerFamily>> STANDARD_FAMILIES = List
            .of(DataPathHandlers::create, AdminHandlers::create, GroupHandlers::create, TransactionHandlers::create,
                    SaslHandlers::create, AclHandlers::create, QuotaHandlers::create);

    /** Opens the storage engine (e.g. {@code DefaultLogManager::open}). */
    @FunctionalInterface
    public interface LogManagerFactory {
        LogManager open(List<Path> logDirs, LogConfig defaultConfig, Time time) throws IOException;
    }

    /**
     * Opens the metadata store. {@code dir} is where single-node Brook kept its metadata ({@link #METADATA_DIR} under
     * the first log dir): the quorum store imports it once; a test double may ignore it.
     */
    @FunctionalInterface
    public interface MetadataStoreFactory {
        MetadataStore open(Path dir, Time time) throws IOException;
    }

    private final BrokerContext context;
    private final NettyServer server;
    private final List<HandlerFamily> families;
    private final Map<String, Integer> boundPorts;
    private final BrokerLifecycle lifecycle;
    private final CompletableFuture<String> fatalStop;
    private boolean closed;

    private Broker(BrokerContext context, NettyServer server, List<HandlerFamily> families,
            Map<String, Integer> boundPorts, BrokerLifecycle lifecycle, CompletableFuture<String> fatalStop) {
        this.context = context;
        this.fatalStop = fatalStop;
        this.server = server;
        this.families = families;
        this.boundPorts = boundPorts;
        this.lifecycle = lifecycle;
    }

    /**
     * Starts a broker with the real storage engine, the metadata quorum (one voter on a single node) and every handler
     * family.
     */
    public static Broker start(BrokerConfig config) throws IOException {
        return start(config, BrokerMetrics.NONE);
    }

    /** As {@link #start(BrokerConfig)}, recording its metrics into {@code metrics}. */
    public static Broker start(BrokerConfig config, BrokerMetrics metrics) throws IOException {
        return start(config, Time.SYSTEM,
                (dirs, logConfig, time) -> DefaultLogManager.open(dirs, logConfig, time, cleanerConfig(config)),
                (legacyDir, time) -> QuorumMetadataOpener.open(config, legacyDir, time), STANDARD_FAMILIES, metrics);
    }

    /** The log cleaner's settings ({@code log.cleaner.*}, {@code log.segment.delete.delay.ms}). */
    static CleanerConfig cleanerConfig(BrokerConfig config) {
        return new CleanerConfig(config.logCleanerEnable(), config.getInt(BrokerConfig.LOG_CLEANER_THREADS),
                config.getLong(BrokerConfig.LOG_CLEANER_DEDUPE_BUFFER_SIZE),
                config.getInt(BrokerConfig.LOG_CLEANER_IO_BUFFER_SIZE),
                config.getLong(BrokerConfig.LOG_CLEANER_BACKOFF_MS),
                config.getLong(BrokerConfig.LOG_SEGMENT_DELETE_DELAY_MS));
    }

    /**
     * Starts a broker: reads or creates {@code meta.properties} in the first log dir, opens storage and metadata,
     * binds the listeners, builds the handler families and the core handlers, then accepts connections. On failure
     * everything opened so far is closed again.
     */
    public static Broker start(BrokerConfig config, Time time, LogManagerFactory logManagerFactory,
            MetadataStoreFactory metadataStoreFactory, List<Function<BrokerContext, HandlerFamily>> familyFactories)
            throws IOException {
        return start(config, time, logManagerFactory, metadataStoreFactory, familyFactories, BrokerMetrics.NONE);
    }

    /** As above, with the metrics the broker records into (registered in its services for the families). */
    public static Broker start(BrokerConfig config, Time time, LogManagerFactory logManagerFactory,
            MetadataStoreFactory metadataStoreFactory, List<Function<BrokerContext, HandlerFamily>> familyFactories,
            BrokerMetrics metrics) throws IOException {
        return start(config, time, logManagerFactory, metadataStoreFactory, familyFactories, metrics, null);
    }

    /** As {@link #start(BrokerConfig, BrokerMetrics)}, with the logging backend's logger levels (BROKER_LOGGER). */
    public static Broker start(BrokerConfig config, BrokerMetrics metrics, LoggerLevels loggerLevels)
            throws IOException {
        return start(config, Time.SYSTEM,
                (dirs, logConfig, time) -> DefaultLogManager.open(dirs, logConfig, time, cleanerConfig(config)),
                (legacyDir, time) -> QuorumMetadataOpener.open(config, legacyDir, time), STANDARD_FAMILIES, metrics,
                loggerLevels);
    }

    /**
     * As above, with the logger levels the BROKER_LOGGER resource shows and changes (registered in the services);
     * null keeps them in memory only.
     */
    public static Broker start(BrokerConfig config, Time time, LogManagerFactory logManagerFactory,
            MetadataStoreFactory metadataStoreFactory, List<Function<BrokerContext, HandlerFamily>> familyFactories,
            BrokerMetrics metrics, LoggerLevels loggerLevels) throws IOException {
        long startMs = time.milliseconds();
        // Controller listeners carry the metadata quorum's Raft traffic, bound by the quorum itself.
        List<String> controllerNames = config.controllerListenerNames();
        List<ListenerSpec> listeners = ListenerSpec.parseAll(BrokerConfig.LISTENERS, config.listeners()).stream()
                .filter(l -> !controllerNames.contains(l.name())).toList();
        List<Path> logDirs = config.logDirs().stream().map(dir -> Path.of(dir).toAbsolutePath()).toList();
        for (Path dir : logDirs) {
            Files.createDirectories(dir);
        }
        MetaProperties meta = MetaProperties.loadOrCreate(logDirs.get(0), config.nodeId(),
                config.getString(BrokerConfig.CLUSTER_ID));

        Deque<AutoCloseable> opened = new ArrayDeque<>();
        // The metadata quorum starts (and elects, and catches up) while the logs recover: neither needs the other.
        CompletableFuture<MetadataStore> metadataOpening = openInBackground(metadataStoreFactory,
                logDirs.get(0).resolve(METADATA_DIR), time);
        try {
            LogManager logManager;
            try {
                logManager = logManagerFactory.open(logDirs,
                        new LogConfigResolver(config).resolve(Map.of(), Map.of()), time);
            } catch (IOException | RuntimeException e) {
                metadataOpening.thenAccept(Broker::closeQuietly);
                throw e;
            }
            opened.push(logManager);
            CompletableFuture<String> fatalStop = new CompletableFuture<>();
            logManager.addLogDirFailureListener(new LogDirFailureStop(fatalStop));
            logManager.startRetention(config.logRetentionCheckIntervalMs());

            ApiRegistry registry = new ApiRegistry();
            // SASL listeners are bound before the metadata store is open; they accept nobody until it is.
            AtomicReference<MetadataStore> openedMetadata = new AtomicReference<>();
            ScramCredentialSource scramCredentials = ScramCredentialSource.fromImages(() -> {
                MetadataStore store = openedMetadata.get();
                return store == null ? null : store.image();
            });
            NettyServer server;
            try {
                server = new NettyServer(registry, config.socketRequestMaxBytes(),
                        Runtime.getRuntime().availableProcessors(), config.connectionsMaxIdleMs(),
                        new ConnectionQuotas(ConnectionLimits.from(config,
                                listeners.stream().map(ListenerSpec::name).toList()),
                                config.replicationListenerName(), time));
                opened.push(server);
                for (ListenerSpec listener : listeners) {
                    server.bind(listener, ListenerSecurity.create(config, listener.name(),
                            config.listenerSecurityProtocolMap().getOrDefault(listener.name(),
                                    SecurityProtocol.PLAINTEXT),
                            scramCredentials, time));
                }
            } catch (RuntimeException e) {
                metadataOpening.thenAccept(Broker::closeQuietly);
                throw e;
            }
            Map<String, Integer> ports = server.boundPorts();
            MetadataStore metadata = join(metadataOpening);
            openedMetadata.set(metadata);
            // Closed after the server on failure, as on close().
            opened.removeFirstOccurrence(server);
            opened.push(metadata);
            opened.push(server);
            BrokerContext context = new BrokerContext(config, meta.clusterId(), meta.nodeId(),
                    advertisedListeners(config, ports), metadata, logManager, time);
            context.services().register(BrokerMetrics.class, metrics);
            if (loggerLevels != null) {
                context.services().register(LoggerLevels.class, loggerLevels);
            }
            BrokerGauges.register(metrics, context);
            Authorization authorization = Authorization.ALLOW_ALL;
            if (config.authorizationEnabled()) {
                authorization = new Authorization(new AclAuthorizer(config.superUsers(),
                        config.allowEveryoneIfNoAclFound()).follow(metadata));
                context.services().register(Authorization.class, authorization);
            }
            BrokerLifecycle lifecycle = null;
            if (metadata instanceof QuorumMetadataStore quorum && config.isBroker()) {
                lifecycle = new BrokerLifecycle(quorum, meta.nodeId(), registeredEndpoints(context),
                        config.brokerRack().orElse(null), config.brokerHeartbeatIntervalMs());
                opened.push(lifecycle);
            }

            if (lifecycle != null) {
                // Registration runs while the families are built; the server accepts nothing before both are done.
                lifecycle.start();
                reportOfflineReplicas(logManager, lifecycle);
            }

            List<HandlerFamily> families = new ArrayList<>();
            HandlerFamily core = CoreHandlers.create(context);
            opened.push(core);
            families.add(core);
            for (Function<BrokerContext, HandlerFamily> factory : familyFactories) {
                HandlerFamily family = factory.apply(context);
                opened.push(family);
                families.add(family);
            }
            ClientQuotas quotas = new ClientQuotas(config.quotaWindowNum(), config.quotaWindowSizeSeconds(), time,
                    metadata);
            registerHandlers(registry, families, authorization, new RequestChecks(authorization, metadata), quotas,
                    metrics);
            if (lifecycle != null) {
                lifecycle.awaitUnfenced(Duration.ofMillis(config.initialBrokerRegistrationTimeoutMs()));
            }
            opened.clear();

            Broker broker = new Broker(context, server, families, ports, lifecycle, fatalStop);
            server.startAccepting();
            LOG.info("Brook node {} of cluster {} started in {} ms; advertised listeners {}", meta.nodeId(),
                    meta.clusterId(), time.milliseconds() - startMs, context.advertisedListeners());
            return broker;
        } catch (IOException | RuntimeException e) {
            // Close in reverse order of opening: server first, storage last.
            while (!opened.isEmpty()) {
                closeQuietly(opened.pop());
            }
            throw e;
        }
    }

    private static CompletableFuture<MetadataStore> openInBackground(MetadataStoreFactory factory, Path dir,
            Time time) {
        CompletableFuture<MetadataStore> future = new CompletableFuture<>();
        Thread opener = new Thread(() -> {
            try {
                future.complete(factory.open(dir, time));
            } catch (IOException | RuntimeException e) {
                future.completeExceptionally(e);
            }
        }, "brook-metadata-open");
        opener.setDaemon(true);
        opener.start();
        return future;
    }

    private static MetadataStore join(CompletableFuture<MetadataStore> future) throws IOException {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    public BrokerContext context() {
        return context;
    }

    /** The port a listener is bound to (resolves port 0 to the ephemeral port chosen). */
    public int boundPort(String listenerName) {
        Integer port = boundPorts.get(listenerName);
        if (port == null) {
            throw new IllegalArgumentException("No listener named " + listenerName + "; listeners: "
                    + boundPorts.keySet());
        }
        return port;
    }

    public List<Endpoint> advertisedListeners() {
        return context.advertisedListeners();
    }

    /**
     * Completes, with the reason, when the broker can serve nothing any more and its process should stop: every log
     * dir went offline (as Kafka halts then). The broker does not close itself: the server's stop path does, and
     * ends the process with a failure status.
     */
    public CompletableFuture<String> fatalStop() {
        return fatalStop;
    }

    /** Stops accepting and closes connections, then the families, the metadata store and the log manager. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("Brook node {} shutting down", context.nodeId());
        if (lifecycle != null) {
            // Move leaderships away while clients can still ask where they went.
            lifecycle.controlledShutdown(Duration.ofMillis(context.config().controllerQuorumRequestTimeoutMs()));
        }
        closeQuietly(server);
        for (int i = families.size() - 1; i >= 0; i--) {
            closeQuietly(families.get(i));
        }
        if (lifecycle != null) {
            closeQuietly(lifecycle);
        }
        closeQuietly(context.metadata());
        closeQuietly(context.logManager());
        LOG.info("Brook node {} stopped", context.nodeId());
    }

    /** The metadata quorum's view of this node, or empty when its metadata store is not the quorum (tests). */
    public Optional<QuorumStatus> quorumStatus() {
        return context.metadata() instanceof QuorumMetadataStore quorum
                ? Optional.of(quorum.status())
                : Optional.empty();
    }

    /** The advertised broker endpoints in the form the controller records them. */
    private static List<io.brook.metadata.Endpoint> registeredEndpoints(BrokerContext context) {
        return context.advertisedListeners().stream().map(e -> new io.brook.metadata.Endpoint(e.listener(),
                e.host(), e.port(), e.securityProtocol().name)).toList();
    }

    /** Registers the families' handlers, then ApiVersions, which advertises what is registered. */
    static ApiRegistry registerHandlers(ApiRegistry registry, List<HandlerFamily> families) {
        return registerHandlers(registry, families, Authorization.ALLOW_ALL, null);
    }

    /** The same, with the APIs Kafka authorizes against the cluster as a whole behind {@link RequestGate}. */
    static ApiRegistry registerHandlers(ApiRegistry registry, List<HandlerFamily> families,
            Authorization authorization, RequestChecks checks) {
        return registerHandlers(registry, families, authorization, checks, null, BrokerMetrics.NONE);
    }

    /**
     * The same, each handler also behind the client quotas ({@link QuotaGate}) unless {@code quotas} is null, and
     * timed into {@code metrics} outside both gates (refused and throttled requests count too).
     */
    static ApiRegistry registerHandlers(ApiRegistry registry, List<HandlerFamily> families,
            Authorization authorization, RequestChecks checks, ClientQuotas quotas, BrokerMetrics metrics) {
        for (HandlerFamily family : families) {
            List<ApiHandler<?>> guarded = RequestGate.guard(family.handlers(), authorization, checks);
            registry.registerAll(
                    TimedApiHandler.timeAll(quotas == null ? guarded : QuotaGate.wrap(guarded, quotas), metrics));
        }
        registry.registerAll(TimedApiHandler.timeAll(List.of(new ApiVersionsHandler(registry)), metrics));
        return registry;
    }

    /**
     * The configured advertised endpoints ({@link BrokerConfig#advertisedEndpoints()}) as the running broker gives them
     * to clients: a wildcard host becomes this machine's canonical host name (as in Kafka) and port 0 the bound port.
     */
    static List<Endpoint> advertisedListeners(BrokerConfig config, Map<String, Integer> boundPorts) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (Endpoint endpoint : config.advertisedBrokerEndpoints()) {
            int port = endpoint.port() == 0 ? boundPorts.get(endpoint.listener()) : endpoint.port();
            endpoints.add(new Endpoint(endpoint.listener(), endpoint.securityProtocol(), advertisedHost(endpoint),
                    port));
        }
        return List.copyOf(endpoints);
    }

    private static String advertisedHost(Endpoint endpoint) {
        String host = endpoint.host() == null ? "" : endpoint.host();
        if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            try {
                return InetAddress.getLocalHost().getCanonicalHostName();
            } catch (UnknownHostException e) {
                return "localhost";
            }
        }
        return host;
    }

    /**
     * In a cluster, the controller moves the leaderships and ISR memberships of partitions whose log dir failed off
     * this broker: those of a dir that fails from now on, and of any that already failed.
     */
    private static void reportOfflineReplicas(LogManager logManager, BrokerLifecycle lifecycle) {
        logManager.addLogDirFailureListener((dir, partitions, allLogDirsOffline) -> {
            if (!allLogDirsOffline) {
                lifecycle.reportOfflineReplicas(partitions);
            }
        });
        lifecycle.reportOfflineReplicas(logManager.all().stream().filter(PartitionLog::isOffline)
                .map(PartitionLog::topicPartition).toList());
    }

    /** Asks the process to stop once no log dir is left online; the storage layer has logged each failure. */
    private record LogDirFailureStop(CompletableFuture<String> fatalStop) implements LogDirFailureListener {

        @Override
        public void onLogDirFailure(String logDir, Set<TopicPartition> partitions,
                boolean allLogDirsOffline) {
            if (allLogDirsOffline && fatalStop.complete("every log directory is offline (the last: " + logDir
                    + ")")) {
                LOG.error("Every log directory is offline after I/O errors; stopping the broker");
            }
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("Error while closing {}", closeable.getClass().getSimpleName(), e);
        }
    }
}
