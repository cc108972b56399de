package io.brook.broker.handlers.data;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.broker.partition.DelayedFetchPurgatory;

/**
 * Drives the expiry of parked fetches: one daemon thread that wakes at each fetch's deadline and expires whatever is
 * due. Expired fetches are answered on this thread. Thread-safe.
 */
final class DelayedFetchTimer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DelayedFetchTimer.class);

    private final DelayedFetchPurgatory purgatory;
    private final Time time;
    private final ScheduledExecutorService executor;

    DelayedFetchTimer(DelayedFetchPurgatory purgatory, Time time) {
        this.purgatory = purgatory;
        this.time = time;
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "brook-delayed-fetch-timer");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        this.executor = Executors.unconfigurableScheduledExecutorService(scheduler);
    }

    /** Arranges for the purgatory to expire what is due at {@code deadlineMs}. */
    void wakeAt(long deadlineMs) {
        long delayMs = Math.max(0, deadlineMs - time.milliseconds());
        try {
            executor.schedule(this::expireDue, delayMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Closing: close() expires everything that is parked.
            LOG.debug("Delayed-fetch timer is closed; not scheduling");
        }
    }

    private void expireDue() {
        try {
            purgatory.expireDue(time.milliseconds());
        } catch (RuntimeException e) {
            LOG.error("Expiring delayed fetches failed", e);
        }
    }

    /** Stops the thread and answers every parked fetch with what is available now. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Delayed-fetch timer did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        purgatory.expireAll();
    }
}
