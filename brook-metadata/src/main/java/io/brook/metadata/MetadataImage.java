package io.brook.metadata;

import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.Uuid;

/**
 * Immutable snapshot of cluster metadata.
 *
 * @param topicsByName every live topic by name
 * @param topicsById the same topics by id
 * @param brokerConfigs dynamic broker config overrides (cluster-wide)
 */
public record MetadataImage(Map<String, TopicImage> topicsByName, Map<Uuid, TopicImage> topicsById,
        Map<String, String> brokerConfigs) {

    public static final MetadataImage EMPTY = new MetadataImage(Map.of(), Map.of(), Map.of());

    public Optional<TopicImage> topic(String name) {
        return Optional.ofNullable(topicsByName.get(name));
    }

    public Optional<TopicImage> topic(Uuid id) {
        return Optional.ofNullable(topicsById.get(id));
    }
}
