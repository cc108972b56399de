package io.brook.storage;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
    private LogCleaner cleaner;
    private final LogRetention retention;
    /** Runs {@link #retention} every {@code log.retention.check.interval.ms}; null until {@link #startRetention}. */
    private ScheduledExecutorService retentionScheduler;
    private long lastCheckpointMs;
    private long lastHighWatermarkCheckpointMs;
    private boolean closed;

    private DefaultLogManager(List<File> logDirs, LogConfig defaultConfig, Time time) {
        this.logDirs = logDirs;
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
        this.env = new LogEnvironment(time, flusher, deleter, this::forget, this::checkpointAfterTruncation);
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
        DefaultLogManager manager = new DefaultLogManager(dirs, defaultConfig, time);
        try {
            manager.loadAll();
        } catch (IOException e) {
            manager.closeQuietly();
            throw new UncheckedIOException("Failed to load logs from " + logDirs, e);
        }
        manager.cleaner = new LogCleaner(cleanerConfig, time, dirs, () -> new ArrayList<>(manager.logs.values()));
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

    private void loadAll() throws IOException {
        for (File logDir : logDirs) {
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
                if (logs.containsKey(tp.get())) {
                    throw new IOException("duplicate log directories for " + tp.get() + ": " + child + " and "
                            + logs.get(tp.get()).dir());
                }
                long recoveryPoint = clean ? Long.MAX_VALUE : recoveryPoints.getOrDefault(tp.get(), 0L);
                LogLoader.Checkpoints checkpoints = new LogLoader.Checkpoints(recoveryPoint,
                        highWatermarks.getOrDefault(tp.get(), 0L), logStartOffsets.getOrDefault(tp.get(), -1L));
                logs.put(tp.get(), DefaultPartitionLog.open(child, tp.get(), defaultConfig, env, checkpoints, clean));
            }
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
        try {
            writeCheckpoints(OffsetCheckpointFile.LOG_START_OFFSET);
        } catch (IOException e) {
            LOG.warn("Failed to write log start offset checkpoints", e);
        }
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
        File dir = new File(leastLoadedDir(), topicPartition.topic() + "-" + topicPartition.partition());
        try {
            DefaultPartitionLog log = DefaultPartitionLog.open(dir, topicPartition, config, env,
                    LogLoader.Checkpoints.none(), false);
            logs.put(topicPartition, log);
            LOG.info("Created log for {} in {}", topicPartition, dir);
            return log;
        } catch (IOException e) {
            throw new KafkaStorageException("Failed to create log for " + topicPartition + " in " + dir, e);
        }
    }

    private File leastLoadedDir() {
        if (logDirs.size() == 1) {
            return logDirs.get(0); // the usual case, without counting every log for every created one
        }
        Map<File, Integer> counts = new LinkedHashMap<>();
        for (File dir : logDirs) {
            counts.put(dir, 0);
        }
        for (DefaultPartitionLog log : logs.values()) {
            counts.computeIfPresent(log.dir().getParentFile(), (dir, count) -> count + 1);
        }
        File best = logDirs.get(0);
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

    /** Periodic task of the flusher thread: high watermarks every 5 s, recovery points and log starts every minute. */
    private void maybeCheckpoint(long now) {
        if (now - lastHighWatermarkCheckpointMs >= HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS) {
            lastHighWatermarkCheckpointMs = now;
            try {
                writeCheckpoints(OffsetCheckpointFile.REPLICATION_OFFSET);
            } catch (IOException e) {
                LOG.warn("Failed to write high watermark checkpoints", e);
            }
        }
        if (now - lastCheckpointMs >= CHECKPOINT_INTERVAL_MS) {
            lastCheckpointMs = now;
            try {
                writeCheckpoints(OffsetCheckpointFile.RECOVERY_POINT);
                writeCheckpoints(OffsetCheckpointFile.LOG_START_OFFSET);
            } catch (IOException e) {
                LOG.warn("Failed to write recovery point checkpoints", e);
            }
        }
    }

    /** Writes one checkpoint file in every log dir, with the current values of the logs there. */
    private void writeCheckpoints(String fileName) throws IOException {
        synchronized (checkpointLock) {
            for (File dir : logDirs) {
                OffsetCheckpointFile.write(dir, fileName, checkpointValues(dir, fileName));
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
            try {
                log.close();
                clean &= log.recoveryPoint() == log.logEndOffset();
            } catch (RuntimeException e) {
                clean = false;
                LOG.error("Failed to close log of {}", log.topicPartition(), e);
            }
        }
        try {
            writeCheckpoints(OffsetCheckpointFile.RECOVERY_POINT);
            writeCheckpoints(OffsetCheckpointFile.REPLICATION_OFFSET);
            writeCheckpoints(OffsetCheckpointFile.LOG_START_OFFSET);
            if (clean) {
                for (File dir : logDirs) {
                    Files.createFile(dir.toPath().resolve(CLEAN_SHUTDOWN_FILE));
                    Utils.flushDir(dir.toPath());
                }
            }
        } catch (IOException e) {
            LOG.error("Failed to record a clean shutdown; the next start-up will run recovery", e);
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
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            LOG.warn("Failed to close log manager after a failed start-up", e);
        }
    }
}
