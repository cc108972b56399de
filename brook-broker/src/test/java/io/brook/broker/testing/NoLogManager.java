package io.brook.broker.testing;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.TopicPartition;

import io.brook.storage.LogConfig;
import io.brook.storage.LogManager;
import io.brook.storage.PartitionLog;

/** A test double of the storage engine for tests that never touch partition data. */
public final class NoLogManager implements LogManager {

    private final List<String> logDirs;
    private volatile boolean closed;

    public NoLogManager(List<String> logDirs) {
        this.logDirs = List.copyOf(logDirs);
    }

    @Override
    public PartitionLog getOrCreate(TopicPartition topicPartition, LogConfig config) {
        throw new UnsupportedOperationException("no storage in this test");
    }

    @Override
    public Optional<PartitionLog> get(TopicPartition topicPartition) {
        return Optional.empty();
    }

    @Override
    public void updateConfig(TopicPartition topicPartition, LogConfig config) {
    }

    @Override
    public void delete(TopicPartition topicPartition) {
    }

    @Override
    public Collection<PartitionLog> all() {
        return List.of();
    }

    @Override
    public Collection<String> logDirs() {
        return logDirs;
    }

    @Override
    public Optional<String> logDirOf(TopicPartition topicPartition) {
        return Optional.empty();
    }

    @Override
    public void close() {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }
}
