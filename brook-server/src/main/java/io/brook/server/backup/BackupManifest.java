package io.brook.server.backup;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The index of a backup directory, {@code manifest.json}: every topic backed up (also those since deleted on the
 * source), its configs, and per partition the log start offset, the backed-up end offset and the segment files that
 * hold {@code [first segment's base, endOffset)}. Only files the manifest lists belong to the backup; a run that
 * stopped midway may leave others, which the next run overwrites.
 *
 * <pre>
 * DIR/manifest.json                         written last by each run: temp file, fsync, rename, dir fsync
 * DIR/&lt;topic&gt;-&lt;partition&gt;/&lt;base offset %020d&gt;.log   Kafka's segment format, one or more per run
 * </pre>
 *
 * Immutable values; {@link #write} and {@link #read} block on the file system.
 *
 * @param format the manifest format, {@link #FORMAT}
 * @param clusterId the cluster the last run read from
 * @param runs how many runs completed into this directory
 * @param updatedMs when the last run completed (wall clock)
 * @param topics by name
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupManifest(int format, String clusterId, int runs, long updatedMs, List<Topic> topics) {

    public static final int FORMAT = 1;
    public static final String FILE_NAME = "manifest.json";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public BackupManifest {
        topics = List.copyOf(topics);
    }

    /** The manifest of a directory no run has completed into. */
    public static BackupManifest empty() {
        return new BackupManifest(FORMAT, null, 0, 0, List.of());
    }

    public Optional<Topic> topic(String name) {
        return topics.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /**
     * @param name topic name
     * @param topicId the source's topic id (base64) when last seen
     * @param partitionCount number of partitions
     * @param replicationFactor as on the source
     * @param configs the topic-level overrides (configs set on the topic, not defaults)
     * @param deletedOnSource true once a run no longer found the topic on the source; its data stays in the backup
     * @param partitions by partition index
     */
    public record Topic(String name, String topicId, int partitionCount, short replicationFactor,
            Map<String, String> configs, boolean deletedOnSource, List<Partition> partitions) {
        public Topic {
            configs = new TreeMap<>(configs);
            partitions = List.copyOf(partitions);
        }

        public Optional<Partition> partition(int index) {
            return partitions.stream().filter(p -> p.partition() == index).findFirst();
        }
    }

    /**
     * @param partition index
     * @param logStartOffset the source's log start offset at the last run (may lie inside the first batch)
     * @param endOffset the backed-up end: every offset below it that the source held is in the segments
     * @param segments in offset order
     * @param gaps offset ranges lost to the source's retention between two runs
     */
    public record Partition(int partition, long logStartOffset, long endOffset, List<Segment> segments,
            List<Gap> gaps) {
        public Partition {
            segments = List.copyOf(segments);
            gaps = List.copyOf(gaps);
        }

        /** Directory name of a partition, as in a Kafka log dir. */
        public static String dirName(String topic, int partition) {
            return topic + "-" + partition;
        }

        public long records() {
            return segments.stream().mapToLong(Segment::records).sum();
        }

        public long bytes() {
            return segments.stream().mapToLong(Segment::bytes).sum();
        }
    }

    /**
     * @param file the file name inside the partition's directory
     * @param baseOffset the first batch's base offset
     * @param endOffset the last batch's last offset + 1
     * @param bytes file size
     * @param records number of records (control records included)
     */
    public record Segment(String file, long baseOffset, long endOffset, long bytes, long records) {
        /** Kafka's segment file name for a base offset. */
        public static String fileName(long baseOffset) {
            return String.format("%020d.log", baseOffset);
        }
    }

    /** Offsets {@code [from, to)} the source deleted before they were backed up. */
    public record Gap(long from, long to) {
    }

    /** Reads {@code DIR/manifest.json}, or {@link #empty()} when there is none. */
    public static BackupManifest read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return empty();
        }
        BackupManifest manifest = MAPPER.readValue(file.toFile(), BackupManifest.class);
        if (manifest.format() != FORMAT) {
            throw new IOException(file + " has format " + manifest.format() + "; this version reads " + FORMAT);
        }
        return manifest;
    }

    /** Replaces {@code DIR/manifest.json} atomically: a crash leaves either the old or the new manifest. */
    public void write(Path dir) throws IOException {
        Path temp = dir.resolve(FILE_NAME + ".tmp");
        Files.write(temp, MAPPER.writeValueAsBytes(this));
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(temp, dir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        SegmentWriter.fsyncDirectory(dir);
    }

    /** This manifest with {@code topic} replacing the entry of the same name (or added), topics sorted by name. */
    public BackupManifest withTopic(Topic topic) {
        List<Topic> updated = new ArrayList<>(topics.stream().filter(t -> !t.name().equals(topic.name())).toList());
        updated.add(topic);
        updated.sort((a, b) -> a.name().compareTo(b.name()));
        return new BackupManifest(format, clusterId, runs, updatedMs, updated);
    }
}
