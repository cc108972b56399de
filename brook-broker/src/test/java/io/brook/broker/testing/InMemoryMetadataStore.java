package io.brook.broker.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.Topic;

import io.brook.metadata.MetadataImage;
import io.brook.metadata.MetadataStore;
import io.brook.metadata.TopicImage;

/**
 * A test double of the metadata store: topics and their configs in memory, on a single node (replication factor 1).
 * Topic names and replication factors are validated as the real store does; partition counts and config values are
 * not. Listeners are called synchronously on the mutating thread, as the real store does. Dynamic broker configs are
 * not supported. Counts producer id blocks and remembers whether it was closed, for tests to check.
 *
 * <p>Thread-safe: mutations are synchronized, {@link #image()} reads a volatile snapshot.
 */
public final class InMemoryMetadataStore implements MetadataStore {

    private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();
    private volatile MetadataImage image = MetadataImage.EMPTY;
    private long nextProducerId;
    private int producerIdBlocks;
    private boolean closed;

    @Override
    public MetadataImage image() {
        return image;
    }

    @Override
    public synchronized TopicImage createTopic(String name, int partitions, short replicationFactor,
            Map<String, String> configs) {
        validateCreateTopic(name, partitions, replicationFactor, configs);
        TopicImage topic = new TopicImage(name, Uuid.randomUuid(), partitions, replicationFactor, Map.copyOf(configs));
        Map<String, TopicImage> byName = new HashMap<>(image.topicsByName());
        byName.put(name, topic);
        apply(byName);
        return topic;
    }

    @Override
    public synchronized void validateCreateTopic(String name, int partitions, short replicationFactor,
            Map<String, String> configs) {
        Topic.validate(name);
        if (image.topicsByName().containsKey(name)) {
            throw new TopicExistsException("Topic '" + name + "' already exists.");
        }
        if (replicationFactor != 1) {
            throw new InvalidReplicationFactorException("Replication factor: " + replicationFactor
                    + " larger than available brokers: 1.");
        }
    }

    @Override
    public synchronized void deleteTopic(Uuid topicId) {
        TopicImage topic = image.topic(topicId).orElseThrow(() -> new UnknownTopicOrPartitionException("unknown"));
        Map<String, TopicImage> byName = new HashMap<>(image.topicsByName());
        byName.remove(topic.name());
        apply(byName);
    }

    /** Raises the partition count without validation; {@code validateOnly} is ignored. */
    @Override
    public synchronized void createPartitions(String topicName, int totalCount, boolean validateOnly) {
        TopicImage topic = image.topic(topicName).orElseThrow();
        Map<String, TopicImage> byName = new HashMap<>(image.topicsByName());
        byName.put(topicName, new TopicImage(topic.name(), topic.id(), totalCount, topic.replicationFactor(),
                topic.configs()));
        apply(byName);
    }

    /** Applies the changes without validating them; {@code validateOnly} is ignored. */
    @Override
    public synchronized void alterTopicConfigs(String topicName, Map<String, Optional<String>> changes,
            boolean replaceAll, boolean validateOnly) {
        TopicImage topic = image.topic(topicName).orElseThrow();
        Map<String, String> configs = replaceAll ? new HashMap<>() : new HashMap<>(topic.configs());
        changes.forEach((k, v) -> {
            if (v.isPresent()) {
                configs.put(k, v.get());
            } else {
                configs.remove(k);
            }
        });
        Map<String, TopicImage> byName = new HashMap<>(image.topicsByName());
        byName.put(topicName, new TopicImage(topic.name(), topic.id(), topic.partitionCount(),
                topic.replicationFactor(), Map.copyOf(configs)));
        apply(byName);
    }

    @Override
    public void alterBrokerConfigs(Map<String, Optional<String>> changes, boolean replaceAll, boolean validateOnly) {
        throw new UnsupportedOperationException();
    }

    @Override
    public synchronized long allocateProducerIds(int count) {
        long first = nextProducerId;
        nextProducerId += count;
        producerIdBlocks++;
        return first;
    }

    /** How many times {@link #allocateProducerIds} was called. */
    public synchronized int producerIdBlocks() {
        return producerIdBlocks;
    }

    @Override
    public void addListener(MetadataListener listener) {
        listeners.add(listener);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    private void apply(Map<String, TopicImage> byName) {
        Map<Uuid, TopicImage> byId = new HashMap<>();
        byName.values().forEach(t -> byId.put(t.id(), t));
        MetadataImage previous = image;
        image = new MetadataImage(Map.copyOf(byName), Map.copyOf(byId), previous.brokerConfigs());
        for (MetadataListener listener : listeners) {
            listener.onChange(previous, image);
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
