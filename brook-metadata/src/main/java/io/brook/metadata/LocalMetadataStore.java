package io.brook.metadata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-node {@link MetadataStore}: the whole state in one small file under {@code dir}, rewritten atomically on
 * every change (see {@link MetadataFile}).
 *
 * <p>Thread-safety: mutations are serialised by one lock and each is durable before the new image is published;
 * {@link #image()} is a volatile read. Listeners run on the mutating thread while the lock is held, so they see
 * changes in order and must not call back into a mutating method.
 */
public final class LocalMetadataStore implements MetadataStore {

    private static final Logger LOG = LoggerFactory.getLogger(LocalMetadataStore.class);

    /** Brokers that can hold a replica: this node alone. */
    private static final int REGISTERED_BROKERS = 1;

    private final MetadataFile file;
    private final Time time;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();
    private volatile MetadataImage image;
    private long nextProducerId;
    private boolean closed;

    private LocalMetadataStore(MetadataFile file, MetadataFile.State state, Time time) {
        this.file = file;
        this.time = time;
        this.image = state.image();
        this.nextProducerId = state.nextProducerId();
    }

    /**
     * Opens (creating {@code dir} if needed) and loads the last durable state.
     *
     * @throws CorruptMetadataException when the metadata file fails its checksum
     */
    public static LocalMetadataStore open(Path dir, Time time) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create metadata directory " + dir, e);
        }
        MetadataFile file = new MetadataFile(dir);
        MetadataFile.State state = file.load().orElse(new MetadataFile.State(MetadataImage.EMPTY, 0));
        LOG.info("Loaded metadata from {}: {} topic(s), {} dynamic broker config(s), next producer id {}", dir,
                state.image().topicsByName().size(), state.image().brokerConfigs().size(), state.nextProducerId());
        return new LocalMetadataStore(file, state, time);
    }

    /** What a data directory's metadata file holds. */
    public record StoredState(MetadataImage image, long nextProducerId) {
    }

    /**
     * Reads the last durable state of {@code dir} without opening a store, e.g. to import it into a cluster; empty
     * when the directory has no metadata file.
     *
     * @throws CorruptMetadataException when the metadata file fails its checksum
     */
    public static Optional<StoredState> read(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        return new MetadataFile(dir).load().map(state -> new StoredState(state.image(), state.nextProducerId()));
    }

    @Override
    public MetadataImage image() {
        return image;
    }

    @Override
    public TopicImage createTopic(String name, int partitions, short replicationFactor, Map<String, String> configs) {
        lock.lock();
        try {
            validateCreate(name, partitions, replicationFactor, configs);
            TopicImage topic = new TopicImage(name, newTopicId(), partitions, replicationFactor, Map.copyOf(configs));
            apply(new MetadataImageBuilder(image).putTopic(topic).build(), nextProducerId);
            LOG.info("Created topic {} with id {}, {} partition(s), configs {}", name, topic.id(), partitions,
                    configs);
            return topic;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void validateCreateTopic(String name, int partitions, short replicationFactor,
            Map<String, String> configs) {
        lock.lock();
        try {
            validateCreate(name, partitions, replicationFactor, configs);
        } finally {
            lock.unlock();
        }
    }

    private void validateCreate(String name, int partitions, short replicationFactor, Map<String, String> configs) {
        ensureOpen();
        TopicNames.validateNew(name, image.topicsByName().keySet());
        if (image.topicsByName().containsKey(name)) {
            throw new TopicExistsException("Topic '" + name + "' already exists.");
        }
        if (partitions < 1) {
            throw new InvalidPartitionsException("Number of partitions must be at least 1, but was " + partitions
                    + ".");
        }
        if (replicationFactor < 1) {
            throw new InvalidReplicationFactorException("Replication factor must be at least 1 (or -1 for the"
                    + " broker default), but was " + replicationFactor + ".");
        }
        if (replicationFactor > REGISTERED_BROKERS) {
            throw new InvalidReplicationFactorException("Cannot place " + replicationFactor + " replicas of each"
                    + " partition: only " + REGISTERED_BROKERS + " broker(s) are registered, and each replica needs"
                    + " its own broker.");
        }
        TopicConfigs.validate(configs);
    }

    @Override
    public void deleteTopic(Uuid topicId) {
        lock.lock();
        try {
            ensureOpen();
            TopicImage topic = image.topic(topicId)
                    .orElseThrow(() -> new UnknownTopicIdException("Topic id " + topicId + " does not exist."));
            apply(new MetadataImageBuilder(image).removeTopic(topic).build(), nextProducerId);
            LOG.info("Deleted topic {} with id {}", topic.name(), topicId);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void createPartitions(String topicName, int totalCount, boolean validateOnly) {
        lock.lock();
        try {
            TopicImage topic = existingTopic(topicName);
            if (totalCount == topic.partitionCount()) {
                throw new InvalidPartitionsException("Topic already has " + totalCount + " partition(s).");
            }
            if (totalCount < topic.partitionCount()) {
                throw new InvalidPartitionsException("The topic " + topicName + " currently has "
                        + topic.partitionCount() + " partition(s); " + totalCount + " would not be an increase.");
            }
            if (validateOnly) {
                return;
            }
            TopicImage grown = new TopicImage(topic.name(), topic.id(), totalCount, topic.replicationFactor(),
                    topic.configs());
            apply(new MetadataImageBuilder(image).putTopic(grown).build(), nextProducerId);
            LOG.info("Increased the partitions of topic {} from {} to {}", topicName, topic.partitionCount(),
                    totalCount);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void alterTopicConfigs(String topicName, Map<String, Optional<String>> changes, boolean replaceAll,
            boolean validateOnly) {
        lock.lock();
        try {
            TopicImage topic = existingTopic(topicName);
            Map<String, String> configs = merge(topic.configs(), changes, replaceAll);
            TopicConfigs.validate(configs);
            if (validateOnly || configs.equals(topic.configs())) {
                return;
            }
            TopicImage altered = new TopicImage(topic.name(), topic.id(), topic.partitionCount(),
                    topic.replicationFactor(), Map.copyOf(configs));
            apply(new MetadataImageBuilder(image).putTopic(altered).build(), nextProducerId);
            LOG.info("Altered the configs of topic {}: {}", topicName, configs);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void alterBrokerConfigs(Map<String, Optional<String>> changes, boolean replaceAll, boolean validateOnly) {
        lock.lock();
        try {
            ensureOpen();
            Map<String, String> configs = merge(image.brokerConfigs(), changes, replaceAll);
            DynamicBrokerConfigs.validate(configs);
            if (validateOnly || configs.equals(image.brokerConfigs())) {
                return;
            }
            MetadataImageBuilder builder = new MetadataImageBuilder(image);
            builder.brokerConfigs().clear();
            builder.brokerConfigs().putAll(configs);
            apply(builder.build(), nextProducerId);
            LOG.info("Altered the dynamic broker configs: {}", configs);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long allocateProducerIds(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive, was " + count);
        }
        lock.lock();
        try {
            ensureOpen();
            long first = nextProducerId;
            if (first > Long.MAX_VALUE - count) {
                throw new IllegalStateException("Producer ids exhausted");
            }
            apply(image, first + count);
            return first;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void addListener(MetadataListener listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    private static Map<String, String> merge(Map<String, String> current, Map<String, Optional<String>> changes,
            boolean replaceAll) {
        Map<String, String> merged = replaceAll ? new HashMap<>() : new HashMap<>(current);
        changes.forEach((name, value) -> {
            if (value.isPresent()) {
                merged.put(name, value.get());
            } else {
                merged.remove(name);
            }
        });
        return merged;
    }

    private TopicImage existingTopic(String topicName) {
        ensureOpen();
        return image.topic(topicName).orElseThrow(
                () -> new UnknownTopicOrPartitionException("The topic '" + topicName + "' does not exist."));
    }

    /** Makes the new state durable, publishes it, then tells the listeners. Caller holds the lock. */
    private void apply(MetadataImage next, long nextProducerId) {
        long start = time.milliseconds();
        file.write(new MetadataFile.State(next, nextProducerId));
        MetadataImage previous = image;
        image = next;
        this.nextProducerId = nextProducerId;
        LOG.debug("Metadata written in {} ms", time.milliseconds() - start);
        if (previous == next) {
            return;
        }
        for (MetadataListener listener : listeners) {
            try {
                listener.onChange(previous, next);
            } catch (RuntimeException e) {
                // The change is already durable; one failing listener must not hide it from the others.
                LOG.error("Metadata listener {} failed", listener, e);
            }
        }
    }

    /** A fresh random id, never the reserved zero/sentinel ids nor one in use. */
    private Uuid newTopicId() {
        Uuid id;
        do {
            id = Uuid.randomUuid();
        } while (id.equals(Uuid.ZERO_UUID) || id.equals(Uuid.METADATA_TOPIC_ID) || image.topicsById().containsKey(id));
        return id;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("Metadata store is closed");
        }
    }

    /** Single-node stores run no cluster commands. */
    @Override
    public CompletableFuture<io.brook.metadata.cluster.CommandReply> submit(
            io.brook.metadata.cluster.MetadataCommand command) {
        return CompletableFuture.failedFuture(new org.apache.kafka.common.errors.UnsupportedVersionException(
                command.getClass().getSimpleName() + " needs the cluster metadata quorum"));
    }
}
