package io.brook.broker.network;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.broker.config.BrokerConfig;
import io.brook.broker.network.limits.ConnectionQuotas;
import io.brook.broker.registry.ApiRegistry;
import io.brook.broker.security.ListenerSecurity;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * The Kafka protocol server: binds every listener, one acceptor thread and one event loop per core (epoll when the
 * native transport loads, else NIO), and a pipeline of {@link KafkaFrameDecoder} then {@link KafkaConnectionHandler}
 * per connection (with an {@link IdleStateHandler} between them for {@code connections.max.idle.ms}); on an SSL
 * listener a Netty {@link SslHandler} (JDK provider, engine from kafka-clients'
 * {@code SslFactory}) and a {@link FileRegionReader} come first.
 *
 * <p>Listeners are bound with accepting paused, so the broker can learn the bound ports (port 0), finish building its
 * handlers from them, and only then {@link #startAccepting()}.
 *
 * <p>Lifecycle methods are called by one thread (the broker's); {@link #close()} is idempotent.
 */
public final class NettyServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NettyServer.class);
    private static final long SHUTDOWN_QUIET_MS = 0;
    private static final long SHUTDOWN_TIMEOUT_MS = 5_000;
    /** Kafka's default {@code connections.max.idle.ms}. */
    private static final long DEFAULT_MAX_IDLE_MS = 10 * 60 * 1000L;

    private final ApiRegistry registry;
    private final int maxRequestBytes;
    private final long maxIdleMs;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final Class<? extends ServerChannel> serverChannelClass;
    private final ChannelGroup serverChannels = new DefaultChannelGroup("brook-listeners",
            GlobalEventExecutor.INSTANCE);
    private final ChannelGroup clientChannels = new DefaultChannelGroup("brook-connections",
            GlobalEventExecutor.INSTANCE);
    private final Map<String, Integer> boundPorts = new LinkedHashMap<>();
    private final List<ListenerSecurity> securities = new ArrayList<>();
    private final ConnectionQuotas connectionQuotas;
    private final List<AcceptGate> acceptGates = new CopyOnWriteArrayList<>();
    private boolean closed;

    public NettyServer(ApiRegistry registry, int maxRequestBytes, int workerThreads) {
        this(registry, maxRequestBytes, workerThreads, DEFAULT_MAX_IDLE_MS);
    }

    /**
     * A server whose connections are closed after {@code maxIdleMs} ({@code connections.max.idle.ms}) without a
     * complete request read or a response written while no request is outstanding; a negative value (or 0) never closes
     * them.
     */
    public NettyServer(ApiRegistry registry, int maxRequestBytes, int workerThreads, long maxIdleMs) {
        this(registry, maxRequestBytes, workerThreads, maxIdleMs, ConnectionQuotas.unlimited());
    }

    /**
     * A server as {@link #NettyServer(ApiRegistry, int, int, long)} whose listeners accept connections within
     * {@code connectionQuotas} ({@code max.connections}, {@code max.connections.per.ip},
     * {@code max.connection.creation.rate}; see {@link AcceptGate}).
     */
    public NettyServer(ApiRegistry registry, int maxRequestBytes, int workerThreads, long maxIdleMs,
            ConnectionQuotas connectionQuotas) {
        this.registry = registry;
        this.connectionQuotas = connectionQuotas;
        this.maxRequestBytes = maxRequestBytes;
        this.maxIdleMs = maxIdleMs;
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory ioHandlers = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.serverChannelClass = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        this.acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("brook-acceptor"), ioHandlers);
        this.workers = new MultiThreadIoEventLoopGroup(workerThreads, new DefaultThreadFactory("brook-network"),
                ioHandlers);
        LOG.debug("Network transport: {}", epoll ? "epoll" : "nio");
    }

    /**
     * Binds {@code listener} on every address its host resolves to (all interfaces for an empty or wildcard host). An
     * address that fails to bind is skipped and logged as long as one other bound; with port 0 every address shares
     * the port the first one got. Returns the bound port.
     */
    public int bind(ListenerSpec listener) {
        return bind(listener, ListenerSecurity.plaintext(listener.name()));
    }

    /**
     * Binds {@code listener} as {@link #bind(ListenerSpec)} does, with {@code security} for its connections: a TLS
     * handler in front of each connection of an SSL listener, whose key store is checked for changes every
     * {@value BrokerConfig#KEYSTORE_RELOAD_CHECK_SECONDS} s. The server closes {@code security} when it closes.
     */
    public int bind(ListenerSpec listener, ListenerSecurity security) {
        securities.add(security);
        connectionQuotas.addListener(listener.name());
        if (security.usesTls()) {
            acceptor.next().scheduleAtFixedRate(security::reloadIfChanged, BrokerConfig.KEYSTORE_RELOAD_CHECK_SECONDS,
                    BrokerConfig.KEYSTORE_RELOAD_CHECK_SECONDS, TimeUnit.SECONDS);
        }
        List<InetSocketAddress> bound = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        int port = listener.port();
        for (InetAddress address : addressesOf(listener)) {
            InetSocketAddress target = address == null
                    ? new InetSocketAddress(port)
                    : new InetSocketAddress(address, port);
            try {
                Channel channel = bootstrap(listener.name(), security).bind(target).syncUninterruptibly().channel();
                serverChannels.add(channel);
                InetSocketAddress local = (InetSocketAddress) channel.localAddress();
                bound.add(local);
                port = local.getPort();
            } catch (RuntimeException e) {
                failures.add(target + ": " + e.getMessage());
            }
        }
        if (bound.isEmpty()) {
            throw new KafkaException("Could not bind listener " + listener + ": " + String.join("; ", failures));
        }
        for (String failure : failures) {
            LOG.info("Listener {} skipped an address that did not bind ({})", listener.name(), failure);
        }
        for (InetSocketAddress address : bound) {
            LOG.info("Brook listening on {} ({}, {}, {})", address, listener.name(), security.protocol(),
                    Epoll.isAvailable() ? "epoll" : "nio");
        }
        boundPorts.put(listener.name(), port);
        return port;
    }

    /** Starts accepting connections on every bound listener. */
    public void startAccepting() {
        for (Channel channel : serverChannels) {
            channel.config().setAutoRead(true);
        }
    }

    public Map<String, Integer> boundPorts() {
        return Map.copyOf(boundPorts);
    }

    /** Stops accepting, closes every connection, stops the event loops. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        serverChannels.close().awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        clientChannels.close().awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        acceptor.shutdownGracefully(SHUTDOWN_QUIET_MS, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        workers.shutdownGracefully(SHUTDOWN_QUIET_MS, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        acceptor.terminationFuture().awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        workers.terminationFuture().awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        for (ListenerSecurity security : securities) {
            security.close();
        }
    }

    private ServerBootstrap bootstrap(String listenerName, ListenerSecurity security) {
        AcceptGate gate = new AcceptGate(listenerName, connectionQuotas, this::wakeAcceptGates);
        acceptGates.add(gate);
        return new ServerBootstrap().group(acceptor, workers).channel(serverChannelClass)
                .option(ChannelOption.SO_REUSEADDR, true).option(ChannelOption.AUTO_READ, false).handler(gate)
                .childOption(ChannelOption.TCP_NODELAY, true).childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        clientChannels.add(channel);
                        InetSocketAddress peer = channel.remoteAddress();
                        security.newServerEngine(peer.getAddress().getHostAddress(), peer.getPort())
                                .ifPresent(engine -> channel.pipeline().addLast("tls", new SslHandler(engine))
                                        .addLast("file-regions", new FileRegionReader()));
                        channel.pipeline().addLast("frame", new KafkaFrameDecoder(maxRequestBytes));
                        if (maxIdleMs > 0) {
                            // After the frame decoder, so only whole requests count as activity: a client trickling
                            // bytes (slow loris) or stuck after a size prefix is as idle as a silent or half-open one.
                            channel.pipeline().addLast("idle",
                                    new IdleStateHandler(0, 0, maxIdleMs, TimeUnit.MILLISECONDS));
                        }
                        channel.pipeline().addLast("kafka", new KafkaConnectionHandler(registry, security));
                    }
                });
    }

    private void wakeAcceptGates() {
        for (AcceptGate gate : acceptGates) {
            gate.wake();
        }
    }

    /** The connection counts and limits of this server (to update the limits, or to look at the counts). */
    public ConnectionQuotas connectionQuotas() {
        return connectionQuotas;
    }

    /**
     * The addresses to bind; a single {@code null} stands for the wildcard address. {@code localhost} always includes
     * both loopback addresses, because clients may resolve it to either whatever this JVM's resolver says.
     */
    static List<InetAddress> addressesOf(ListenerSpec listener) {
        List<InetAddress> addresses = new ArrayList<>();
        if (listener.isWildcard()) {
            addresses.add(null);
            return addresses;
        }
        try {
            addresses.addAll(List.of(InetAddress.getAllByName(listener.bareHost())));
            if (listener.bareHost().equalsIgnoreCase("localhost")) {
                for (String loopback : List.of("127.0.0.1", "::1")) {
                    InetAddress address = InetAddress.getByName(loopback);
                    if (!addresses.contains(address)) {
                        addresses.add(address);
                    }
                }
            }
        } catch (UnknownHostException e) {
            throw new KafkaException("Listener " + listener + ": unknown host " + listener.bareHost(), e);
        }
        return addresses;
    }

    /** Whether the native epoll transport is in use (for logs and tests). */
    public static boolean usesEpoll() {
        return Epoll.isAvailable();
    }

}
