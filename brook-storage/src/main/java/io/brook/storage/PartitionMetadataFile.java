package io.brook.storage;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code partition.metadata} in a partition directory: which topic (by id) the log belongs to, so a log left behind
 * by a deleted topic is never mistaken for the log of a new topic of the same name. Kafka's text format:
 *
 * <pre>
 * version: 0
 * topic_id: &lt;base64 Uuid&gt;
 * </pre>
 *
 * <p>Written through a temp file and a rename, without fsync: creating a log stays cheap, and a file lost in a crash
 * only means the log is adopted by the topic of its name, as before ids were recorded. Stateless.
 */
final class PartitionMetadataFile {

    static final String FILE_NAME = "partition.metadata";
    private static final Logger LOG = LoggerFactory.getLogger(PartitionMetadataFile.class);
    private static final String VERSION_PREFIX = "version: ";
    private static final String TOPIC_ID_PREFIX = "topic_id: ";

    private PartitionMetadataFile() {
    }

    /** The recorded topic id; empty when the file is missing or unreadable (logged). */
    static Optional<Uuid> read(File dir) {
        Path file = dir.toPath().resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.size() >= 2 && lines.get(0).equals(VERSION_PREFIX + "0")
                    && lines.get(1).startsWith(TOPIC_ID_PREFIX)) {
                return Optional.of(Uuid.fromString(lines.get(1).substring(TOPIC_ID_PREFIX.length()).trim()));
            }
            LOG.warn("Ignoring malformed {}", file);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Ignoring unreadable {}", file, e);
        }
        return Optional.empty();
    }

    static void write(File dir, Uuid topicId) throws IOException {
        Path file = dir.toPath().resolve(FILE_NAME);
        Path temp = dir.toPath().resolve(FILE_NAME + ".tmp");
        Files.writeString(temp, VERSION_PREFIX + "0\n" + TOPIC_ID_PREFIX + topicId + "\n", StandardCharsets.UTF_8);
        Utils.atomicMoveWithFallback(temp, file, false);
    }
}
