package io.brook.broker.testing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.TopicPartition;

import io.brook.storage.LogConfig;
import io.brook.storage.LogManager;
import io.brook.storage.PartitionLog;

/** In-memory logs by partition; records the configs it was given. */
public final class FakeLogManager implements LogManager {

    private final Map<TopicPartition, FakePartitionLog> logs = new ConcurrentHashMap<>();
    private final Map<TopicPartition, LogConfig> configs = new ConcurrentHashMap<>();
    private final List<TopicPartition> deleted = new ArrayList<>();

    @Override
    public PartitionLog getOrCreate(TopicPartition topicPartition, LogConfig config) {
        configs.putIfAbsent(topicPartition, config);
        return logs.computeIfAbsent(topicPartition, FakePartitionLog::new);
    }

    public FakePartitionLog log(TopicPartition topicPartition) {
        return logs.get(topicPartition);
    }

    public LogConfig config(TopicPartition topicPartition) {
        return configs.get(topicPartition);
    }

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
        deleted.add(topicPartition);
    }

    @Override
    public Collection<PartitionLog> all() {
        return new ArrayList<>(logs.values());
    }

    @Override
    public Collection<String> logDirs() {
        return List.of("/fake");
    }

    @Override
    public Optional<String> logDirOf(TopicPartition topicPartition) {
        return logs.containsKey(topicPartition) ? Optional.of("/fake") : Optional.empty();
    }

    @Override
    public void close() {
    }
}
