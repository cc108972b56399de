package io.brook.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.utils.Utils;

/**
 * Shares the fsyncs that make new log directories' entries durable in their log dir. A log created since the last
 * fsync of its log dir needs one before its first records count as durable, and one fsync covers every directory
 * made before it began: so the first flushes of a thousand logs just created fsync the log dir about once, not a
 * thousand times.
 *
 * <p>A log takes a ticket right after making its directory ({@link #created}); {@link #ensureDurable} fsyncs the log
 * dir only if no fsync that began after that ticket has completed.
 *
 * <p>Thread-safe: tickets are atomic; fsyncs run under the instance monitor, so a flush that arrives while another
 * fsync of the log dir runs waits for it and then usually finds itself covered.
 */
final class DirectorySync {

    private final AtomicLong lastTicket = new AtomicLong();
    /** Per log dir, the last ticket a completed fsync covers. Guarded by this. */
    private final Map<Path, Long> coveredUpTo = new HashMap<>();
    /** Guarded by this. */
    private long fsyncs;

    /** To call once the directory of a new log exists; the ticket to pass to {@link #ensureDurable}. */
    long created() {
        return lastTicket.incrementAndGet();
    }

    /** Returns once the entries of every directory created in {@code logDir} up to {@code ticket} are durable. */
    synchronized void ensureDurable(Path logDir, long ticket) throws IOException {
        if (coveredUpTo.getOrDefault(logDir, 0L) >= ticket) {
            return;
        }
        long covers = lastTicket.get(); // every directory with a ticket up to here was made before this fsync
        Utils.flushDir(logDir);
        fsyncs++;
        coveredUpTo.merge(logDir, covers, Math::max);
    }

    /** Number of log dir fsyncs done so far (the seam tests use to see that logs share them). */
    synchronized long fsyncCount() {
        return fsyncs;
    }
}
