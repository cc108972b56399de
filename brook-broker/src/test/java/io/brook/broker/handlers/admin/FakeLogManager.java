package io.brook.broker.handlers.admin;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.MemoryRecords;

import io.brook.storage.LogAppendInfo;
import io.brook.storage.LogConfig;
import io.brook.storage.LogManager;
import io.brook.storage.LogReadResult;
import io.brook.storage.PartitionLog;
import io.brook.storage.TimestampAndOffset;

/** A LogManager over fixed directories whose logs only know their size. Thread-safe. */
final class FakeLogManager implements LogManager {

    private final List<String> logDirs;
    private final Map<TopicPartition, FakeLog> logs = new ConcurrentHashMap<>();
    private final Map<TopicPartition, String> dirs = new ConcurrentHashMap<>();

    FakeLogManager(List<String> logDirs) {
        this.logDirs = logDirs;
    }

    void add(TopicPartition tp, String dir, long size) {
        logs.put(tp, new FakeLog(tp, size));
        dirs.put(tp, dir);
    }

    @Override
    public PartitionLog getOrCreate(TopicPartition topicPartition, LogConfig config) {
        return logs.computeIfAbsent(topicPartition, tp -> {
            dirs.put(tp, logDirs.get(0));
            return new FakeLog(tp, 0);
        });
    }

    @Override
    public Optional<PartitionLog> get(TopicPartition topicPartition) {
        return Optional.ofNullable(logs.get(topicPartition));
    }

    @Override
    public void updateConfig(TopicPartition topicPartition, LogConfig config) {
    }

    @Override
    public void delete(TopicPartition topicPartition) {
        logs.remove(topicPartition);
        dirs.remove(topicPartition);
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

    @Override
    public void close() {
    }

    private record FakeLog(TopicPartition topicPartition, long sizeInBytes) implements PartitionLog {

        @Override
        public LogAppendInfo appendAsLeader(MemoryRecords records, int leaderEpoch) {
            throw new UnsupportedOperationException();
        }

        @Override
        public LogReadResult read(long fetchOffset, int maxBytes, boolean minOneMessage) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long logStartOffset() {
            return 0;
        }

        @Override
        public long logEndOffset() {
            return 0;
        }

        @Override
        public long highWatermark() {
            return 0;
        }

        @Override
        public Optional<TimestampAndOffset> offsetForTimestamp(long timestamp) {
            return Optional.empty();
        }

        @Override
        public CompletableFuture<Void> awaitDurable(long offset) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public int numberOfSegments() {
            return 1;
        }

        @Override
        public void delete() {
        }

        @Override
        public void close() {
        }
    }
}
