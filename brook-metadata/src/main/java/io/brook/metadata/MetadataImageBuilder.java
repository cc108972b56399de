package io.brook.metadata;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.Uuid;

/** Builds the next immutable {@link MetadataImage} from the current one. Not thread-safe; short-lived. */
final class MetadataImageBuilder {

    private final Map<String, TopicImage> topicsByName;
    private final Map<Uuid, TopicImage> topicsById;
    private final Map<String, String> brokerConfigs;

    MetadataImageBuilder(MetadataImage base) {
        this.topicsByName = new HashMap<>(base.topicsByName());
        this.topicsById = new HashMap<>(base.topicsById());
        this.brokerConfigs = new HashMap<>(base.brokerConfigs());
    }

    MetadataImageBuilder putTopic(TopicImage topic) {
        TopicImage previous = topicsByName.put(topic.name(), topic);
        if (previous != null) {
            topicsById.remove(previous.id());
        }
        topicsById.put(topic.id(), topic);
        return this;
    }

    MetadataImageBuilder removeTopic(TopicImage topic) {
        topicsByName.remove(topic.name());
        topicsById.remove(topic.id());
        return this;
    }

    Map<String, String> brokerConfigs() {
        return brokerConfigs;
    }

    MetadataImage build() {
        return new MetadataImage(Map.copyOf(topicsByName), Map.copyOf(topicsById), Map.copyOf(brokerConfigs));
    }
}
