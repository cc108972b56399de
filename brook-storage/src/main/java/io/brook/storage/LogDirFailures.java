package io.brook.storage;

import java.io.File;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which log directories are offline, and who is told when one goes offline (Kafka's {@code LogDirFailureChannel}).
 * A directory goes offline at its first I/O error and stays offline until the process restarts: nothing written
 * there afterwards could be trusted, and a full disk that is freed needs the recovery of a restart anyway.
 *
 * <p>Thread-safe: {@link #markOffline} may be called from any thread, with log locks held; listeners are called by
 * whoever runs {@link #notifyListeners}.
 */
final class LogDirFailures {

    private static final Logger LOG = LoggerFactory.getLogger(LogDirFailures.class);

    private final Set<File> offline = ConcurrentHashMap.newKeySet();
    private final List<LogDirFailureListener> listeners = new CopyOnWriteArrayList<>();
    private final int logDirCount;

    LogDirFailures(int logDirCount) {
        this.logDirCount = logDirCount;
    }

    /** Records {@code logDir} as offline; returns true only for the first report of that directory. */
    boolean markOffline(File logDir) {
        return offline.add(logDir);
    }

    boolean isOffline(File logDir) {
        return offline.contains(logDir);
    }

    boolean allOffline() {
        return offline.size() >= logDirCount;
    }

    /** The offline directories' absolute paths, sorted. */
    Set<String> offlineDirs() {
        Set<String> dirs = new TreeSet<>();
        for (File dir : offline) {
            dirs.add(dir.getAbsolutePath());
        }
        return Set.copyOf(dirs);
    }

    void addListener(LogDirFailureListener listener) {
        listeners.add(listener);
    }

    /** Tells every listener; one that throws is logged and the others are still told. */
    void notifyListeners(File logDir, Set<TopicPartition> partitions) {
        boolean all = allOffline();
        for (LogDirFailureListener listener : listeners) {
            try {
                listener.onLogDirFailure(logDir.getAbsolutePath(), partitions, all);
            } catch (RuntimeException e) {
                LOG.error("A log dir failure listener failed for {}", logDir, e);
            }
        }
    }
}
