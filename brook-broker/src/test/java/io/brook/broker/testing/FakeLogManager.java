package io.brook.broker.testing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.TopicPartition;

import io.brook.storage.LogConfig;
import io.brook.storage.LogManager;
import io.brook.storage.PartitionLog;

/**
 * A storage engine in memory: one {@link FakePartitionLog} per partition, placed in the first of fixed log
 * directories that are never touched on disk. Records the config each log was given, the partitions deleted, and
 * whether it was closed, for tests to check.
 *
 * <p>Thread-safe.
 */
public final class FakeLogManager implements LogManager {

    private final List<String> logDirs;
    private final Map<TopicPartition, FakePartitionLog> logs = new ConcurrentHashMap<>();
    private final Map<TopicPartition, LogConfig> configs = new ConcurrentHashMap<>();
    private final Map<TopicPartition, String> dirs = new ConcurrentHashMap<>();
    private final List<TopicPartition> deleted = new ArrayList<>();
    private final Set<String> offlineDirs = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** A manager with the single log directory {@code /fake}. */
    public FakeLogManager() {
        this(List.of("/fake"));
    }

    /** A manager over the given log directories; with none, {@link #getOrCreate} fails. */
    public FakeLogManager(List<String> logDirs) {
        this.logDirs = List.copyOf(logDirs);
    }

    /** Adds a log in {@code dir} that reports {@code sizeInBytes}, as recovery would find it at start-up. */
    public FakePartitionLog add(TopicPartition topicPartition, String dir, long sizeInBytes) {
        FakePartitionLog log = new FakePartitionLog(topicPartition);
        log.setSizeInBytes(sizeInBytes);
        logs.put(topicPartition, log);
        dirs.put(topicPartition, dir);
        return log;
    }

    @Override
    public PartitionLog getOrCreate(TopicPartition topicPartition, LogConfig config) {
        if (logDirs.isEmpty()) {
            throw new IllegalStateException("no log directory in this test");
        }
        configs.putIfAbsent(topicPartition, config);
        dirs.putIfAbsent(topicPartition, logDirs.get(0));
        return logs.computeIfAbsent(topicPartition, FakePartitionLog::new);
    }

    /** The log of the partition, or null if it has none. */
    public FakePartitionLog log(TopicPartition topicPartition) {
        return logs.get(topicPartition);
    }

    /** The config the partition's log was created with or last updated to, or null. */
    public LogConfig config(TopicPartition topicPartition) {
        return configs.get(topicPartition);
    }

    /** The partitions deleted so far, in order. */
    public synchronized List<TopicPartition> deleted() {
        return List.copyOf(deleted);
    }

    @Override
    public Optional<PartitionLog> get(TopicPartition topicPartition) {
        return Optional.ofNullable(logs.get(topicPartition));
    }

    @Override
    public void updateConfig(TopicPartition topicPartition, LogConfig config) {
        configs.put(topicPartition, config);
    }

    @Override
    public synchronized void delete(TopicPartition topicPartition) {
        logs.remove(topicPartition);
        configs.remove(topicPartition);
        dirs.remove(topicPartition);
        deleted.add(topicPartition);
    }

    @Override
    public Collection<PartitionLog> all() {
        return List.copyOf(logs.values());
    }

    @Override
    public Collection<String> logDirs() {
        return logDirs;
    }

    @Override
    public Optional<String> logDirOf(TopicPartition topicPartition) {
        return Optional.ofNullable(dirs.get(topicPartition));
    }

    /** Takes {@code dir} offline as an I/O error would: its logs report offline. */
    public void takeOffline(String dir) {
        offlineDirs.add(dir);
        dirs.forEach((tp, logDir) -> {
            if (logDir.equals(dir)) {
                logs.get(tp).setOffline();
            }
        });
    }

    @Override
    public Set<String> offlineLogDirs() {
        return Set.copyOf(offlineDirs);
    }

    @Override
    public void close() {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }
}
