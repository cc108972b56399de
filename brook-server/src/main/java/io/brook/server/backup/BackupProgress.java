package io.brook.server.backup;

import java.io.PrintWriter;
import java.util.Locale;

import org.apache.kafka.common.TopicPartition;

/**
 * Reports a backup's progress on stderr: on a terminal one line rewritten in place (the partition being copied, its
 * offsets, and the run's totals); otherwise one plain line per partition copied, for logs. Not thread-safe: the
 * backup reports from one thread.
 */
final class BackupProgress {

    private final PrintWriter err;
    private final boolean terminal;
    private long doneBytes;
    private long doneRecords;
    private int lineLength;

    BackupProgress(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** Totals of the partition being copied so far. */
    void copying(TopicPartition partition, long bytes, long records, long nextOffset, long targetOffset) {
        if (!terminal) {
            return;
        }
        String line = String.format(Locale.ROOT, "%s: offset %d of %d | total %s, %d records", partition,
                nextOffset, targetOffset, size(doneBytes + bytes), doneRecords + records);
        err.print("\r" + line + " ".repeat(Math.max(0, lineLength - line.length())));
        lineLength = line.length();
        err.flush();
    }

    void partitionDone(TopicPartition partition, long startOffset, long endOffset, long bytes, long records) {
        doneBytes += bytes;
        doneRecords += records;
        clearLine();
        if (!terminal || records > 0) {
            err.printf(Locale.ROOT, "%s: offsets [%d, %d), %d records, %s copied%n", partition, startOffset,
                    endOffset, records, size(bytes));
        }
        err.flush();
    }

    void note(String message) {
        clearLine();
        err.println(message);
        err.flush();
    }

    private void clearLine() {
        if (terminal && lineLength > 0) {
            err.print("\r" + " ".repeat(lineLength) + "\r");
            lineLength = 0;
        }
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
