package io.brook.http;

import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * The broker's HTTP/1.1 server on Netty's HTTP codec: keep-alive, request bodies up to {@link #MAX_BODY_BYTES} (413
 * beyond), the {@link HttpAuthenticator} asked before routing, routes from an {@link HttpRoutes} table run on a small
 * worker pool so that a slow route never stalls the event loop. One connection handles one request at a time (reading
 * pauses until the reply is written), so pipelined requests are answered in order.
 *
 * <p>Threading: {@link #bind} and {@link #close} are called by the thread that owns the server (the broker's start and
 * stop); everything else happens on the server's event loop and worker threads. {@link #close} is idempotent.
 */
public final class HttpServer implements AutoCloseable {

    /** The largest request body accepted: enough for any admin call, small enough to bound the memory of a caller. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    private static final int EVENT_LOOP_THREADS = 1;
    private static final int WORKER_THREADS = 4;
    /** Requests waiting for a worker beyond this are answered 503: the HTTP side must not pile up work. */
    private static final int WORKER_QUEUE = 256;
    private static final long SHUTDOWN_TIMEOUT_MS = 5_000;

    private final HttpRoutes routes;
    private final HttpAuthenticator authenticator;
    private final EventLoopGroup eventLoop;
    private final ExecutorService workers;
    private final ChannelGroup serverChannels = new DefaultChannelGroup("brook-http-listeners",
            GlobalEventExecutor.INSTANCE);
    private final ChannelGroup clientChannels = new DefaultChannelGroup("brook-http-connections",
            GlobalEventExecutor.INSTANCE);
    private final List<InetSocketAddress> boundAddresses = new ArrayList<>();
    private boolean closed;

    public HttpServer(HttpRoutes routes, HttpAuthenticator authenticator) {
        this.routes = routes;
        this.authenticator = authenticator;
        this.eventLoop = new MultiThreadIoEventLoopGroup(EVENT_LOOP_THREADS, new DefaultThreadFactory("brook-http-io",
                true), NioIoHandler.newFactory());
        this.workers = new ThreadPoolExecutor(WORKER_THREADS, WORKER_THREADS, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(WORKER_QUEUE), new DefaultThreadFactory("brook-http-worker", true));
        ((ThreadPoolExecutor) workers).allowCoreThreadTimeOut(true);
    }

    /** Starts a server with every listener bound; on a failure to bind the server is closed and the error thrown. */
    public static HttpServer start(List<HttpListener> listeners, HttpRoutes routes, HttpAuthenticator authenticator) {
        HttpServer server = new HttpServer(routes, authenticator);
        try {
            for (HttpListener listener : listeners) {
                server.bind(listener);
            }
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /**
     * Binds {@code listener} on every address its host resolves to and returns the bound port (with port 0, every
     * address shares the port the first one got). An address that fails to bind is skipped when another bound; when
     * none bound, throws an {@link UncheckedIOException} naming {@code http.listeners}.
     */
    public int bind(HttpListener listener) {
        List<String> failures = new ArrayList<>();
        List<InetSocketAddress> bound = new ArrayList<>();
        int port = listener.port();
        for (InetAddress address : listener.addresses()) {
            InetSocketAddress target = address == null
                    ? new InetSocketAddress(port)
                    : new InetSocketAddress(address, port);
            try {
                Channel channel = bootstrap().bind(target).syncUninterruptibly().channel();
                serverChannels.add(channel);
                InetSocketAddress local = (InetSocketAddress) channel.localAddress();
                bound.add(local);
                port = local.getPort();
            } catch (Exception e) {
                // Netty rethrows the checked BindException as is, undeclared: hence Exception.
                failures.add(target + ": " + e.getMessage());
            }
        }
        if (bound.isEmpty()) {
            throw new UncheckedIOException(new BindException(HttpListener.SETTING + ": could not bind " + listener
                    + " (" + String.join("; ", failures) + "); is the port already taken?"));
        }
        for (String failure : failures) {
            LOG.info("HTTP listener {} skipped an address that did not bind ({})", listener, failure);
        }
        boundAddresses.addAll(bound);
        for (InetSocketAddress address : bound) {
            LOG.info("Brook HTTP listening on {}", address);
        }
        return port;
    }

    /** The addresses bound so far. */
    public List<InetSocketAddress> boundAddresses() {
        return List.copyOf(boundAddresses);
    }

    /** The port of the first bound address (tests and start-up lines). */
    public int port() {
        if (boundAddresses.isEmpty()) {
            throw new IllegalStateException("No HTTP listener is bound");
        }
        return boundAddresses.get(0).getPort();
    }

    /** Stops accepting, closes every connection, stops the threads. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        serverChannels.close().awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        clientChannels.close().awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        workers.shutdownNow();
        eventLoop.shutdownGracefully(0, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        try {
            workers.awaitTermination(SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ServerBootstrap bootstrap() {
        return new ServerBootstrap().group(eventLoop).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true).childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        clientChannels.add(channel);
                        channel.pipeline().addLast("codec", new HttpServerCodec())
                                .addLast("aggregate", new BoundedBodyAggregator(MAX_BODY_BYTES))
                                .addLast("dispatch", new HttpDispatcher(routes, authenticator, workers));
                    }
                });
    }
}
