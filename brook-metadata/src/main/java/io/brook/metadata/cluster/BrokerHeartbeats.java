package io.brook.metadata.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.common.protocol.Errors;

import io.brook.metadata.BrokerRegistration;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.cluster.MetadataQuery.BrokerHeartbeat;
import io.brook.metadata.cluster.MetadataQuery.HeartbeatAnswer;

/**
 * The active controller's heartbeat bookkeeping: when each broker last heartbeated (leader-local, never replicated),
 * and the pure decisions built on it: what to answer a heartbeat, and which brokers' sessions have expired.
 *
 * <p>Kafka's settings: {@code broker.session.timeout.ms} (9000) and {@code broker.heartbeat.interval.ms} (2000).
 *
 * <p>Thread-safe: heartbeats arrive on query threads while the expiry timer runs on another.
 */
public final class BrokerHeartbeats {

    public static final long DEFAULT_SESSION_TIMEOUT_MS = 9000;
    public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 2000;

    private final long sessionTimeoutMs;
    private final Map<Integer, Long> lastContactMs = new HashMap<>();
    /** Brokers that really heartbeated since {@link #reset()} (not merely given a grace session by the timer). */
    private final Set<Integer> heard = new HashSet<>();

    public BrokerHeartbeats(long sessionTimeoutMs) {
        this.sessionTimeoutMs = sessionTimeoutMs;
    }

    /** Records a heartbeat at {@code nowMs} and answers it from {@code image}. */
    public synchronized HeartbeatAnswer heartbeat(MetadataImage image, BrokerHeartbeat request, long nowMs) {
        HeartbeatAnswer answer = answer(image, request);
        if (answer.errorCode() == Errors.NONE.code()) {
            lastContactMs.put(request.brokerId(), nowMs);
            heard.add(request.brokerId());
        }
        return answer;
    }

    /**
     * Forgets every heartbeat time. Call on becoming the active controller: times from an earlier term are stale, and
     * every broker gets a full session from now.
     */
    public synchronized void reset() {
        lastContactMs.clear();
        heard.clear();
    }

    /**
     * Whether the broker heartbeated to this active controller since it became active. When it did not, a new
     * incarnation registering with its id may replace it (Kafka accepts a registration when the old one has no live
     * session with the active controller).
     */
    public synchronized boolean heardFrom(int brokerId) {
        return heard.contains(brokerId);
    }

    /**
     * The FenceBroker commands for unfenced brokers whose last heartbeat is older than the session timeout. A broker
     * not heard from since {@link #reset()} starts its session at the first call that sees it.
     */
    public synchronized List<MetadataCommand> expiredSessions(MetadataImage image, long nowMs) {
        for (BrokerRegistration broker : image.brokers().values()) {
            if (!broker.fenced()) {
                lastContactMs.putIfAbsent(broker.id(), nowMs);
            }
        }
        lastContactMs.keySet().retainAll(image.brokers().keySet());
        return expired(image, lastContactMs, nowMs, sessionTimeoutMs);
    }

    /** Pure: the FenceBroker commands for the unfenced brokers whose session has expired at {@code nowMs}. */
    public static List<MetadataCommand> expired(MetadataImage image, Map<Integer, Long> lastContactMs, long nowMs,
            long sessionTimeoutMs) {
        List<MetadataCommand> commands = new ArrayList<>();
        for (BrokerRegistration broker : new TreeMap<>(image.brokers()).values()) {
            Long last = lastContactMs.get(broker.id());
            if (!broker.fenced() && last != null && nowMs - last > sessionTimeoutMs) {
                commands.add(new MetadataCommand.FenceBroker(broker.id(), broker.epoch()));
            }
        }
        return commands;
    }

    /** Pure: Kafka's heartbeat response, plus the state change the broker should submit next. */
    public static HeartbeatAnswer answer(MetadataImage image, BrokerHeartbeat request) {
        Optional<BrokerRegistration> found = image.broker(request.brokerId());
        if (found.isEmpty()) {
            return new HeartbeatAnswer(Errors.BROKER_ID_NOT_REGISTERED.code(), false, true, false, null);
        }
        BrokerRegistration broker = found.get();
        if (broker.epoch() != request.brokerEpoch()) {
            return new HeartbeatAnswer(Errors.STALE_BROKER_EPOCH.code(), false, true, false, null);
        }
        // The broker has caught up once it has applied its own registration.
        boolean caughtUp = request.currentMetadataOffset() >= broker.epoch();
        MetadataCommand next = null;
        boolean shouldShutDown = false;
        if (request.wantShutDown()) {
            if (broker.fenced()) {
                shouldShutDown = true;
            } else if (!broker.inControlledShutdown()) {
                next = new MetadataCommand.ControlledShutdown(broker.id(), broker.epoch());
            } else if (ClusterQueries.leadsNothing(image, broker.id())) {
                shouldShutDown = true;
                next = new MetadataCommand.FenceBroker(broker.id(), broker.epoch());
            }
        } else if (broker.fenced() && !request.wantFence() && caughtUp) {
            next = new MetadataCommand.UnfenceBroker(broker.id(), broker.epoch());
        } else if (!broker.fenced() && request.wantFence()) {
            next = new MetadataCommand.FenceBroker(broker.id(), broker.epoch());
        }
        return new HeartbeatAnswer(Errors.NONE.code(), caughtUp, broker.fenced(), shouldShutDown, next);
    }
}
