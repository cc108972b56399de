package io.brook.server;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A broker that is serving, as the CLI sees it: it can tell the port a listener is bound to and be stopped.
 * Implementations are thread-safe; {@link #close()} is idempotent and may run on a shutdown-hook thread.
 */
public interface RunningBroker extends AutoCloseable {

    /** The port the named listener is bound to (useful when the configured port is 0). */
    int boundPort(String listenerName);

    /** The base URLs of the HTTP side (health, metrics, console), e.g. {@code http://localhost:8080}; empty: none. */
    default List<String> httpUrls() {
        return List.of();
    }

    /** The cluster id this node belongs to (from meta.properties), when known. */
    default Optional<String> clusterId() {
        return Optional.empty();
    }

    /**
     * Completes, with the reason, when the broker cannot serve any more and the process must stop with a failure
     * status (every log dir offline). Never completes by default.
     */
    default CompletableFuture<String> fatalStop() {
        return new CompletableFuture<>();
    }

    /** Stops the broker cleanly: flushes logs, writes the clean-shutdown marker, closes sockets. */
    @Override
    void close();
}
