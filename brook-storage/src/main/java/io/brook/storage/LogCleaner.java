package io.brook.storage;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log cleaner: {@code log.cleaner.threads} threads ({@code brook-log-cleaner-<n>}) that each repeatedly pick the
 * dirtiest compacted log and clean it ({@link LogCleaningPass}). A log is eligible when its dirty ratio reaches
 * {@code min.cleanable.dirty.ratio}, when its oldest dirty record is older than {@code max.compaction.lag.ms}, or when
 * a tombstone it kept has reached its delete horizon. Where each log's last pass stopped is kept in
 * {@value #CHECKPOINT_FILE} in its log dir (Kafka's name and format), written after every pass.
 *
 * <p>Thread-safe. Threads claim a log in {@link #inProgress} (under this object's monitor) so two never clean the same
 * one. Replaced segments are closed and deleted {@code log.segment.delete.delay.ms} after their swap, by whichever
 * cleaner thread runs then (or at close), so fetches holding them finish first. Tests drive {@link #cleanOnce()} with
 * a manual clock instead of starting threads.
 */
public final class LogCleaner implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(LogCleaner.class);
    static final String CHECKPOINT_FILE = "cleaner-offset-checkpoint";
    private static final double MB = 1024.0 * 1024.0;

    /** Totals since start, for logs and the benchmark. */
    public record Stats(long passes, long dirtyBytesCleaned, long bytesRead, long bytesWritten, long cleaningNanos) {

        /** Dirty bytes compacted per second of cleaning, in MiB/s. */
        public double dirtyMbPerSecond() {
            return cleaningNanos == 0 ? 0 : dirtyBytesCleaned / MB / (cleaningNanos / 1e9);
        }
    }

    private record Retired(long dueMs, RetiredSegments segments) {
    }

    private final CleanerConfig config;
    private final Time time;
    private final Supplier<Collection<DefaultPartitionLog>> logs;
    private final Map<TopicPartition, Long> checkpoints = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> pendingHorizons = new ConcurrentHashMap<>();
    private final Set<TopicPartition> inProgress = new HashSet<>();
    /** Logs whose cleaning failed unexpectedly: skipped until restart or deletion. */
    private final Set<TopicPartition> uncleanable = ConcurrentHashMap.newKeySet();
    private final ArrayDeque<Retired> retired = new ArrayDeque<>();
    private final Object checkpointLock = new Object();
    private final List<Thread> threads = new ArrayList<>();
    private final ThreadLocal<LogCleaningPass> passes;
    private final AtomicLong passCount = new AtomicLong();
    private final AtomicLong dirtyBytes = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicLong nanos = new AtomicLong();
    private volatile boolean closed;

    LogCleaner(CleanerConfig config, Time time, Collection<File> logDirs,
            Supplier<Collection<DefaultPartitionLog>> logs) {
        this.config = config;
        this.time = time;
        this.logs = logs;
        for (File dir : logDirs) {
            checkpoints.putAll(OffsetCheckpointFile.read(dir, CHECKPOINT_FILE));
        }
        this.passes = ThreadLocal.withInitial(() -> new LogCleaningPass(config.dedupeBytesPerThread(),
                config.ioBufferBytesPerThread()));
    }

    /** Starts the cleaner threads (when {@code log.cleaner.enable}). */
    synchronized void start() {
        if (!config.enabled() || !threads.isEmpty()) {
            return;
        }
        for (int i = 0; i < config.threads(); i++) {
            Thread thread = new Thread(this::run, "brook-log-cleaner-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    public Stats stats() {
        return new Stats(passCount.get(), dirtyBytes.get(), bytesRead.get(), bytesWritten.get(), nanos.get());
    }

    private void run() {
        while (!closed) {
            boolean worked;
            try {
                worked = cleanOnce();
            } catch (RuntimeException e) {
                LOG.error("Log cleaner pass failed", e);
                worked = false;
            }
            if (!worked) {
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    try {
                        wait(config.backoffMs());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }

    /** Deletes due replaced segments, then cleans the dirtiest eligible log, if any. Returns whether it cleaned. */
    boolean cleanOnce() {
        long now = time.milliseconds();
        deleteRetired(now, false);
        Optional<Candidate> chosen = claimDirtiest(now);
        if (chosen.isEmpty()) {
            return false;
        }
        DefaultPartitionLog log = chosen.get().log();
        try {
            long start = time.nanoseconds();
            Optional<LogCleaningPass.Result> result = passes.get().clean(log, chosen.get().range(), now);
            long elapsed = Math.max(1, time.nanoseconds() - start);
            result.ifPresent(r -> recordPass(log, r, elapsed));
            return result.isPresent();
        } catch (IOException e) {
            // as Kafka: an I/O error of the cleaner takes the log's dir offline, and the cleaner skips its logs
            log.storageFailure("clean", e);
            return false;
        } catch (KafkaStorageException e) {
            LOG.warn("Cleaning {} failed; it will be retried: {}", log.topicPartition(), e.toString());
            return false;
        } catch (RuntimeException e) {
            // e.g. a corrupt batch: retrying would fail the same way and starve every other log (as Kafka does)
            LOG.error("Cleaning {} failed; it is not cleaned again until restart", log.topicPartition(), e);
            uncleanable.add(log.topicPartition());
            return false;
        } finally {
            synchronized (this) {
                inProgress.remove(log.topicPartition());
            }
        }
    }

    private record Candidate(DefaultPartitionLog log, CleanableRange range, double priority) {
    }

    private synchronized Optional<Candidate> claimDirtiest(long now) {
        Candidate best = null;
        for (DefaultPartitionLog log : logs.get()) {
            CompactionConfig compaction = log.config().compaction();
            if (!compaction.compact() || log.isClosed() || log.isOffline() || inProgress.contains(log.topicPartition())
                    || uncleanable.contains(log.topicPartition())) {
                continue;
            }
            long checkpoint = checkpoints.getOrDefault(log.topicPartition(), -1L);
            if (checkpoint > log.logEndOffset()) {
                checkpoint = -1; // a truncated or re-created log: start over
            }
            List<LogSegment> segments = log.segmentList();
            if (segments.size() < 2) {
                continue;
            }
            CleanableRange range = CleanableRange.of(segments, checkpoint, log.logStartOffset(),
                    log.highWatermarkSegmentBase(), compaction, now);
            boolean horizonDue = pendingHorizons.getOrDefault(log.topicPartition(), Long.MAX_VALUE) <= now;
            double priority;
            if (range.hasDirtyData() && range.maxLagExceeded()) {
                priority = Double.MAX_VALUE;
            } else if (range.hasDirtyData() && range.dirtyRatio() >= compaction.minCleanableDirtyRatio()) {
                priority = range.dirtyRatio();
            } else if (horizonDue) {
                priority = 0;
            } else {
                continue;
            }
            if (best == null || priority > best.priority()) {
                best = new Candidate(log, range, priority);
            }
        }
        if (best != null) {
            inProgress.add(best.log().topicPartition());
        }
        return Optional.ofNullable(best);
    }

    private void recordPass(DefaultPartitionLog log, LogCleaningPass.Result result, long elapsedNanos) {
        TopicPartition tp = log.topicPartition();
        checkpoints.put(tp, result.nextFirstDirty());
        if (result.earliestPendingHorizonMs() == Long.MAX_VALUE) {
            pendingHorizons.remove(tp);
        } else {
            pendingHorizons.put(tp, result.earliestPendingHorizonMs());
        }
        long due = time.milliseconds() + config.fileDeleteDelayMs();
        synchronized (retired) {
            for (RetiredSegments segments : result.retired()) {
                retired.add(new Retired(due, segments));
            }
        }
        writeCheckpoint(log.dir().getParentFile());
        passCount.incrementAndGet();
        dirtyBytes.addAndGet(result.dirtyBytesRead());
        bytesRead.addAndGet(result.bytesRead());
        bytesWritten.addAndGet(result.bytesWritten());
        nanos.addAndGet(elapsedNanos);
        double seconds = elapsedNanos / 1e9;
        LOG.info("Cleaned {}: offsets {}..{} dirty, {} MB of dirty log compacted in {} s ({} MB/s); {} MB read, "
                + "{} MB written ({}% smaller); {} of {} records kept, {} tombstones removed{}", tp,
                result.firstDirty(), result.nextFirstDirty() - 1, String.format("%.3f", result.dirtyBytesRead() / MB),
                String.format("%.3f", seconds), String.format("%.2f", result.dirtyBytesRead() / MB / seconds),
                String.format("%.3f", result.bytesRead() / MB), String.format("%.3f", result.bytesWritten() / MB),
                result.bytesRead() == 0 ? 0 : 100 - 100 * result.bytesWritten() / result.bytesRead(),
                result.recordsRetained(), result.recordsRead(), result.tombstonesRemoved(),
                result.mapFilled() ? " (key map full: the rest of the dirty log waits for the next pass)" : "");
    }

    /** Rewrites the cleaner checkpoint of one log dir with the live logs there. */
    private void writeCheckpoint(File logDir) {
        synchronized (checkpointLock) {
            Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
            for (DefaultPartitionLog log : logs.get()) {
                if (log.isOffline() && log.dir().getParentFile().equals(logDir)) {
                    return; // the dir is offline: nothing is written there any more
                }
                Long offset = checkpoints.get(log.topicPartition());
                if (offset != null && log.dir().getParentFile().equals(logDir)) {
                    offsets.put(log.topicPartition(), offset);
                }
            }
            try {
                OffsetCheckpointFile.write(logDir, CHECKPOINT_FILE, offsets);
            } catch (IOException e) {
                LOG.warn("Failed to write {} in {}", CHECKPOINT_FILE, logDir, e);
            }
        }
    }

    /** Drops what the cleaner knows of a deleted log (its checkpoint entry goes at the next write). */
    void forget(TopicPartition topicPartition) {
        checkpoints.remove(topicPartition);
        pendingHorizons.remove(topicPartition);
        uncleanable.remove(topicPartition);
    }

    /** Checkpoints of every log dir (tests, and read back at start). */
    Map<TopicPartition, Long> checkpoints() {
        return new HashMap<>(checkpoints);
    }

    private void deleteRetired(long now, boolean all) {
        List<RetiredSegments> due = new ArrayList<>();
        synchronized (retired) {
            while (!retired.isEmpty() && (all || retired.peek().dueMs() <= now)) {
                due.add(retired.poll().segments());
            }
        }
        for (RetiredSegments segments : due) {
            segments.destroy();
        }
    }

    /** Stops the threads (waiting for a pass under way) and deletes every replaced segment. */
    @Override
    public void close() {
        List<Thread> running;
        synchronized (this) {
            closed = true;
            notifyAll();
            running = new ArrayList<>(threads);
        }
        for (Thread thread : running) {
            try {
                thread.join(60_000);
                if (thread.isAlive()) {
                    LOG.warn("{} did not stop within 60 s", thread.getName());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        deleteRetired(Long.MAX_VALUE, true);
    }
}
