package io.brook.broker.network;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.broker.network.limits.ConnectionQuotas;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Sits in a listener's server channel pipeline, before Netty hands accepted sockets to the network threads, and
 * applies {@link ConnectionQuotas}: a socket from an address at {@code max.connections.per.ip} is closed at once; when
 * the creation rate is exceeded or no slot is left (listener or broker-wide {@code max.connections}), accepted sockets
 * are held, in order, and the server channel stops accepting (new clients wait in the kernel's backlog, as Kafka's
 * blocked acceptor leaves them) until the delay has passed or a connection closes. Each admitted connection releases
 * its slot when it closes.
 *
 * <p>Threading: everything but {@link #wake()} runs on the server channel's event loop (the acceptor thread);
 * {@link #wake()} may be called from any thread.
 */
final class AcceptGate extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(AcceptGate.class);

    private final String listener;
    private final ConnectionQuotas quotas;
    private final Runnable onRelease;
    private final Queue<Held> held = new ArrayDeque<>();
    private ChannelHandlerContext context;
    private boolean delayed;
    private volatile boolean holding;

    /**
     * @param onRelease called (on a network thread) after an admitted connection of this listener closed, to wake
     *            every gate that holds sockets
     */
    AcceptGate(String listener, ConnectionQuotas quotas, Runnable onRelease) {
        this.listener = listener;
        this.quotas = quotas;
        this.onRelease = onRelease;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.context = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Channel child)) {
            ctx.fireChannelRead(msg);
            return;
        }
        held.add(new Held(child));
        drain();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        for (Held socket : held) {
            socket.child.unsafe().closeForcibly();
        }
        held.clear();
        holding = false;
        ctx.fireChannelInactive();
    }

    /** Looks again at the held sockets, if any (a connection closed somewhere). */
    void wake() {
        if (holding && context != null) {
            context.executor().execute(this::drain);
        }
    }

    private void drain() {
        // Set before the slot check: a connection closing after that check then finds it set and wakes this gate
        // again, so a held socket never misses the release it waits for.
        holding = !held.isEmpty();
        while (!held.isEmpty() && !delayed && context.channel().isOpen()) {
            Held next = held.peek();
            if (!next.rateRecorded) {
                next.rateRecorded = true;
                long throttleMs = quotas.recordCreationAndThrottleMs(listener);
                if (throttleMs > 0) {
                    LOG.debug("Listener {}: connection creation rate exceeded, accepting paused {} ms", listener,
                            throttleMs);
                    delayed = true;
                    context.executor().schedule(() -> {
                        delayed = false;
                        drain();
                    }, throttleMs, TimeUnit.MILLISECONDS);
                    break;
                }
            }
            if (!quotas.slotAvailable(listener)) {
                LOG.debug("Listener {}: connection limit reached, accepting paused until a connection closes",
                        listener);
                break;
            }
            held.poll();
            admit(next.child);
        }
        holding = !held.isEmpty();
        context.channel().config().setAutoRead(!holding);
    }

    private void admit(Channel child) {
        InetAddress address = ((InetSocketAddress) child.remoteAddress()).getAddress();
        if (!quotas.admit(listener, address)) {
            LOG.info("Listener {}: refused a connection from {}: it has the maximum of {} connections open", listener,
                    address.getHostAddress(), quotas.limits().maxConnectionsFor(address));
            child.unsafe().closeForcibly();
            return;
        }
        child.closeFuture().addListener(closed -> {
            quotas.release(listener, address);
            onRelease.run();
        });
        context.fireChannelRead(child);
    }

    /** An accepted socket not handed on yet; its creation is recorded against the rate limits once. */
    private static final class Held {
        private final Channel child;
        private boolean rateRecorded;

        private Held(Channel child) {
            this.child = child;
        }
    }
}
