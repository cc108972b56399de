package io.brook.it.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP forwarder from a free loopback port to one target port, which a test can {@link #cut()} and {@link #heal()} to
 * simulate a network partition between broker processes.
 *
 * <p>While cut the proxy behaves like a black hole rather than a refusing host: bytes already in flight are dropped,
 * established connections stay open but carry nothing, and new connections are accepted and then ignored, so peers see
 * timeouts as on a real partition, not resets. Healing closes every connection that lived through the cut (their byte
 * streams have holes) and forwards new ones again.
 *
 * <p>Thread-safe: one acceptor thread, two pump threads per forwarded connection; {@link #cut()}, {@link #heal()} and
 * {@link #close()} may be called from any thread.
 */
public final class TcpProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TcpProxy.class);
    private static final int CONNECT_TIMEOUT_MS = 2_000;

    private final String name;
    private final int targetPort;
    private final ServerSocket server;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private volatile boolean closed;

    private TcpProxy(String name, int listenPort, int targetPort) {
        this.name = name;
        this.targetPort = targetPort;
        try {
            this.server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort));
        } catch (IOException e) {
            throw new UncheckedIOException("proxy " + name + " could not listen on " + listenPort, e);
        }
        Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-" + name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy listening on {@code listenPort} of the loopback address (0 picks one) forwarding to localhost:target. */
    public static TcpProxy start(String name, int listenPort, int targetPort) {
        return new TcpProxy(name, listenPort, targetPort);
    }

    public int port() {
        return server.getLocalPort();
    }

    public int targetPort() {
        return targetPort;
    }

    public boolean isCut() {
        return cut;
    }

    /** Stops forwarding: in-flight bytes are dropped and every connection, old or new, goes silent. */
    public void cut() {
        cut = true;
        links.forEach(Link::silence);
        LOG.info("proxy {} (:{} -> :{}) cut", name, port(), targetPort);
    }

    /** Forwards again; connections that lived through the cut are closed so their peers reconnect. */
    public void heal() {
        cut = false;
        for (Link link : links) {
            if (link.silenced) {
                link.close();
            }
        }
        LOG.info("proxy {} (:{} -> :{}) healed", name, port(), targetPort);
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        links.forEach(Link::close);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("proxy {} stopped accepting", name, e);
                }
                return;
            }
            Link link = new Link(client);
            links.add(link);
            if (cut) {
                link.silence(); // accepted and ignored, as a host behind a partition would
                continue;
            }
            try {
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort),
                        CONNECT_TIMEOUT_MS);
                link.connect(upstream);
            } catch (IOException e) {
                link.close(); // the target is down: the client sees the same refusal it would without the proxy
            }
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // closing after a failure or a cut; nothing more to do
        }
    }

    /** One proxied connection: the accepted client socket and, once connected, its upstream socket. */
    private final class Link {
        private final Socket client;
        private final CountDownLatch released = new CountDownLatch(1);
        private volatile Socket upstream;
        private volatile boolean silenced;

        Link(Socket client) {
            this.client = client;
        }

        void connect(Socket target) {
            this.upstream = target;
            startPump(client, target, "up");
            startPump(target, client, "down");
        }

        void silence() {
            silenced = true;
        }

        void close() {
            released.countDown();
            closeQuietly(client);
            closeQuietly(upstream);
            links.remove(this);
        }

        private void startPump(Socket from, Socket to, String direction) {
            Thread pump = new Thread(() -> pump(from, to), "tcp-proxy-" + name + "-" + direction);
            pump.setDaemon(true);
            pump.start();
        }

        private void pump(Socket from, Socket to) {
            byte[] buffer = new byte[64 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                while (true) {
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    if (silenced) {
                        // drop what arrived and stop reading, so the sender's buffers fill as on a dead link
                        released.await();
                        break;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // either side closed or reset: end the link
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                close();
            }
        }
    }
}
