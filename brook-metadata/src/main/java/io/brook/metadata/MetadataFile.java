package io.brook.metadata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32C;

import org.apache.kafka.common.Uuid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The durable form of the metadata: one file, rewritten whole on every change (write a temp file, fsync, atomic
 * rename over the old one, fsync the directory). A crash at any point leaves either the old or the new file; a
 * leftover temp file is a torn write and is discarded on load.
 *
 * <pre>
 * metadata.json:
 *   line 1: {"format":1,"length":N,"crc32c":C}     header
 *   then N bytes: the state as JSON, whose CRC-32C is C
 *   state: {"nextProducerId":0,
 *           "brokerConfigs":{"log.retention.ms":"1000"},
 *           "topics":[{"name":"t","id":"base64-uuid","partitions":3,"replicationFactor":1,"configs":{...}}]}
 * </pre>
 *
 * <p>Not thread-safe: the store calls it under its write lock.
 */
final class MetadataFile {

    static final String FILE_NAME = "metadata.json";
    static final String TEMP_FILE_NAME = FILE_NAME + ".tmp";
    private static final int FORMAT = 1;

    /** What the file holds. */
    record State(MetadataImage image, long nextProducerId) {
    }

    private final ObjectMapper mapper = new ObjectMapper();
    private final Path dir;
    private final Path file;
    private final Path tempFile;

    MetadataFile(Path dir) {
        this.dir = dir;
        this.file = dir.resolve(FILE_NAME);
        this.tempFile = dir.resolve(TEMP_FILE_NAME);
    }

    /** Reads the last complete state, or empty on first start. Discards a torn temp file. */
    Optional<State> load() {
        try {
            Files.deleteIfExists(tempFile);
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
            return Optional.of(decode(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read metadata in " + dir, e);
        }
    }

    void write(State state) {
        byte[] bytes = encode(state);
        try {
            try (FileChannel channel = FileChannel.open(tempFile, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(tempFile, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel dirChannel = FileChannel.open(dir, StandardOpenOption.READ)) {
                dirChannel.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write metadata in " + dir, e);
        }
    }

    byte[] encode(State state) {
        ObjectNode root = mapper.createObjectNode();
        root.put("nextProducerId", state.nextProducerId());
        ObjectNode brokerConfigs = root.putObject("brokerConfigs");
        new TreeMap<>(state.image().brokerConfigs()).forEach(brokerConfigs::put);
        ArrayNode topics = root.putArray("topics");
        for (TopicImage topic : new TreeMap<>(state.image().topicsByName()).values()) {
            ObjectNode node = topics.addObject();
            node.put("name", topic.name());
            node.put("id", topic.id().toString());
            node.put("partitions", topic.partitionCount());
            node.put("replicationFactor", topic.replicationFactor());
            ObjectNode configs = node.putObject("configs");
            new TreeMap<>(topic.configs()).forEach(configs::put);
        }
        try {
            byte[] body = mapper.writeValueAsBytes(root);
            CRC32C crc = new CRC32C();
            crc.update(body);
            byte[] header = ("{\"format\":" + FORMAT + ",\"length\":" + body.length + ",\"crc32c\":" + crc.getValue()
                    + "}\n").getBytes(StandardCharsets.UTF_8);
            byte[] all = Arrays.copyOf(header, header.length + body.length);
            System.arraycopy(body, 0, all, header.length, body.length);
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    State decode(byte[] bytes) {
        int newline = indexOf(bytes, (byte) '\n');
        if (newline < 0) {
            throw new CorruptMetadataException(file + ": no header");
        }
        try {
            JsonNode header = mapper.readTree(Arrays.copyOf(bytes, newline));
            if (header.path("format").asInt() != FORMAT) {
                throw new CorruptMetadataException(file + ": unknown format " + header.path("format"));
            }
            long length = header.path("length").asLong(-1);
            if (length != bytes.length - newline - 1) {
                throw new CorruptMetadataException(file + ": expected " + length + " bytes of state, found "
                        + (bytes.length - newline - 1));
            }
            CRC32C crc = new CRC32C();
            crc.update(bytes, newline + 1, (int) length);
            if (crc.getValue() != header.path("crc32c").asLong()) {
                throw new CorruptMetadataException(file + ": checksum mismatch");
            }
            JsonNode root = mapper.readTree(Arrays.copyOfRange(bytes, newline + 1, bytes.length));
            return new State(imageOf(root), root.path("nextProducerId").asLong());
        } catch (IOException | RuntimeException e) {
            if (e instanceof CorruptMetadataException corrupt) {
                throw corrupt;
            }
            throw new CorruptMetadataException(file + ": cannot parse: " + e.getMessage(), e);
        }
    }

    private static MetadataImage imageOf(JsonNode root) {
        MetadataImageBuilder builder = new MetadataImageBuilder(MetadataImage.EMPTY);
        root.path("brokerConfigs").properties()
                .forEach(e -> builder.brokerConfigs().put(e.getKey(), e.getValue().asText()));
        for (JsonNode node : root.path("topics")) {
            Map<String, String> configs = new TreeMap<>();
            node.path("configs").properties().forEach(e -> configs.put(e.getKey(), e.getValue().asText()));
            builder.putTopic(new TopicImage(node.get("name").asText(), Uuid.fromString(node.get("id").asText()),
                    node.get("partitions").asInt(), (short) node.get("replicationFactor").asInt(),
                    Map.copyOf(configs)));
        }
        return builder.build();
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
