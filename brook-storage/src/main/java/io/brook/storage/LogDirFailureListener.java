package io.brook.storage;

import java.util.Set;

import org.apache.kafka.common.TopicPartition;

/**
 * Told once per log directory that went offline after an I/O error (a full disk, a failed device), after the
 * directory's logs were closed. Called on the log manager's {@code brook-log-dir-failure} thread, one directory at a
 * time; it must not block for long.
 */
@FunctionalInterface
public interface LogDirFailureListener {

    /**
     * @param logDir the directory now offline (absolute path, as {@link LogManager#logDirs()} gives it)
     * @param partitions the partitions whose logs were in it; they answer KAFKA_STORAGE_ERROR until restart
     * @param allLogDirsOffline true when no log directory is left online (Kafka stops the broker then)
     */
    void onLogDirFailure(String logDir, Set<TopicPartition> partitions, boolean allLogDirsOffline);
}
