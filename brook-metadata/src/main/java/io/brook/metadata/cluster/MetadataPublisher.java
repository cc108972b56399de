package io.brook.metadata.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.metadata.MetadataImage;
import io.brook.metadata.MetadataStore.MetadataListener;

/**
 * Hands applied metadata images to the listeners on a thread of its own, so that what listeners do (create the logs
 * of a thousand new partitions, start fetchers, load group shards) never holds up the quorum's apply thread. As in
 * Kafka's metadata loader, the apply thread only offers the newest image with its log index ({@link #offer}, O(1),
 * never blocks on a listener); the publisher thread delivers it.
 *
 * <p>Guarantees to listeners:
 * <ul>
 * <li>one thread calls them, one change at a time, and in log order: the {@code current} image of a call is never
 * older than that of an earlier call;</li>
 * <li>{@code previous} is the image of the call before (EMPTY at first), and a change is delivered only when the
 * image differs from it;</li>
 * <li>when the publisher is behind it skips to the newest image: {@code (previous, current)} may then span several
 * commands, so listeners compare the two images and never assume one command per call;</li>
 * <li>a listener that throws is logged and the others, and later changes, are still delivered.</li>
 * </ul>
 *
 * <pre>
 *   NEW --start()--> RUNNING --close()--> CLOSED
 *    \______________close()_____________/
 * </pre>
 *
 * <p>Threading: {@link #offer} from the applying thread (any thread: it takes the monitor briefly), {@link #awaitPublished}
 * from any thread but the publisher's own. The publisher's state is guarded by the instance monitor; listeners run
 * outside it. {@link #doWork} is the duty cycle of the thread, public so tests can drive it without one.
 */
public final class MetadataPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataPublisher.class);

    private final String threadName;
    private final Duration closeTimeout;
    private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();

    // Guarded by this.
    private MetadataImage offered = MetadataImage.EMPTY;
    private long offeredIndex = -1;
    private MetadataImage delivered = MetadataImage.EMPTY;
    private long deliveredIndex = -1;
    private boolean closed;
    private Thread thread;

    /**
     * @param threadName the publisher thread's name
     * @param closeTimeout how long {@link #close} waits for a listener call in progress before it gives up on it
     */
    public MetadataPublisher(String threadName, Duration closeTimeout) {
        this.threadName = threadName;
        this.closeTimeout = closeTimeout;
    }

    /** Adds a listener; it is called from the next delivered change on. */
    public void addListener(MetadataListener listener) {
        listeners.add(listener);
    }

    /** Starts the publisher thread (a daemon). */
    public synchronized void start() {
        if (thread != null || closed) {
            throw new IllegalStateException("the metadata publisher was already started or closed");
        }
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Offers the image applied at {@code index}; returns at once. An image that is the one offered before only
     * advances the index (a refused command): listeners are not called, {@link #awaitPublished} waiters see it.
     */
    public synchronized void offer(long index, MetadataImage image) {
        if (index < offeredIndex) {
            // Not expected (a restored snapshot is newer than what was applied); the image still wins, as it is the
            // state, but the index stays monotonic for the waiters.
            LOG.warn("Metadata image at index {} offered after index {}", index, offeredIndex);
        }
        offered = image;
        offeredIndex = Math.max(index, offeredIndex);
        notifyAll();
    }

    /** The index of the last image every listener has been given. */
    public synchronized long publishedIndex() {
        return deliveredIndex;
    }

    /** True on the publisher thread (a listener must not wait for its own delivery). */
    public synchronized boolean isPublisherThread() {
        return Thread.currentThread() == thread;
    }

    /**
     * Waits until the image at {@code index} (or a newer one) has been delivered to every listener.
     *
     * @return false if that did not happen within {@code timeout}, or the publisher closed first
     */
    public boolean awaitPublished(long index, Duration timeout) throws InterruptedException {
        // Real time, not an injected clock: this waits for another thread's progress.
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            if (Thread.currentThread() == thread) {
                throw new IllegalStateException("a metadata listener cannot wait for its own delivery");
            }
            while (deliveredIndex < index && !closed) {
                long leftNs = deadlineNs - System.nanoTime();
                if (leftNs <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, leftNs);
            }
            return deliveredIndex >= index;
        }
    }

    /**
     * One duty cycle: delivers the newest offered image if it is newer than the last delivered one.
     *
     * @return 1 if something was delivered (or only the index advanced), 0 if there was nothing to do
     */
    public int doWork() {
        MetadataImage previous;
        MetadataImage next;
        long nextIndex;
        synchronized (this) {
            if (closed || !hasWorkLocked()) {
                return 0;
            }
            previous = delivered;
            next = offered;
            nextIndex = offeredIndex;
        }
        if (next != previous) {
            long startNs = System.nanoTime();
            deliver(previous, next);
            if (LOG.isDebugEnabled()) {
                LOG.debug("Published the image at index {} to {} listener(s) in {} ms", nextIndex, listeners.size(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));
            }
        }
        synchronized (this) {
            delivered = next;
            deliveredIndex = nextIndex;
            notifyAll();
        }
        return 1;
    }

    private boolean hasWorkLocked() {
        return offered != delivered || offeredIndex > deliveredIndex;
    }

    private void deliver(MetadataImage previous, MetadataImage next) {
        for (MetadataListener listener : listeners) {
            try {
                listener.onChange(previous, next);
            } catch (RuntimeException e) {
                // The change is applied; one failing listener must not hide it from the others or stop later ones.
                LOG.error("Metadata listener {} failed", listener, e);
            }
        }
    }

    private void run() {
        try {
            while (true) {
                synchronized (this) {
                    while (!closed && !hasWorkLocked()) {
                        wait();
                    }
                    if (closed) {
                        return;
                    }
                }
                doWork();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Error e) {
            // As Agrona's agents: an Error is not handled, but it must not end the thread unseen.
            LOG.error("The metadata publisher stopped: listeners get no more changes", e);
            throw e;
        }
    }

    /**
     * Stops delivering: the change in progress (if any) finishes, nothing after it is delivered, and waiters return.
     * Waits for the thread at most the close timeout; a listener that is still busy then is left to finish on its
     * own (the thread is a daemon). Never interrupts it: an interrupt would close the file channels a listener is
     * writing.
     */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            closed = true;
            notifyAll();
            running = thread;
        }
        if (running == null || running == Thread.currentThread()) {
            return;
        }
        try {
            running.join(closeTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (running.isAlive()) {
            LOG.warn("Metadata listeners still busy after {} ms; closing without them", closeTimeout.toMillis());
        }
    }

    /** Waits for the thread to end (tests), at most {@code timeout}; true if it did. */
    boolean awaitTermination(Duration timeout) throws InterruptedException {
        Thread running;
        synchronized (this) {
            running = thread;
        }
        if (running == null) {
            return true;
        }
        TimeUnit.MILLISECONDS.timedJoin(running, timeout.toMillis());
        return !running.isAlive();
    }
}
