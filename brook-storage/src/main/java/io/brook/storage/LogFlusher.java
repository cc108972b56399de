package io.brook.storage;

import java.util.Collection;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background flusher (group commit). Logs ask for a flush when someone awaits durability, when
 * {@code flush.messages} is exceeded, or after a roll; the flusher fsyncs each requested log once per pass, which
 * completes every waiter the fsync covers, so concurrent producers share fsyncs. Each pass also fsyncs logs whose
 * unflushed data is older than {@code flush.ms} and runs a periodic task (recovery-point checkpoints).
 *
 * <p>Threading: {@link #doWork()} runs on one thread only, the flusher thread started by {@link #start()} (tests call
 * it directly instead). {@link #requestFlush} may be called from any thread and never blocks.
 */
final class LogFlusher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogFlusher.class);
    /** Upper bound on how long the thread parks when idle, so flush.ms and checkpoints are checked at least once a second. */
    private static final long MAX_IDLE_MS = 1000;
    /**
     * How long a busy flusher waits before its next pass. On 2 cores with the client on the same machine, one
     * producer writing 1 KiB records to one partition with acks=all was client-CPU-bound and got about one fsync per
     * 64 KiB batch; waiting 1 ms raised its throughput by about 5 % (92 to 97 MB/s over three A/B pairs), 0.3 ms
     * made no measurable difference. With six partitions the same wait after every pass cost throughput, hence it
     * follows only a pass that flushed a single log.
     */
    private static final long BUSY_LINGER_NANOS = TimeUnit.MICROSECONDS.toNanos(1000);

    private final Set<DefaultPartitionLog> requested = ConcurrentHashMap.newKeySet();
    private final Supplier<Collection<DefaultPartitionLog>> logs;
    private final LongConsumer periodicTask;
    private final Time time;
    private final AtomicLong fsyncs = new AtomicLong();
    private volatile boolean running;
    private volatile Thread thread;

    LogFlusher(Supplier<Collection<DefaultPartitionLog>> logs, LongConsumer periodicTask, Time time) {
        this.logs = logs;
        this.periodicTask = periodicTask;
        this.time = time;
    }

    void start() {
        running = true;
        Thread t = new Thread(this::run, "brook-log-flusher");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Asks for an fsync of {@code log} on the next pass. */
    void requestFlush(DefaultPartitionLog log) {
        if (requested.add(log)) {
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    /** Number of log fsyncs done so far (the seam tests use to see that waiters share fsyncs). */
    long fsyncCount() {
        return fsyncs.get();
    }

    /** One pass: flush requested logs, then logs past flush.ms, then the periodic task. Returns the fsyncs done. */
    int doWork() {
        int work = 0;
        // Remove each log just before flushing it: a request made after the removal adds it again (and unparks us),
        // so it is never lost. Copying the set and then removing the copy would drop a request that arrived between
        // the two steps, leaving its producer waiting until the idle timeout.
        for (Iterator<DefaultPartitionLog> it = requested.iterator(); it.hasNext();) {
            DefaultPartitionLog log = it.next();
            it.remove();
            work += flush(log);
        }
        long now = time.milliseconds();
        for (DefaultPartitionLog log : logs.get()) {
            if (log.flushDue(now)) {
                work += flush(log);
            }
        }
        periodicTask.accept(now);
        return work;
    }

    private int flush(DefaultPartitionLog log) {
        if (log.flush()) {
            fsyncs.incrementAndGet();
            return 1;
        }
        return 0;
    }

    private void run() {
        while (running) {
            int flushed = 0;
            try {
                flushed = doWork();
            } catch (RuntimeException e) {
                LOG.error("Log flusher pass failed", e);
            }
            if (!running) {
                break;
            }
            if (requested.isEmpty()) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(idleMs()));
            } else if (flushed == 1) {
                // Requests arrived during the single fsync just done: one log is busy. Waiting a moment lets the next
                // fsync cover several appends instead of one. A pass over several logs lasts long enough to gather
                // the next appends by itself, and a lone producer's request finds the flusher idle.
                LockSupport.parkNanos(this, BUSY_LINGER_NANOS);
            }
        }
    }

    private long idleMs() {
        long idle = MAX_IDLE_MS;
        for (DefaultPartitionLog log : logs.get()) {
            idle = Math.min(idle, Math.max(1, log.config().flushIntervalMs()));
        }
        return idle;
    }

    /** Stops the thread after its current pass. */
    @Override
    public void close() {
        running = false;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }
}
