package io.brook.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;

/**
 * Futures waiting for a partition's recovery point (everything below it fsynced) to reach an offset, ordered by that
 * offset so one fsync completes every waiter it covers.
 *
 * <p>Thread-safe: producers register on request threads, the flusher completes; futures are completed outside the
 * monitor so callbacks never run while it is held.
 */
final class DurabilityWaiters {

    private record Waiter(long offset, CompletableFuture<Void> future) {
    }

    private final PriorityQueue<Waiter> waiters = new PriorityQueue<>((a, b) -> Long.compare(a.offset, b.offset));

    CompletableFuture<Void> add(long offset) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        synchronized (this) {
            waiters.add(new Waiter(offset, future));
        }
        return future;
    }

    synchronized int size() {
        return waiters.size();
    }

    /** Completes every waiter for an offset at or below {@code durableOffset}. */
    void completeUpTo(long durableOffset) {
        List<Waiter> done = new ArrayList<>();
        synchronized (this) {
            while (!waiters.isEmpty() && waiters.peek().offset <= durableOffset) {
                done.add(waiters.poll());
            }
        }
        for (Waiter waiter : done) {
            waiter.future.complete(null);
        }
    }

    /** Fails every waiter for an offset above {@code offset} (records up to there were truncated away). */
    void failAbove(long offset, Throwable error) {
        List<Waiter> failed = new ArrayList<>();
        synchronized (this) {
            waiters.removeIf(waiter -> {
                if (waiter.offset > offset) {
                    failed.add(waiter);
                    return true;
                }
                return false;
            });
        }
        for (Waiter waiter : failed) {
            waiter.future.completeExceptionally(error);
        }
    }

    void failAll(Throwable error) {
        List<Waiter> failed;
        synchronized (this) {
            failed = new ArrayList<>(waiters);
            waiters.clear();
        }
        for (Waiter waiter : failed) {
            waiter.future.completeExceptionally(error);
        }
    }
}
