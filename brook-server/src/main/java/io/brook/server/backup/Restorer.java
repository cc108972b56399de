package io.brook.server.backup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.Time;

import io.brook.broker.Broker;
import io.brook.broker.BrokerContext;
import io.brook.broker.cluster.QuorumMetadataOpener;
import io.brook.broker.config.BrokerConfig;
import io.brook.broker.network.ListenerSpec;
import io.brook.broker.partition.LogConfigResolver;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.MetadataStore;
import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.TopicImage;
import io.brook.storage.CleanerConfig;
import io.brook.storage.DefaultLogManager;
import io.brook.storage.LogManager;
import io.brook.storage.PartitionLog;

/**
 * Restores a backup onto an empty broker: starts the broker in this process with its own configuration, except that
 * its Kafka listeners move to an ephemeral loopback port (no client can reach it) and no handler family runs (no
 * group coordinator, replica manager or log cleaner touches the logs meanwhile). Then it creates every topic through
 * the metadata store with its partitions and configs (replication factor capped at the number of brokers), appends
 * the backed-up batches to each partition log with the follower append path (offsets, timestamps, producer ids and
 * compression kept; see {@link RestoredBatches} for leader epochs), moves each log start to the backed-up one,
 * reserves producer ids above every restored one, and stops the broker cleanly (flushed, clean-shutdown marker).
 * Blocks the calling thread; not thread-safe.
 */
public final class Restorer {

    /** Batches handed to one follower append: bounds memory, as a replica fetch does. */
    static final int APPEND_CHUNK_BYTES = 8 * 1024 * 1024;

    /** What a restore did. */
    public record Summary(int topics, int partitions, long records, long bytes) {
    }

    /** Called after each partition. */
    public interface Progress {
        void restored(TopicPartition partition, long logStartOffset, long logEndOffset, long records);
    }

    private final BrokerConfig config;
    private final Path input;
    private final Progress progress;

    public Restorer(BrokerConfig config, Path input, Progress progress) {
        this.config = config;
        this.input = input;
        this.progress = progress;
    }

    public Summary run() throws IOException {
        BackupManifest manifest = BackupManifest.read(input);
        if (manifest.runs() == 0) {
            throw new IOException(input + " holds no backup (no " + BackupManifest.FILE_NAME + ")");
        }
        refuseIfLogDirsHoldData(config.logDirs());
        BrokerConfig isolated = isolated(config);
        Broker broker = Broker.start(isolated, Time.SYSTEM,
                (dirs, logConfig, time) -> DefaultLogManager.open(dirs, logConfig, time, noCleaner()),
                (legacyDir, time) -> QuorumMetadataOpener.open(isolated, legacyDir, time), List.of());
        try {
            return restore(broker.context(), manifest);
        } finally {
            broker.close();
        }
    }

    private Summary restore(BrokerContext context, BackupManifest manifest) throws IOException {
        MetadataStore metadata = context.metadata();
        LogManager logs = context.logManager();
        refuseUnlessEmpty(metadata.image(), logs);
        int brokers = Math.max(1, metadata.image().brokers().size());
        LogConfigResolver resolver = new LogConfigResolver(config);
        long maxProducerId = -1;
        int partitions = 0;
        long records = 0;
        long bytes = 0;
        for (BackupManifest.Topic topic : manifest.topics()) {
            TopicImage created = metadata.image().topic(topic.name()).orElse(null);
            if (created == null) {
                created = metadata.createTopic(topic.name(), topic.partitionCount(),
                        (short) Math.min(topic.replicationFactor(), brokers), topic.configs());
            } else if (created.partitionCount() != topic.partitionCount()) {
                throw new IOException("The broker already has " + topic.name() + " with " + created.partitionCount()
                        + " partitions, the backup " + topic.partitionCount());
            }
            for (BackupManifest.Partition partition : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.name(), partition.partition());
                int leaderEpoch = created.partition(partition.partition()).map(PartitionRegistration::leaderEpoch)
                        .orElse(0);
                PartitionLog log = logs.getOrCreate(tp,
                        resolver.resolve(metadata.image().brokerConfigs(), topic.configs()));
                log.assignTopicId(created.id());
                boolean offsets = topic.name().equals(Backup.CONSUMER_OFFSETS);
                long[] totals = restorePartition(log, topic.name(), partition, leaderEpoch, offsets);
                maxProducerId = Math.max(maxProducerId, totals[2]);
                records += totals[0];
                bytes += totals[1];
                partitions++;
                progress.restored(tp, log.logStartOffset(), log.logEndOffset(), totals[0]);
            }
        }
        reserveProducerIdsAbove(metadata, maxProducerId);
        return new Summary(manifest.topics().size(), partitions, records, bytes);
    }

    /** Returns {records, bytes, highest producer id}. */
    private long[] restorePartition(PartitionLog log, String topic, BackupManifest.Partition partition,
            int leaderEpoch, boolean consumerOffsets) throws IOException {
        List<BackupManifest.Segment> segments = partition.segments();
        log.truncateFullyAndStartAt(segments.isEmpty() ? partition.endOffset() : segments.get(0).baseOffset());
        Path dir = input.resolve(BackupManifest.Partition.dirName(topic, partition.partition()));
        long records = 0;
        long bytes = 0;
        long maxProducerId = -1;
        List<FileChannelRecordBatch> chunk = new ArrayList<>();
        int chunkBytes = 0;
        for (BackupManifest.Segment segment : segments) {
            Path file = dir.resolve(segment.file());
            if (!Files.exists(file)) {
                throw new IOException("The backup lacks " + file + ", which its manifest lists");
            }
            try (FileRecords fileRecords = FileRecords.open(file.toFile(), false)) {
                for (FileChannelRecordBatch batch : fileRecords.batches()) {
                    if (!chunk.isEmpty() && chunkBytes + batch.sizeInBytes() > APPEND_CHUNK_BYTES) {
                        append(log, chunk, chunkBytes, leaderEpoch, consumerOffsets);
                        chunk.clear();
                        chunkBytes = 0;
                    }
                    chunk.add(batch);
                    chunkBytes += batch.sizeInBytes();
                    maxProducerId = Math.max(maxProducerId, batch.producerId());
                    Integer count = batch.countOrNull();
                    records += count != null ? count : batch.lastOffset() - batch.baseOffset() + 1;
                    bytes += batch.sizeInBytes();
                }
                if (!chunk.isEmpty()) {
                    append(log, chunk, chunkBytes, leaderEpoch, consumerOffsets);
                    chunk.clear();
                    chunkBytes = 0;
                }
            }
        }
        if (partition.logStartOffset() > log.logStartOffset()) {
            log.maybeIncrementLogStartOffset(Math.min(partition.logStartOffset(), log.logEndOffset()));
        }
        return new long[]{records, bytes, maxProducerId};
    }

    private static void append(PartitionLog log, List<FileChannelRecordBatch> batches, int size, int leaderEpoch,
            boolean consumerOffsets) {
        ByteBuffer buffer = ByteBuffer.allocate(size);
        for (RecordBatch batch : batches) {
            batch.writeTo(buffer);
        }
        buffer.flip();
        MemoryRecords records = MemoryRecords.readableRecords(buffer);
        log.appendAsFollower(consumerOffsets
                ? RestoredBatches.forConsumerOffsets(records, leaderEpoch)
                : RestoredBatches.withLeaderEpoch(records, leaderEpoch));
    }

    /** Producer ids handed out after the restore must not collide with restored producers' state. */
    private static void reserveProducerIdsAbove(MetadataStore metadata, long maxProducerId) {
        if (maxProducerId < 0) {
            return;
        }
        long next = metadata.allocateProducerIds(1) + 1;
        while (next <= maxProducerId) {
            int count = (int) Math.min(Integer.MAX_VALUE, maxProducerId - next + 1);
            next = metadata.allocateProducerIds(count) + count;
        }
    }

    /**
     * Checked before the broker starts, so that pointing restore at a broker's data (perhaps while it runs) fails
     * at once with this message: a partition directory with a non-empty segment means the broker is not empty.
     */
    static void refuseIfLogDirsHoldData(List<String> logDirs) throws IOException {
        List<String> holding = new ArrayList<>();
        for (String logDir : logDirs) {
            Path dir = Path.of(logDir);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> children = Files.list(dir)) {
                for (Path child : children.filter(Files::isDirectory).sorted().toList()) {
                    if (holdsRecords(child)) {
                        holding.add(child.getFileName().toString());
                    }
                }
            }
        }
        if (!holding.isEmpty()) {
            throw new IOException("Refusing to restore: the log dirs " + logDirs + " already hold partition logs "
                    + holding + "; restore needs an empty broker (empty log.dirs and metadata), stopped");
        }
    }

    private static boolean holdsRecords(Path partitionDir) throws IOException {
        if (partitionDir.getFileName().toString().startsWith("__cluster_metadata")) {
            return false;
        }
        try (Stream<Path> files = Files.list(partitionDir)) {
            return files.anyMatch(f -> {
                try {
                    return f.getFileName().toString().endsWith(".log") && Files.size(f) > 0;
                } catch (IOException e) {
                    return true;
                }
            });
        }
    }

    private static void refuseUnlessEmpty(MetadataImage image, LogManager logs) throws IOException {
        List<String> holding = new ArrayList<>(image.topicsByName().keySet().stream()
                .filter(name -> !name.startsWith("__")).sorted().toList());
        for (PartitionLog log : logs.all()) {
            if (log.logEndOffset() > 0 && !holding.contains(log.topicPartition().topic())) {
                holding.add(log.topicPartition().topic());
            }
        }
        if (!holding.isEmpty()) {
            throw new IOException("Refusing to restore: the broker already holds topics " + holding.stream()
                    .distinct().sorted().collect(Collectors.joining(", "))
                    + "; restore needs an empty broker (empty log.dirs and metadata)");
        }
    }

    /** The configuration with every Kafka listener moved to an ephemeral loopback port; controller ones kept. */
    static BrokerConfig isolated(BrokerConfig config) {
        List<String> controllers = config.controllerListenerNames();
        String listeners = ListenerSpec.parseAll(BrokerConfig.LISTENERS, config.listeners()).stream()
                .map(l -> controllers.contains(l.name())
                        ? l.name() + "://" + (l.host() == null ? "" : hostForUrl(l.host())) + ":" + l.port()
                        : l.name() + "://localhost:0")
                .collect(Collectors.joining(","));
        Map<String, String> props = new HashMap<>();
        config.originalsStrings().forEach(props::put);
        props.put(BrokerConfig.LISTENERS, listeners);
        props.remove(BrokerConfig.ADVERTISED_LISTENERS);
        return BrokerConfig.parse(props);
    }

    private static String hostForUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private static CleanerConfig noCleaner() {
        CleanerConfig defaults = CleanerConfig.defaults();
        return new CleanerConfig(false, defaults.threads(), defaults.dedupeBufferBytes(), defaults.ioBufferBytes(),
                defaults.backoffMs(), defaults.fileDeleteDelayMs());
    }
}
