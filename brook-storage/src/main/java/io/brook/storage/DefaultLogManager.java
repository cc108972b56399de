package io.brook.storage;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link LogManager}: partition logs under one or more log dirs, each holding
 *
 * <pre>
 * &lt;log.dir&gt;/
 *     .kafka_cleanshutdown                present only while the broker is stopped after a clean shutdown
 *     recovery-point-offset-checkpoint    per partition: offsets below it are fsynced (see OffsetCheckpointFile)
 *     replication-offset-checkpoint       per partition: the high watermark (every 5 s and at shutdown)
 *     log-start-offset-checkpoint         per partition whose log start is above its first segment's base offset
 *     &lt;topic&gt;-&lt;partition&gt;/               one partition log (see DefaultPartitionLog)
 *     &lt;topic&gt;-&lt;partition&gt;.&lt;uuid&gt;-delete/  a deleted log awaiting background removal
 * </pre>
 *
 * <p>Thread-safe. Log creation and deletion are serialised by the manager's monitor; lookups use a concurrent map. One
 * flusher thread serves every log (group commit) and writes the checkpoints, and one thread deletes renamed
 * directories. Checkpoint files are written under {@link #checkpointLock}, which is taken with or without a log's
 * lock held but never held while taking one (a truncating log checkpoints its lowered recovery point synchronously).
 *
 * <p>An I/O error on a log dir (a log's append, roll, flush, truncation, a checkpoint file, the cleaner) takes that
 * whole dir offline until restart, as Kafka does: its logs are marked offline at once (every call on them fails with
 * KAFKA_STORAGE_ERROR), then closed without writing anything on the {@code brook-log-dir-failure} thread, which also
 * logs the failure and tells the {@link LogDirFailureListener}s. The other dirs keep serving and checkpointing.
 */
public final class DefaultLogManager implements LogManager {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultLogManager.class);
    static final String CLEAN_SHUTDOWN_FILE = ".kafka_cleanshutdown";
    /** Kafka's log.flush.offset.checkpoint.interval.ms default (recovery points, and log start offsets too). */
    private static final long CHECKPOINT_INTERVAL_MS = 60_000;
    /** Kafka's replica.high.watermark.checkpoint.interval.ms default. */
    static final long HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS = 5_000;

    private final List<File> logDirs;
    private final LogConfig defaultConfig;
    private final Time time;
    private final Map<TopicPartition, DefaultPartitionLog> logs = new ConcurrentHashMap<>();
    private final LogFlusher flusher;
    private final ScheduledThreadPoolExecutor deleter;
    private final LogEnvironment env;
    private final Object checkpointLock = new Object();
    private final LogDirFailures failures;
    /**
     * Dirs that failed to load at start-up: which partitions they hold is unknown, so no log is created while one is
     * offline (it could be an existing partition's, which would then restart empty elsewhere), as Kafka refuses to
     * create a log that is not new while log dirs are offline.
     */
    private final Set<File> unloadedDirs = ConcurrentHashMap.newKeySet();
    /** Closes the logs of a failed dir off the failing thread (which may hold log locks); see {@link #dirFailed}. */
    private final Executor failureHandler;
    private LogCleaner cleaner;
    private final LogRetention retention;
    /** Runs {@link #retention} every {@code log.retention.check.interval.ms}; null until {@link #startRetention}. */
    private ScheduledExecutorService retentionScheduler;
    private long lastCheckpointMs;
    private long lastHighWatermarkCheckpointMs;
    private boolean closed;

    private DefaultLogManager(List<File> logDirs, LogConfig defaultConfig, Time time, boolean startThreads) {
        this.logDirs = logDirs;
        this.failures = new LogDirFailures(logDirs.size());
        this.failureHandler = startThreads ? Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "brook-log-dir-failure");
            thread.setDaemon(true);
            return thread;
        }) : Runnable::run;
        this.defaultConfig = defaultConfig;
        this.time = time;
        this.flusher = new LogFlusher(() -> new ArrayList<>(logs.values()), this::maybeCheckpoint, time);
        this.deleter = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "brook-log-deleter");
            thread.setDaemon(true);
            return thread;
        });
        // at shutdown, segment files still waiting for file.delete.delay.ms stay (renamed .deleted): the next
        // start-up deletes them
        this.deleter.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.env = new LogEnvironment(time, flusher, deleter, this::forget, this::checkpointAfterTruncation,
                (log, failure) -> dirFailed(log.dir().getParentFile(), failure), new DirectorySync());
        this.retention = new LogRetention(() -> new ArrayList<>(logs.values()), this::checkpointLogStartOffsets);
        this.lastCheckpointMs = time.milliseconds();
        this.lastHighWatermarkCheckpointMs = lastCheckpointMs;
    }

    /**
     * Opens the log dirs (creating missing ones), recovers every {@code <topic>-<partition>} directory in them with
     * {@code defaultConfig} (until {@link #updateConfig}), and starts the background flusher.
     */
    public static LogManager open(List<Path> logDirs, LogConfig defaultConfig, Time time) {
        return open(logDirs, defaultConfig, time, CleanerConfig.defaults());
    }

    /** As {@link #open(List, LogConfig, Time)}, with the log cleaner's settings. */
    public static LogManager open(List<Path> logDirs, LogConfig defaultConfig, Time time,
            CleanerConfig cleanerConfig) {
        return open(logDirs, defaultConfig, time, true, cleanerConfig);
    }

    /** As {@link #open(List, LogConfig, Time)}; without the flusher thread tests drive {@link #flusher()} by hand. */
    static DefaultLogManager open(List<Path> logDirs, LogConfig defaultConfig, Time time, boolean startFlusher) {
        return open(logDirs, defaultConfig, time, startFlusher, CleanerConfig.defaults());
    }

    /**
     * Without background threads ({@code startThreads} false) tests drive {@link #flusher()} and {@link #cleaner()}
     * by hand.
     */
    static DefaultLogManager open(List<Path> logDirs, LogConfig defaultConfig, Time time, boolean startThreads,
            CleanerConfig cleanerConfig) {
        List<File> dirs = new ArrayList<>();
        for (Path dir : logDirs) {
            dirs.add(dir.toAbsolutePath().normalize().toFile());
        }
        DefaultLogManager manager = new DefaultLogManager(dirs, defaultConfig, time, startThreads);
        try {
            manager.loadAll();
        } catch (IOException e) {
            manager.closeQuietly();
            throw new UncheckedIOException("Failed to load logs from " + logDirs, e);
        }
        List<File> onlineDirs = dirs.stream().filter(dir -> !manager.failures.isOffline(dir)).toList();
        manager.cleaner = new LogCleaner(cleanerConfig, time, onlineDirs,
                () -> new ArrayList<>(manager.logs.values()));
        if (startThreads) {
            manager.flusher.start();
            manager.cleaner.start();
        }
        return manager;
    }

    /** The log cleaner (compaction); its threads run unless {@code log.cleaner.enable=false}. */
    public LogCleaner cleaner() {
        return cleaner;
    }

    /**
     * Recovers every log dir. A dir that fails with an I/O error goes offline (as Kafka: the broker starts with the
     * others); only when every dir fails does start-up fail.
     */
    private void loadAll() throws IOException {
        IOException last = null;
        for (File logDir : logDirs) {
            Map<TopicPartition, DefaultPartitionLog> loaded = new LinkedHashMap<>();
            try {
                loadDir(logDir, loaded);
                logs.putAll(loaded);
            } catch (IOException | UncheckedIOException | KafkaStorageException e) {
                last = e instanceof IOException io ? io : new IOException(e);
                failures.markOffline(logDir);
                unloadedDirs.add(logDir);
                for (DefaultPartitionLog log : loaded.values()) {
                    log.releaseAfterDirFailure();
                }
                LOG.error("Log directory {} is offline: its logs could not be loaded ({}). The broker serves the "
                        + "other log directories; restart it once the directory is repaired", logDir, e.toString(), e);
            }
        }
        if (failures.allOffline() && last != null) {
            throw last;
        }
    }

    private void loadDir(File logDir, Map<TopicPartition, DefaultPartitionLog> loaded) throws IOException {
        Files.createDirectories(logDir.toPath());
        Path marker = logDir.toPath().resolve(CLEAN_SHUTDOWN_FILE);
        boolean clean = Files.exists(marker);
        // from here on a crash must be treated as unclean, whatever happens to this start-up
        Files.deleteIfExists(marker);
        Utils.flushDir(logDir.toPath());
        Map<TopicPartition, Long> recoveryPoints = OffsetCheckpointFile.read(logDir,
                OffsetCheckpointFile.RECOVERY_POINT);
        Map<TopicPartition, Long> highWatermarks = OffsetCheckpointFile.read(logDir,
                OffsetCheckpointFile.REPLICATION_OFFSET);
        Map<TopicPartition, Long> logStartOffsets = OffsetCheckpointFile.read(logDir,
                OffsetCheckpointFile.LOG_START_OFFSET);
        File[] children = logDir.listFiles(File::isDirectory);
        if (children == null) {
            throw new IOException("cannot list " + logDir);
        }
        for (File child : children) {
            if (child.getName().endsWith(DefaultPartitionLog.DELETE_DIR_SUFFIX)) {
                deleter.execute(() -> DefaultPartitionLog.deleteQuietly(child));
                continue;
            }
            Optional<TopicPartition> tp = parseDirName(child.getName());
            if (tp.isEmpty()) {
                continue;
            }
            DefaultPartitionLog duplicate = logs.containsKey(tp.get()) ? logs.get(tp.get()) : loaded.get(tp.get());
            if (duplicate != null) {
                throw new IOException("duplicate log directories for " + tp.get() + ": " + child + " and "
                        + duplicate.dir());
            }
            long recoveryPoint = clean ? Long.MAX_VALUE : recoveryPoints.getOrDefault(tp.get(), 0L);
            LogLoader.Checkpoints checkpoints = new LogLoader.Checkpoints(recoveryPoint,
                    highWatermarks.getOrDefault(tp.get(), 0L), logStartOffsets.getOrDefault(tp.get(), -1L));
            loaded.put(tp.get(), DefaultPartitionLog.open(child, tp.get(), defaultConfig, env, checkpoints, clean));
        }
    }

    /** {@code <topic>-<partition>} with a non-negative partition; anything else is not a log. */
    static Optional<TopicPartition> parseDirName(String name) {
        int dash = name.lastIndexOf('-');
        if (dash <= 0 || dash == name.length() - 1) {
            return Optional.empty();
        }
        String partition = name.substring(dash + 1);
        for (int i = 0; i < partition.length(); i++) {
            if (!Character.isDigit(partition.charAt(i))) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(new TopicPartition(name.substring(0, dash), Integer.parseInt(partition)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    LogFlusher flusher() {
        return flusher;
    }

    /** The retention pass, for tests that drive it by hand. */
    LogRetention retention() {
        return retention;
    }

    @Override
    public synchronized void startRetention(long checkIntervalMs) {
        if (closed || retentionScheduler != null) {
            return;
        }
        retentionScheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "brook-log-retention");
            thread.setDaemon(true);
            return thread;
        });
        // Kafka waits log.initial.task.delay.ms (30 s) before the first pass; one interval serves the same purpose
        // (start-up is not slowed) and lets small test intervals act at once.
        retentionScheduler.scheduleWithFixedDelay(this::runRetentionQuietly, checkIntervalMs, checkIntervalMs,
                TimeUnit.MILLISECONDS);
        LOG.info("Log retention checked every {} ms", checkIntervalMs);
    }

    private void runRetentionQuietly() {
        try {
            retention.runOnce();
        } catch (RuntimeException e) {
            LOG.error("Log retention pass failed", e);
        }
    }

    private void checkpointLogStartOffsets() {
        writeCheckpoints(OffsetCheckpointFile.LOG_START_OFFSET);
    }

    @Override
    public synchronized PartitionLog getOrCreate(TopicPartition topicPartition, LogConfig config) {
        if (closed) {
            throw new KafkaStorageException("Log manager is closed");
        }
        DefaultPartitionLog existing = logs.get(topicPartition);
        if (existing != null) {
            return existing;
        }
        if (!unloadedDirs.isEmpty()) {
            throw new KafkaStorageException("Cannot create the log of " + topicPartition + ": log directories "
                    + unloadedDirs + " could not be loaded and may hold it; restart once they are repaired");
        }
        File dir = new File(leastLoadedDir(), topicPartition.topic() + "-" + topicPartition.partition());
        try {
            DefaultPartitionLog log = DefaultPartitionLog.open(dir, topicPartition, config, env,
                    LogLoader.Checkpoints.none(), false);
            logs.put(topicPartition, log);
            LOG.debug("Created log for {} in {}", topicPartition, dir);
            return log;
        } catch (IOException e) {
            throw new KafkaStorageException("Failed to create log for " + topicPartition + " in " + dir, e);
        }
    }

    /** The online log dir holding the fewest partitions. */
    private File leastLoadedDir() {
        if (logDirs.size() == 1 && !failures.isOffline(logDirs.get(0))) {
            return logDirs.get(0); // the usual case, without counting every log for every created one
        }
        Map<File, Integer> counts = new LinkedHashMap<>();
        for (File dir : logDirs) {
            if (!failures.isOffline(dir)) {
                counts.put(dir, 0);
            }
        }
        if (counts.isEmpty()) {
            throw new KafkaStorageException("Every log directory is offline: " + failures.offlineDirs());
        }
        for (DefaultPartitionLog log : logs.values()) {
            counts.computeIfPresent(log.dir().getParentFile(), (dir, count) -> count + 1);
        }
        File best = counts.keySet().iterator().next();
        for (Map.Entry<File, Integer> entry : counts.entrySet()) {
            if (entry.getValue() < counts.get(best)) {
                best = entry.getKey();
            }
        }
        return best;
    }

    @Override
    public Optional<PartitionLog> get(TopicPartition topicPartition) {
        return Optional.ofNullable(logs.get(topicPartition));
    }

    @Override
    public void updateConfig(TopicPartition topicPartition, LogConfig config) {
        DefaultPartitionLog log = logs.get(topicPartition);
        if (log != null) {
            log.updateConfig(config);
        }
    }

    @Override
    public synchronized void delete(TopicPartition topicPartition) {
        DefaultPartitionLog log = logs.get(topicPartition);
        if (log != null) {
            log.delete();
        }
    }

    /** Called by a log once it is deleted. */
    private void forget(DefaultPartitionLog log) {
        logs.remove(log.topicPartition(), log);
        if (cleaner != null) {
            // a log re-created under the same name starts dirty
            cleaner.forget(log.topicPartition());
        }
    }

    @Override
    public Collection<PartitionLog> all() {
        return List.copyOf(logs.values());
    }

    @Override
    public Collection<String> logDirs() {
        List<String> dirs = new ArrayList<>();
        for (File dir : logDirs) {
            dirs.add(dir.getAbsolutePath());
        }
        return dirs;
    }

    @Override
    public Optional<String> logDirOf(TopicPartition topicPartition) {
        return Optional.ofNullable(logs.get(topicPartition)).map(log -> log.dir().getParentFile().getAbsolutePath());
    }

    @Override
    public Set<String> offlineLogDirs() {
        return failures.offlineDirs();
    }

    @Override
    public void addLogDirFailureListener(LogDirFailureListener listener) {
        failures.addListener(listener);
    }

    /**
     * Takes {@code logDir} offline after {@code cause} (the first report only): its logs fail every call from now on,
     * and are closed, the failure logged and the listeners told on the failure-handler thread. Any thread, log locks
     * possibly held (only volatile writes happen here).
     */
    void dirFailed(File logDir, KafkaStorageException cause) {
        if (!failures.markOffline(logDir)) {
            return;
        }
        List<DefaultPartitionLog> inDir = new ArrayList<>();
        for (DefaultPartitionLog log : logs.values()) {
            if (log.dir().getParentFile().equals(logDir)) {
                log.markOffline(new KafkaStorageException("Log directory " + logDir + " holding "
                        + log.topicPartition() + " is offline", cause));
                inDir.add(log);
            }
        }
        try {
            failureHandler.execute(() -> takeOffline(logDir, inDir, cause));
        } catch (RuntimeException e) {
            // the handler is shut down: the manager is closing, which skips offline logs
            LOG.error("Log directory {} is offline after an I/O error", logDir, cause);
        }
    }

    private void takeOffline(File logDir, List<DefaultPartitionLog> inDir, KafkaStorageException cause) {
        Set<TopicPartition> partitions = new TreeSet<>(java.util.Comparator.comparing(TopicPartition::toString));
        for (DefaultPartitionLog log : inDir) {
            log.releaseAfterDirFailure();
            partitions.add(log.topicPartition());
        }
        Throwable root = cause.getCause() != null ? cause.getCause() : cause;
        LOG.error("Log directory {} is offline after an I/O error ({}). Its {} partition(s) answer KAFKA_STORAGE_ERROR "
                + "until the broker restarts: {}. {}", logDir, root.toString(), partitions.size(), partitions,
                failures.allOffline()
                        ? "No log directory is left online."
                        : "The other log directories keep serving.",
                cause);
        failures.notifyListeners(logDir, Collections.unmodifiableSet(partitions));
    }

    /** Periodic task of the flusher thread: high watermarks every 5 s, recovery points and log starts every minute. */
    private void maybeCheckpoint(long now) {
        if (now - lastHighWatermarkCheckpointMs >= HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS) {
            lastHighWatermarkCheckpointMs = now;
            writeCheckpoints(OffsetCheckpointFile.REPLICATION_OFFSET);
        }
        if (now - lastCheckpointMs >= CHECKPOINT_INTERVAL_MS) {
            lastCheckpointMs = now;
            writeCheckpoints(OffsetCheckpointFile.RECOVERY_POINT);
            writeCheckpoints(OffsetCheckpointFile.LOG_START_OFFSET);
        }
    }

    /**
     * Writes one checkpoint file in every online log dir, with the current values of the logs there. A dir whose
     * write fails goes offline; the others are still written.
     */
    private void writeCheckpoints(String fileName) {
        synchronized (checkpointLock) {
            for (File dir : logDirs) {
                if (failures.isOffline(dir)) {
                    continue;
                }
                try {
                    OffsetCheckpointFile.write(dir, fileName, checkpointValues(dir, fileName));
                } catch (IOException e) {
                    dirFailed(dir, new KafkaStorageException("Failed to write " + fileName + " in " + dir, e));
                }
            }
        }
    }

    private Map<TopicPartition, Long> checkpointValues(File logDir, String fileName) {
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        for (DefaultPartitionLog log : logs.values()) {
            if (!log.dir().getParentFile().equals(logDir)) {
                continue;
            }
            switch (fileName) {
                case OffsetCheckpointFile.RECOVERY_POINT -> offsets.put(log.topicPartition(), log.recoveryPoint());
                case OffsetCheckpointFile.REPLICATION_OFFSET -> offsets.put(log.topicPartition(),
                        log.highWatermark());
                case OffsetCheckpointFile.LOG_START_OFFSET -> {
                    // as Kafka: only logs whose start moved past their first segment need an entry
                    if (log.logStartOffset() > log.firstSegmentBaseOffset()) {
                        offsets.put(log.topicPartition(), log.logStartOffset());
                    }
                }
                default -> throw new IllegalArgumentException(fileName);
            }
        }
        return offsets;
    }

    /**
     * Called by a log that just truncated, with its lock held: rewrites the recovery-point file of its dir so a crash
     * cannot leave a checkpoint above the records appended after the truncation (recovery would trust them unscanned).
     */
    private void checkpointAfterTruncation(DefaultPartitionLog log) {
        File logDir = log.dir().getParentFile();
        synchronized (checkpointLock) {
            try {
                OffsetCheckpointFile.write(logDir, OffsetCheckpointFile.RECOVERY_POINT,
                        checkpointValues(logDir, OffsetCheckpointFile.RECOVERY_POINT));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Flushes and closes every log, writes the checkpoints, then the clean-shutdown markers. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (cleaner != null) {
            cleaner.close();
        }
        stopRetention();
        flusher.close();
        boolean clean = true;
        for (DefaultPartitionLog log : logs.values()) {
            if (log.isOffline()) {
                continue; // its dir is offline: nothing is written there; the next start-up recovers it
            }
            try {
                log.close();
                clean &= log.recoveryPoint() == log.logEndOffset();
            } catch (RuntimeException e) {
                clean = false;
                LOG.error("Failed to close log of {}", log.topicPartition(), e);
            }
        }
        writeCheckpoints(OffsetCheckpointFile.RECOVERY_POINT);
        writeCheckpoints(OffsetCheckpointFile.REPLICATION_OFFSET);
        writeCheckpoints(OffsetCheckpointFile.LOG_START_OFFSET);
        if (clean) {
            for (File dir : logDirs) {
                if (failures.isOffline(dir)) {
                    continue; // no marker: its logs are recovered (torn tails truncated) at the next start-up
                }
                try {
                    Files.createFile(dir.toPath().resolve(CLEAN_SHUTDOWN_FILE));
                    Utils.flushDir(dir.toPath());
                } catch (IOException e) {
                    LOG.error("Failed to record a clean shutdown in {}; the next start-up will recover it", dir, e);
                }
            }
        }
        if (failureHandler instanceof ExecutorService executor) {
            executor.shutdown();
        }
        deleter.shutdown();
        try {
            if (!deleter.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("Background deletion of logs did not finish; it will resume at the next start-up");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stopRetention() {
        if (retentionScheduler == null) {
            return;
        }
        // not shutdownNow: an interrupt would close the file channel a pass is using and take its log offline
        retentionScheduler.shutdown();
        try {
            // a pass in progress holds logs' locks: let it finish before the logs close
            if (!retentionScheduler.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("Log retention pass did not finish within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Test seam for a killed process: stops the background threads and releases every log's files without flushing or
     * writing checkpoints or the clean-shutdown marker. The next open sees an unclean shutdown.
     */
    synchronized void haltForTest() {
        closed = true;
        if (cleaner != null) {
            cleaner.close();
        }
        stopRetention();
        flusher.close();
        for (DefaultPartitionLog log : logs.values()) {
            log.haltForTest();
        }
        deleter.shutdownNow();
        if (failureHandler instanceof ExecutorService executor) {
            executor.shutdownNow();
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            LOG.warn("Failed to close log manager after a failed start-up", e);
        }
    }
}
