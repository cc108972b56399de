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
 * Kafka's {@code recovery-point-offset-checkpoint} file, one per log dir, written atomically (temp file, fsync,
 * rename):
 *
 * <pre>
 * 0                      version
 * 2                      number of entries
 * orders 0 1042          topic partition offset
 * orders 1 977
 * </pre>
 *
 * Stateless and thread-safe; callers serialise writes to one file.
 */
final class RecoveryPointCheckpoint {

    private static final Logger LOG = LoggerFactory.getLogger(RecoveryPointCheckpoint.class);
    static final String FILE_NAME = "recovery-point-offset-checkpoint";
    private static final int VERSION = 0;

    private RecoveryPointCheckpoint() {
    }

    static void write(File logDir, Map<TopicPartition, Long> offsets) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append(VERSION).append('\n').append(offsets.size()).append('\n');
        offsets.forEach((tp, offset) -> text.append(tp.topic()).append(' ').append(tp.partition()).append(' ')
                .append(offset).append('\n'));
        Path target = logDir.toPath().resolve(FILE_NAME);
        Path temp = logDir.toPath().resolve(FILE_NAME + ".tmp");
        Files.write(temp, text.toString().getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        Utils.atomicMoveWithFallback(temp, target);
    }

    /** Reads the file; a missing or malformed file yields no entries (every log is then recovered from its start). */
    static Map<TopicPartition, Long> read(File logDir) {
        Path file = logDir.toPath().resolve(FILE_NAME);
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
