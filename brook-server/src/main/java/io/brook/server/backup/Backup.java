package io.brook.server.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.utils.Time;

/**
 * One backup run into a directory: reads the cluster's topics with an {@link Admin} (names, ids, partitions,
 * replication factor, the configs set on each topic), then copies each partition from its leader with
 * {@link PartitionCopier}, {@code __consumer_offsets} first so that every committed offset in the backup is at or
 * below the backed-up end of its partition, and last replaces the manifest. A run that fails midway leaves the
 * previous manifest, and so the previous backup, intact. Blocks the calling thread; not thread-safe.
 */
public final class Backup {

    /** Topics copied before all others (see the class comment). */
    static final String CONSUMER_OFFSETS = "__consumer_offsets";
    /** Segment size when a topic sets none: Kafka's {@code log.segment.bytes} default. */
    static final long DEFAULT_SEGMENT_BYTES = 1024L * 1024 * 1024;
    /** Pause before asking who leads a partition after its leader moved: an election takes about this long. */
    static final long LEADER_RETRY_BACKOFF_MS = 500;

    /** What a run did. */
    public record Summary(Path output, int run, int topics, int partitions, long records, long bytes,
            int newSegmentFiles, List<String> deletedOnSource, long durationMs) {
    }

    private final Admin admin;
    private final Path output;
    private final int timeoutMs;
    private final BackupProgress progress;
    private final Time time;

    Backup(Admin admin, Path output, int timeoutMs, BackupProgress progress, Time time) {
        this.admin = admin;
        this.output = output;
        this.timeoutMs = timeoutMs;
        this.progress = progress;
        this.time = time;
    }

    /**
     * @param only topics to back up, empty for all; {@code __consumer_offsets} is always included
     */
    Summary run(Set<String> only) throws IOException, ExecutionException, TimeoutException, InterruptedException {
        long startMs = time.milliseconds();
        Files.createDirectories(output);
        BackupManifest manifest = BackupManifest.read(output);
        String clusterId = get(admin.describeCluster().clusterId());
        Set<String> names = get(admin.listTopics(new ListTopicsOptions().listInternal(true)).names()).stream()
                .filter(n -> only.isEmpty() || only.contains(n) || n.equals(CONSUMER_OFFSETS))
                .collect(Collectors.toSet());
        Map<String, TopicDescription> descriptions = names.isEmpty()
                ? Map.of()
                : get(admin.describeTopics(names).allTopicNames());
        Map<String, Map<String, String>> configs = topicConfigs(names);
        Map<TopicPartition, Long> logStarts = earliestOffsets(descriptions.values());

        List<TopicDescription> ordered = new ArrayList<>(descriptions.values());
        ordered.sort(Comparator.comparing((TopicDescription t) -> !t.name().equals(CONSUMER_OFFSETS))
                .thenComparing(TopicDescription::name));
        Map<Integer, LeaderConnection> connections = new HashMap<>();
        long records = 0;
        long bytes = 0;
        int partitions = 0;
        int newFiles = 0;
        try {
            for (TopicDescription topic : ordered) {
                Optional<BackupManifest.Topic> previous = manifest.topic(topic.name());
                String topicId = topic.topicId().toString();
                if (previous.isPresent() && !previous.get().topicId().equals(topicId)) {
                    throw new IOException("Topic " + topic.name() + " was deleted and created again on the source"
                            + " since the last backup into " + output + " (id " + previous.get().topicId() + ", now "
                            + topicId + "): back up into a new directory");
                }
                List<BackupManifest.Partition> copied = new ArrayList<>();
                for (TopicPartitionInfo info : topic.partitions()) {
                    TopicPartition tp = new TopicPartition(topic.name(), info.partition());
                    Optional<BackupManifest.Partition> before = previous.flatMap(t -> t.partition(tp.partition()));
                    IncrementalPlan plan = IncrementalPlan.of(before, logStarts.get(tp));
                    plan.gap().ifPresent(gap -> progress.note(tp + ": offsets [" + gap.from() + ", " + gap.to()
                            + ") were deleted on the source before they were backed up"));
                    long segmentBytes = segmentBytes(configs.getOrDefault(topic.name(), Map.of()));
                    PartitionCopier.Result result;
                    SegmentWriter writer = new SegmentWriter(
                            output.resolve(BackupManifest.Partition.dirName(tp.topic(), tp.partition())),
                            segmentBytes);
                    try (writer) {
                        result = copy(connections, topic, tp, info.leader(), plan.startOffset(), writer);
                    }
                    progress.partitionDone(tp, plan.startOffset(), result.endOffset(), result.bytes(),
                            result.records());
                    copied.add(merge(tp.partition(), before, plan, result, writer.segments()));
                    records += result.records();
                    bytes += result.bytes();
                    newFiles += writer.segments().size();
                    partitions++;
                }
                // Partitions a previous run saw and the source no longer has cannot exist (counts only grow).
                manifest = manifest.withTopic(new BackupManifest.Topic(topic.name(), topicId,
                        topic.partitions().size(), (short) topic.partitions().get(0).replicas().size(),
                        configs.getOrDefault(topic.name(), Map.of()), false, copied));
            }
        } finally {
            connections.values().forEach(LeaderConnection::close);
        }
        List<String> deleted = new ArrayList<>();
        for (BackupManifest.Topic topic : manifest.topics()) {
            boolean considered = only.isEmpty() || only.contains(topic.name());
            if (considered && !descriptions.containsKey(topic.name())) {
                deleted.add(topic.name());
                if (!topic.deletedOnSource()) {
                    manifest = manifest.withTopic(new BackupManifest.Topic(topic.name(), topic.topicId(),
                            topic.partitionCount(), topic.replicationFactor(), topic.configs(), true,
                            topic.partitions()));
                }
            }
        }
        long now = time.milliseconds();
        BackupManifest completed = new BackupManifest(BackupManifest.FORMAT, clusterId, manifest.runs() + 1, now,
                manifest.topics());
        completed.write(output);
        return new Summary(output, completed.runs(), ordered.size(), partitions, records, bytes, newFiles, deleted,
                now - startMs);
    }

    /** Copies one partition, following its leadership when it moves (bounded by the timeout). */
    private PartitionCopier.Result copy(Map<Integer, LeaderConnection> connections, TopicDescription topic,
            TopicPartition tp, Node firstLeader, long startOffset, SegmentWriter writer)
            throws IOException, ExecutionException, TimeoutException, InterruptedException {
        PartitionCopier.Position position = new PartitionCopier.Position(startOffset);
        long deadline = time.milliseconds() + timeoutMs;
        Node leader = firstLeader;
        while (true) {
            try {
                PartitionCopier.copy(connection(connections, tp, leader), tp, topic.topicId(), position, writer,
                        (b, r, next, target) -> progress.copying(tp, b, r, next, target));
                return new PartitionCopier.Result(position.logStart,
                        Math.max(position.next, Math.max(position.target, startOffset)), position.bytes,
                        position.records);
            } catch (PartitionCopier.LeaderMovedException e) {
                LeaderConnection failed = leader == null ? null : connections.remove(leader.id());
                if (failed != null) {
                    failed.close();
                }
                if (time.milliseconds() >= deadline) {
                    throw new IOException(e.getMessage() + "; no leader to resume from within " + timeoutMs + " ms",
                            e);
                }
                progress.note(e.getMessage() + "; resuming at offset " + position.next + " from the current leader");
                time.sleep(LEADER_RETRY_BACKOFF_MS);
                leader = currentLeader(tp);
            }
        }
    }

    private Node currentLeader(TopicPartition tp) throws ExecutionException, TimeoutException, InterruptedException {
        TopicDescription description = get(admin.describeTopics(Set.of(tp.topic())).allTopicNames()).get(tp.topic());
        return description.partitions().get(tp.partition()).leader();
    }

    private static BackupManifest.Partition merge(int partition, Optional<BackupManifest.Partition> before,
            IncrementalPlan plan, PartitionCopier.Result result, List<BackupManifest.Segment> written) {
        List<BackupManifest.Segment> segments = new ArrayList<>(
                before.map(BackupManifest.Partition::segments).orElse(List.of()));
        segments.addAll(written);
        List<BackupManifest.Gap> gaps = new ArrayList<>(before.map(BackupManifest.Partition::gaps).orElse(List.of()));
        plan.gap().ifPresent(gaps::add);
        long logStart = before.isEmpty() || plan.gap().isPresent()
                ? result.logStartOffset()
                : before.get().logStartOffset();
        return new BackupManifest.Partition(partition, Math.max(logStart, 0), result.endOffset(), segments, gaps);
    }

    private LeaderConnection connection(Map<Integer, LeaderConnection> connections, TopicPartition partition,
            Node leader) throws IOException {
        if (leader == null || leader.isEmpty()) {
            throw new PartitionCopier.LeaderMovedException(partition + " has no leader");
        }
        LeaderConnection connection = connections.get(leader.id());
        if (connection == null) {
            // A response holds at most one fetch's worth plus one oversized batch (max.message.bytes).
            try {
                connection = new LeaderConnection(leader.host(), leader.port(), timeoutMs, 256 * 1024 * 1024);
            } catch (IOException e) {
                throw new PartitionCopier.LeaderMovedException(partition + ": cannot connect to its leader "
                        + leader.host() + ":" + leader.port() + ": " + e);
            }
            connections.put(leader.id(), connection);
        }
        return connection;
    }

    private Map<String, Map<String, String>> topicConfigs(Collection<String> names)
            throws ExecutionException, TimeoutException, InterruptedException {
        if (names.isEmpty()) {
            return Map.of();
        }
        List<ConfigResource> resources = names.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<ConfigResource, Config> described = get(admin.describeConfigs(resources).all());
        Map<String, Map<String, String>> result = new HashMap<>();
        described.forEach((resource, config) -> result.put(resource.name(), config.entries().stream()
                .filter(e -> e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG && e.value() != null)
                .collect(Collectors.toMap(ConfigEntry::name, ConfigEntry::value))));
        return result;
    }

    private Map<TopicPartition, Long> earliestOffsets(Collection<TopicDescription> topics)
            throws ExecutionException, TimeoutException, InterruptedException {
        Map<TopicPartition, OffsetSpec> wanted = new HashMap<>();
        for (TopicDescription topic : topics) {
            topic.partitions().forEach(p -> wanted.put(new TopicPartition(topic.name(), p.partition()),
                    OffsetSpec.earliest()));
        }
        if (wanted.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, Long> result = new HashMap<>();
        get(admin.listOffsets(wanted).all()).forEach((tp, info) -> result.put(tp, info.offset()));
        return result;
    }

    static long segmentBytes(Map<String, String> topicConfigs) {
        String configured = topicConfigs.get("segment.bytes");
        return configured == null ? DEFAULT_SEGMENT_BYTES : Long.parseLong(configured);
    }

    private <T> T get(KafkaFuture<T> future)
            throws ExecutionException, TimeoutException, InterruptedException {
        return future.get(timeoutMs, TimeUnit.MILLISECONDS);
    }
}
