package io.brook.broker.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.Topic;

import io.brook.metadata.MetadataImage;
import io.brook.metadata.MetadataStore;
import io.brook.metadata.TopicImage;

/** A test double of the metadata store: topics only, in memory, a single node (replication factor 1). */
public final class InMemoryMetadataStore implements MetadataStore {

    private volatile MetadataImage image = MetadataImage.EMPTY;
    private final List<MetadataListener> listeners = new ArrayList<>();
    private long nextProducerId;
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
        Map<Uuid, TopicImage> byId = new HashMap<>(image.topicsById());
        byName.put(name, topic);
        byId.put(topic.id(), topic);
        apply(new MetadataImage(Map.copyOf(byName), Map.copyOf(byId), image.brokerConfigs()));
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
        Map<Uuid, TopicImage> byId = new HashMap<>(image.topicsById());
        byName.remove(topic.name());
        byId.remove(topicId);
        apply(new MetadataImage(Map.copyOf(byName), Map.copyOf(byId), image.brokerConfigs()));
    }

    @Override
    public void createPartitions(String topicName, int totalCount, boolean validateOnly) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void alterTopicConfigs(String topicName, Map<String, Optional<String>> changes, boolean replaceAll,
            boolean validateOnly) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void alterBrokerConfigs(Map<String, Optional<String>> changes, boolean replaceAll, boolean validateOnly) {
        throw new UnsupportedOperationException();
    }

    @Override
    public synchronized long allocateProducerIds(int count) {
        long first = nextProducerId;
        nextProducerId += count;
        return first;
    }

    @Override
    public synchronized void addListener(MetadataListener listener) {
        listeners.add(listener);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    private void apply(MetadataImage next) {
        MetadataImage previous = image;
        image = next;
        for (MetadataListener listener : listeners) {
            listener.onChange(previous, next);
        }
    }
}
