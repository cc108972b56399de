package io.brook.server.http;

import java.util.Optional;

import io.brook.broker.Broker;
import io.brook.http.health.HealthRoutes.Readiness;
import io.brook.metadata.quorum.QuorumStatus;

/**
 * The broker as the HTTP side sees it: the HTTP server starts before the broker (so probes answer while logs recover
 * and the node joins the metadata quorum), and routes that need the broker find it here once it has started.
 * Thread-safe: written by the starting/stopping thread, read by HTTP workers.
 */
public final class BrokerHolder {

    private volatile Broker broker;
    private volatile boolean stopping;

    /** The broker once it has started and until it stops; empty before (routes answer 503 then). */
    public Optional<Broker> broker() {
        Broker current = broker;
        return stopping ? Optional.empty() : Optional.ofNullable(current);
    }

    public void started(Broker started) {
        this.broker = started;
    }

    public void stopping() {
        this.stopping = true;
    }

    /**
     * Ready once the broker has started (logs recovered, metadata store open, registered and unfenced in a cluster)
     * while it knows a metadata quorum leader and has not hit a fatal error.
     */
    public Readiness readiness() {
        Broker current = broker;
        if (stopping) {
            return Readiness.notReady("stopping");
        }
        if (current == null) {
            return Readiness.notReady("starting: recovering logs and joining the metadata quorum");
        }
        if (current.fatalStop().isDone()) {
            return Readiness.notReady("failed: " + current.fatalStop().getNow("unknown"));
        }
        Optional<QuorumStatus> quorum = current.quorumStatus();
        if (quorum.isPresent() && quorum.get().leaderId().isEmpty()) {
            return Readiness.notReady("no metadata quorum leader known");
        }
        return Readiness.serving();
    }
}
