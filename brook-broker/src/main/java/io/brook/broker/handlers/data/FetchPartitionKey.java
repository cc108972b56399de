package io.brook.broker.handlers.data;

import org.apache.kafka.common.Uuid;

/**
 * Names a partition the way the fetch request did: by topic name (Fetch v4..12, {@code topicId} is ZERO_UUID) or by
 * topic id (v13+, {@code topic} is null). Within one fetch session all keys use the same form.
 *
 * @param topicId the topic id, or {@link Uuid#ZERO_UUID} for a name key
 * @param topic the topic name, or null for an id key
 * @param partition the partition index
 */
public record FetchPartitionKey(Uuid topicId, String topic, int partition) {

    public static FetchPartitionKey byName(String topic, int partition) {
        return new FetchPartitionKey(Uuid.ZERO_UUID, topic, partition);
    }

    public static FetchPartitionKey byId(Uuid topicId, int partition) {
        return new FetchPartitionKey(topicId, null, partition);
    }

    public boolean usesTopicId() {
        // By the way it was made, not by the id's value: a client may send the zero id (an unknown topic).
        return topic == null;
    }
}
