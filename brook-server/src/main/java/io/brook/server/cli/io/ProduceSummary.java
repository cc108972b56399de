package io.brook.server.cli.io;

import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.producer.RecordMetadata;

import io.brook.server.cli.CliErrors;

/**
 * Counts what a {@code brook produce} run sent: records acknowledged per partition with the first and last offset,
 * and failures with the first error. Completions arrive on the producer's I/O thread, so methods are synchronized.
 */
final class ProduceSummary {

    private final Map<Integer, long[]> offsetsByPartition = new TreeMap<>();
    private long sent;
    private long acknowledged;
    private long failed;
    private String firstError;

    synchronized void sent() {
        sent++;
    }

    synchronized long sentCount() {
        return sent;
    }

    synchronized long failedCount() {
        return failed;
    }

    /** A producer callback. */
    synchronized void onCompletion(RecordMetadata metadata, Exception error) {
        if (error != null) {
            failed++;
            if (firstError == null) {
                firstError = CliErrors.message(error);
            }
            return;
        }
        acknowledged++;
        if (metadata.hasOffset()) {
            long[] range = offsetsByPartition.computeIfAbsent(metadata.partition(),
                    p -> new long[]{Long.MAX_VALUE, Long.MIN_VALUE});
            range[0] = Math.min(range[0], metadata.offset());
            range[1] = Math.max(range[1], metadata.offset());
        }
    }

    /** E.g. {@code produced 3 records to 'orders': partition 0 offsets 0-2} and, on failures, their count and the first error. */
    synchronized void print(String topic, PrintWriter err) {
        StringBuilder line = new StringBuilder("produced " + acknowledged + " record" + (acknowledged == 1 ? "" : "s")
                + " to '" + topic + "'");
        String separator = ": ";
        for (Map.Entry<Integer, long[]> e : offsetsByPartition.entrySet()) {
            long[] range = e.getValue();
            line.append(separator).append("partition ").append(e.getKey()).append(" offsets ").append(range[0])
                    .append('-').append(range[1]);
            separator = ", ";
        }
        err.println(line);
        if (failed > 0) {
            err.println(failed + " record" + (failed == 1 ? "" : "s") + " failed: " + firstError);
        }
    }
}
