package io.brook.metadata.quorum;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Futures that complete once the local state machine has applied a given log index: how {@code submit} gives
 * read-your-writes on the node that submitted, whichever node the leader is.
 *
 * <p>Thread-safe: {@link #advance} is called by the applying thread, {@link #await} by any thread; one monitor guards
 * both. Waiters are completed outside it.
 */
final class AppliedIndexWaiters {

    private final TreeMap<Long, CompletableFuture<Void>> waiting = new TreeMap<>();
    private long applied = -1;
    private boolean closed;

    /** Completes when the applied index reaches {@code index} (at once if it already has). */
    CompletableFuture<Void> await(long index) {
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new QuorumUnavailableException("the metadata quorum is closed"));
            }
            if (index > applied) {
                return waiting.computeIfAbsent(index, i -> new CompletableFuture<>());
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Records that every index up to {@code index} is applied and completes their waiters. */
    void advance(long index) {
        Map<Long, CompletableFuture<Void>> ready;
        synchronized (this) {
            if (index <= applied) {
                return;
            }
            applied = index;
            Map<Long, CompletableFuture<Void>> head = waiting.headMap(index, true);
            ready = new TreeMap<>(head);
            head.clear();
        }
        ready.values().forEach(f -> f.complete(null));
    }

    synchronized long applied() {
        return applied;
    }

    /** Fails every waiter: the node is closing and will apply nothing more. */
    void close() {
        Map<Long, CompletableFuture<Void>> all;
        synchronized (this) {
            closed = true;
            all = new TreeMap<>(waiting);
            waiting.clear();
        }
        all.values().forEach(f -> f.completeExceptionally(new QuorumUnavailableException(
                "the metadata quorum closed before the command was applied locally")));
    }
}
