package io.brook.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Uuid;

/**
 * A log directory's {@code meta.properties}, in Kafka's format ({@code version=1}, {@code cluster.id},
 * {@code node.id}), so a directory is tied to one cluster and node. Created on first start; on later starts the
 * stored ids must agree with the configuration.
 *
 * @param clusterId the cluster id (22-character base64 Uuid)
 * @param nodeId the node id
 */
public record MetaProperties(String clusterId, int nodeId) {

    public static final String FILE_NAME = "meta.properties";
    private static final String VERSION = "version";
    private static final String CLUSTER_ID = "cluster.id";
    private static final String NODE_ID = "node.id";

    /**
     * Loads {@code dir/meta.properties}, or writes a new one (with {@code configuredClusterId}, or a fresh random id
     * when null). Throws when the stored ids contradict the configured ones.
     */
    public static MetaProperties loadOrCreate(Path dir, int nodeId, String configuredClusterId) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            MetaProperties stored = read(file);
            if (stored.nodeId() != nodeId) {
                throw new KafkaException("Stored node id " + stored.nodeId() + " in " + file
                        + " does not match node.id " + nodeId);
            }
            if (configuredClusterId != null && !configuredClusterId.equals(stored.clusterId())) {
                throw new KafkaException("Stored cluster id " + stored.clusterId() + " in " + file
                        + " does not match cluster.id " + configuredClusterId);
            }
            return stored;
        }
        String clusterId = configuredClusterId != null ? configuredClusterId : Uuid.randomUuid().toString();
        MetaProperties created = new MetaProperties(clusterId, nodeId);
        created.write(file);
        return created;
    }

    static MetaProperties read(Path file) throws IOException {
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            props.load(in);
        }
        String version = props.getProperty(VERSION);
        String clusterId = props.getProperty(CLUSTER_ID);
        String nodeId = props.getProperty(NODE_ID);
        if (!"1".equals(version) || clusterId == null || nodeId == null) {
            throw new KafkaException(file + " is not a version 1 meta.properties with cluster.id and node.id");
        }
        try {
            return new MetaProperties(clusterId, Integer.parseInt(nodeId.trim()));
        } catch (NumberFormatException e) {
            throw new KafkaException(file + " has an invalid node.id '" + nodeId + "'", e);
        }
    }

    /** Writes atomically (temporary file, fsync, rename) so a crash never leaves a half-written file. */
    void write(Path file) throws IOException {
        Properties props = new Properties();
        props.setProperty(VERSION, "1");
        props.setProperty(CLUSTER_ID, clusterId);
        props.setProperty(NODE_ID, Integer.toString(nodeId));
        Path temp = file.resolveSibling(FILE_NAME + ".tmp");
        try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.ISO_8859_1)) {
            props.store(out, null);
        }
        try (var channel = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
