package io.brook.broker.group;

import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.Uuid;

/**
 * The topics a coordinator sees: name to id and partition count. The shard is told of a new view whenever topics are
 * created, deleted or grow partitions, and groups subscribed to a changed topic rebalance. Immutable.
 */
public record TopicsView(Map<String, Topic> byName) {

    public static final TopicsView EMPTY = new TopicsView(Map.of());

    /** One topic. */
    public record Topic(String name, Uuid id, int partitions) {
    }

    public Optional<Topic> topic(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Optional<Topic> topic(Uuid id) {
        return byName.values().stream().filter(t -> t.id().equals(id)).findFirst();
    }
}
