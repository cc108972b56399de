package io.brook.metadata.quorum;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one Ratis client and replaces it after a failed request. Ratis's ordered async client refuses every later
 * request once one has failed (to keep them in order), so without a fresh client one outage would outlive itself.
 * The replaced client is closed once its last request in flight has completed: closing it under them makes Ratis
 * retry them on a closed client and log an ERROR for each.
 *
 * <p>Thread-safe: the slot's monitor guards replacement and closing.
 */
final class ClientSlot implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClientSlot.class);

    private final Supplier<RaftClient> factory;
    private Tracked client;
    private boolean closed;

    ClientSlot(Supplier<RaftClient> factory) {
        this.factory = factory;
        this.client = new Tracked(factory.get());
    }

    /** Sends through the current client; on a failure other than the state machine's, replaces that client. */
    CompletableFuture<RaftClientReply> send(Function<RaftClient, CompletableFuture<RaftClientReply>> request) {
        Tracked c;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(
                        new QuorumUnavailableException("the metadata quorum is closed"));
            }
            c = client;
            c.inFlight++;
        }
        CompletableFuture<RaftClientReply> sent;
        try {
            sent = request.apply(c.raft);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.whenComplete((reply, error) -> {
            if (error != null && !(unwrap(error) instanceof StateMachineException)) {
                replace(c);
            }
            finished(c);
        });
    }

    /** The current client, for blocking admin calls (which do not go through the ordered window). */
    synchronized RaftClient current() {
        if (closed) {
            throw new QuorumUnavailableException("the metadata quorum is closed");
        }
        return client.raft;
    }

    private synchronized void replace(Tracked failed) {
        if (closed || client != failed) {
            return;
        }
        failed.retired = true;
        client = new Tracked(factory.get());
    }

    private void finished(Tracked c) {
        synchronized (this) {
            c.inFlight--;
            if (!c.retired || c.inFlight > 0) {
                return;
            }
        }
        closeQuietly(c.raft);
    }

    @Override
    public void close() throws IOException {
        RaftClient c;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            c = client.raft;
        }
        c.close();
    }

    /** A client and its requests in flight; guarded by the slot's monitor. */
    private static final class Tracked {
        final RaftClient raft;
        int inFlight;
        boolean retired;

        Tracked(RaftClient raft) {
            this.raft = raft;
        }
    }

    private static void closeQuietly(RaftClient c) {
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("Closing a failed metadata quorum client", e);
        }
    }

    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
