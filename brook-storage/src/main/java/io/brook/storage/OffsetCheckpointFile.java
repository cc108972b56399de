package io.brook.storage;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's per-log-dir offset checkpoint files, all in one text format, written atomically (temp file, fsync, rename,
 * directory fsync):
 *
 * <pre>
 * 0                      version
 * 2                      number of entries
 * orders 0 1042          topic partition offset
 * orders 1 977
 * </pre>
 *
 * The same format serves three files: {@value #RECOVERY_POINT} (offsets below are fsynced),
 * {@value #REPLICATION_OFFSET} (high watermarks) and {@value #LOG_START_OFFSET} (log start offsets above the first
 * segment's base offset).
 *
 * <p>Stateless and thread-safe; callers serialise writes to one file.
 */
final class OffsetCheckpointFile {

    private static final Logger LOG = LoggerFactory.getLogger(OffsetCheckpointFile.class);
    static final String RECOVERY_POINT = "recovery-point-offset-checkpoint";
    static final String REPLICATION_OFFSET = "replication-offset-checkpoint";
    static final String LOG_START_OFFSET = "log-start-offset-checkpoint";
    private static final int VERSION = 0;

    private OffsetCheckpointFile() {
    }

    static void write(File logDir, String fileName, Map<TopicPartition, Long> offsets) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append(VERSION).append('\n').append(offsets.size()).append('\n');
        offsets.forEach((tp, offset) -> text.append(tp.topic()).append(' ').append(tp.partition()).append(' ')
                .append(offset).append('\n'));
        Path target = logDir.toPath().resolve(fileName);
        Path temp = logDir.toPath().resolve(fileName + ".tmp");
        Files.write(temp, text.toString().getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        Utils.atomicMoveWithFallback(temp, target);
    }

    /** Reads the file; a missing or malformed file yields no entries (callers then fall back to safe defaults). */
    static Map<TopicPartition, Long> read(File logDir, String fileName) {
        Path file = logDir.toPath().resolve(fileName);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        if (!Files.exists(file)) {
            return offsets;
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.size() < 2 || Integer.parseInt(lines.get(0).trim()) != VERSION) {
                throw new IOException("unexpected header");
            }
            int count = Integer.parseInt(lines.get(1).trim());
            if (lines.size() < 2 + count) {
                throw new IOException("expected " + count + " entries");
            }
            for (int i = 0; i < count; i++) {
                String[] fields = lines.get(2 + i).trim().split(" ");
                if (fields.length != 3) {
                    throw new IOException("malformed line " + lines.get(2 + i));
                }
                offsets.put(new TopicPartition(fields[0], Integer.parseInt(fields[1])), Long.parseLong(fields[2]));
            }
            return offsets;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Ignoring unreadable {}: {}", file, e.toString());
            return new HashMap<>();
        }
    }
}
