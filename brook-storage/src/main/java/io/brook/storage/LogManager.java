package io.brook.storage;

import java.io.Closeable;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;

/**
 * Owns every partition log under the configured log directories: recovers them at start-up (skipping the scan after
 * a clean shutdown), creates and deletes them, and runs the background flusher (group commit and
 * {@code log.flush.interval.*}). Thread-safe.
 */
public interface LogManager extends Closeable {

    /** Returns the existing log or creates an empty one (in the log dir holding the fewest partitions). */
    PartitionLog getOrCreate(TopicPartition topicPartition, LogConfig config);

    Optional<PartitionLog> get(TopicPartition topicPartition);

    /** Applies new settings (e.g. after AlterConfigs) to an existing log. */
    void updateConfig(TopicPartition topicPartition, LogConfig config);

    /** Deletes the partition's log and its files. A later getOrCreate of the same name starts empty. */
    void delete(TopicPartition topicPartition);

    Collection<PartitionLog> all();

    /** The configured log directories (absolute paths). */
    Collection<String> logDirs();

    /** The log directory holding the partition. */
    Optional<String> logDirOf(TopicPartition topicPartition);

    /**
     * The log directories taken offline by an I/O error since start-up (absolute paths). Their partitions answer
     * KAFKA_STORAGE_ERROR, no file in them is written any more, and new logs go to the other directories.
     */
    default Set<String> offlineLogDirs() {
        return Set.of();
    }

    /** Registers a listener told of each log directory that goes offline (see {@link LogDirFailureListener}). */
    default void addLogDirFailureListener(LogDirFailureListener listener) {
    }

    /**
     * Starts the background retention task: every {@code checkIntervalMs} ({@code log.retention.check.interval.ms}),
     * each log deletes the segments its retention settings and log start offset no longer keep, and the log start
     * offsets are checkpointed. Called once, after opening.
     */
    default void startRetention(long checkIntervalMs) {
    }

    /** Flushes everything, writes the clean-shutdown marker, closes all files. */
    @Override
    void close();
}
