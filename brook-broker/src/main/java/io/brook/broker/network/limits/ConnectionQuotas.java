package io.brook.broker.network.limits;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.apache.kafka.common.utils.Time;

/**
 * Counts open connections per listener and per client address and decides, as Kafka's {@code ConnectionQuotas}
 * does, whether a new one may be accepted. Pure bookkeeping: no sockets, no threads; the network layer asks in three
 * steps for each accepted socket:
 * <ol>
 * <li>{@link #recordCreationAndThrottleMs}: the creation-rate limits (listener's, and broker-wide except for the
 * protected listener); a positive answer means "hold this socket that long, then go on without asking again";</li>
 * <li>{@link #slotAvailable}: whether the listener and broker-wide counts leave room; if not, hold the socket until a
 * {@link #release} and ask again;</li>
 * <li>{@link #admit}: counts the connection, or refuses it when its address is at {@code max.connections.per.ip} (the
 * socket is then closed at once).</li>
 * </ol>
 * Every admitted connection must be {@link #release released} exactly once when it closes.
 *
 * <p>The protected listener is the inter-broker listener when there are several listeners: it is exempt from the
 * broker-wide limits (its own listener limits still apply), so replication keeps working when clients fill the
 * broker, as in Kafka.
 *
 * <p>Thread-safe: every method synchronizes on this object (called from the acceptor thread and, for releases, from
 * the network threads).
 */
public final class ConnectionQuotas {

    private final Time time;
    private final String protectedListener;
    private final Set<String> listeners = new LinkedHashSet<>();
    private final Map<String, Integer> listenerCounts = new HashMap<>();
    private final Map<InetAddress, Integer> addressCounts = new HashMap<>();
    private final Map<String, CreationRate> listenerRates = new HashMap<>();
    private final CreationRate brokerRate = new CreationRate();
    private ConnectionLimits limits;
    private int total;

    /**
     * @param protectedListener the inter-broker listener's name (exempt from broker-wide limits when there is more
     *            than one listener), or null
     */
    public ConnectionQuotas(ConnectionLimits limits, String protectedListener, Time time) {
        this.limits = Objects.requireNonNull(limits);
        this.protectedListener = protectedListener;
        this.time = time;
    }

    /** No limits at all. */
    public static ConnectionQuotas unlimited() {
        return new ConnectionQuotas(ConnectionLimits.UNLIMITED, null, Time.SYSTEM);
    }

    public synchronized void addListener(String listener) {
        listeners.add(listener);
        listenerCounts.putIfAbsent(listener, 0);
        listenerRates.putIfAbsent(listener, new CreationRate());
    }

    /** New limits for connections accepted from now on; open connections are not closed. */
    public synchronized void updateLimits(ConnectionLimits newLimits) {
        this.limits = Objects.requireNonNull(newLimits);
    }

    public synchronized ConnectionLimits limits() {
        return limits;
    }

    /**
     * Records a new connection on {@code listener} against the creation-rate limits and answers how long to delay
     * accepting it (0: go on). A delayed connection is not counted (Kafka takes it back out), and is not recorded again
     * when it goes on.
     */
    public synchronized long recordCreationAndThrottleMs(String listener) {
        long now = time.milliseconds();
        CreationRate listenerRate = listenerRates.computeIfAbsent(listener, l -> new CreationRate());
        boolean brokerWide = !isProtected(listener);
        long throttle = 0;
        if (brokerWide) {
            brokerRate.record(now);
            throttle = brokerRate.throttleMs(limits.maxCreationRate(), now);
        }
        listenerRate.record(now);
        throttle = Math.max(throttle, listenerRate.throttleMs(limits.maxCreationRateOf(listener), now));
        if (throttle > 0) {
            listenerRate.unrecord(now);
            if (brokerWide) {
                brokerRate.unrecord(now);
            }
        }
        return throttle;
    }

    /** Whether {@code listener} may accept one more connection under its own and the broker-wide counts. */
    public synchronized boolean slotAvailable(String listener) {
        if (listenerCounts.getOrDefault(listener, 0) >= limits.maxConnectionsOf(listener)) {
            return false;
        }
        return isProtected(listener) || total < limits.maxConnections();
    }

    /**
     * Counts a connection from {@code address} on {@code listener}, unless the address already has
     * {@code max.connections.per.ip} open: then nothing is counted and the answer is false (close the socket).
     */
    public synchronized boolean admit(String listener, InetAddress address) {
        int open = addressCounts.getOrDefault(address, 0);
        if (open >= limits.maxConnectionsFor(address)) {
            return false;
        }
        addressCounts.put(address, open + 1);
        listenerCounts.merge(listener, 1, Integer::sum);
        total++;
        return true;
    }

    /** Forgets an admitted connection that closed. */
    public synchronized void release(String listener, InetAddress address) {
        Integer open = addressCounts.get(address);
        if (open == null || open <= 0) {
            throw new IllegalStateException("Released a connection from " + address + " that was not counted");
        }
        if (open == 1) {
            addressCounts.remove(address);
        } else {
            addressCounts.put(address, open - 1);
        }
        listenerCounts.merge(listener, -1, Integer::sum);
        total--;
    }

    public synchronized int total() {
        return total;
    }

    public synchronized int count(InetAddress address) {
        return addressCounts.getOrDefault(address, 0);
    }

    public synchronized int count(String listener) {
        return listenerCounts.getOrDefault(listener, 0);
    }

    private boolean isProtected(String listener) {
        return listener.equals(protectedListener) && listeners.size() > 1;
    }
}
