package io.brook.storage;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.utils.Utils;

/**
 * Kafka's {@code leader-epoch-checkpoint} file in a partition directory, written atomically (temp file, fsync, rename,
 * directory fsync):
 *
 * <pre>
 * 0          version
 * 3          number of entries
 * 0 0        epoch startOffset   (epochs and start offsets strictly increasing)
 * 2 1500
 * 5 1712
 * </pre>
 *
 * <p>Not thread-safe: the owning {@link LeaderEpochCache} serialises access.
 */
final class LeaderEpochCheckpoint {

    static final String FILE_NAME = "leader-epoch-checkpoint";
    private static final int VERSION = 0;

    /** One line of the file: {@code epoch} started at {@code startOffset}. */
    record EpochEntry(int epoch, long startOffset) {
    }

    private final File dir;

    LeaderEpochCheckpoint(File dir) {
        this.dir = dir;
    }

    void write(List<EpochEntry> entries) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append(VERSION).append('\n').append(entries.size()).append('\n');
        for (EpochEntry entry : entries) {
            text.append(entry.epoch()).append(' ').append(entry.startOffset()).append('\n');
        }
        Path target = dir.toPath().resolve(FILE_NAME);
        Path temp = dir.toPath().resolve(FILE_NAME + ".tmp");
        Files.write(temp, text.toString().getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        Utils.atomicMoveWithFallback(temp, target);
    }

    boolean exists() {
        return Files.exists(dir.toPath().resolve(FILE_NAME));
    }

    /**
     * The entries in the file; empty when the file is missing, and an {@link IOException} when it is malformed or its
     * entries are not strictly increasing (the caller rebuilds the cache from the log then).
     */
    Optional<List<EpochEntry>> read() throws IOException {
        Path file = dir.toPath().resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        try {
            if (lines.size() < 2 || Integer.parseInt(lines.get(0).trim()) != VERSION) {
                throw new IOException("unexpected header in " + file);
            }
            int count = Integer.parseInt(lines.get(1).trim());
            if (count < 0 || lines.size() < 2 + count) {
                throw new IOException("expected " + count + " entries in " + file);
            }
            List<EpochEntry> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String[] fields = lines.get(2 + i).trim().split("\\s+");
                if (fields.length != 2) {
                    throw new IOException("malformed line '" + lines.get(2 + i) + "' in " + file);
                }
                EpochEntry entry = new EpochEntry(Integer.parseInt(fields[0]), Long.parseLong(fields[1]));
                EpochEntry previous = entries.isEmpty() ? null : entries.get(entries.size() - 1);
                if (entry.epoch() < 0 || entry.startOffset() < 0 || previous != null
                        && (entry.epoch() <= previous.epoch() || entry.startOffset() <= previous.startOffset())) {
                    throw new IOException("entry " + entry + " out of order in " + file);
                }
                entries.add(entry);
            }
            return Optional.of(entries);
        } catch (NumberFormatException e) {
            throw new IOException("malformed " + file, e);
        }
    }
}
