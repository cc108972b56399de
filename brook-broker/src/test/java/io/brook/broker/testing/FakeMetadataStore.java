package io.brook.broker.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import io.brook.metadata.MetadataImage;
import io.brook.metadata.MetadataStore;
import io.brook.metadata.TopicImage;

/** Metadata in memory, with listeners called synchronously as the real store does. */
public final class FakeMetadataStore implements MetadataStore {

    private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();
    private MetadataImage image = MetadataImage.EMPTY;
    private long nextProducerId;
    private int producerIdBlocks;

    @Override
    public synchronized MetadataImage image() {
        return image;
    }

    @Override
    public synchronized TopicImage createTopic(String name, int partitions, short replicationFactor,
            Map<String, String> configs) {
        if (image.topicsByName().containsKey(name)) {
            throw new TopicExistsException(name);
        }
        TopicImage topic = new TopicImage(name, Uuid.randomUuid(), partitions, replicationFactor, Map.copyOf(configs));
        Map<String, TopicImage> byName = new HashMap<>(image.topicsByName());
        byName.put(name, topic);
        apply(byName, image.brokerConfigs());
        return topic;
    }

    @Override
    public void validateCreateTopic(String name, int partitions, short replicationFactor,
            Map<String, String> configs) {
    }

    @Override
    public synchronized void deleteTopic(Uuid topicId) {
        TopicImage topic = image.topic(topicId).orElseThrow(() -> new UnknownTopicOrPartitionException("no topic"));
        Map<String, TopicImage> byName = new HashMap<>(image.topicsByName());
        byName.remove(topic.name());
        apply(byName, image.brokerConfigs());
    }

    @Override
    public synchronized void createPartitions(String topicName, int totalCount, boolean validateOnly) {
        TopicImage topic = image.topic(topicName).orElseThrow();
        Map<String, TopicImage> byName = new HashMap<>(image.topicsByName());
        byName.put(topicName, new TopicImage(topic.name(), topic.id(), totalCount, topic.replicationFactor(),
                topic.configs()));
        apply(byName, image.brokerConfigs());
    }

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
        apply(byName, image.brokerConfigs());
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

    public synchronized int producerIdBlocks() {
        return producerIdBlocks;
    }

    @Override
    public void addListener(MetadataListener listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
    }

    private void apply(Map<String, TopicImage> byName, Map<String, String> brokerConfigs) {
        Map<Uuid, TopicImage> byId = new HashMap<>();
        byName.values().forEach(t -> byId.put(t.id(), t));
        MetadataImage previous = image;
        image = new MetadataImage(Map.copyOf(byName), Map.copyOf(byId), brokerConfigs);
        for (MetadataListener listener : listeners) {
            listener.onChange(previous, image);
        }
    }
}
