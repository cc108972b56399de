package io.brook.broker.handlers.admin;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that runs metadata mutations for the admin handlers: they fsync, so they must stay off the event
 * loops, and running them one at a time keeps a request's per-topic results in request order. Thread-safe.
 */
final class AdminExecutor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminExecutor.class);

    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "brook-admin");
        thread.setDaemon(true);
        return thread;
    });

    <T> CompletableFuture<T> submit(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, executor);
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("Admin operations still running after 10 s; abandoning them");
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
