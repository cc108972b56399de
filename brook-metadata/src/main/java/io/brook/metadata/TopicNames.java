package io.brook.metadata;

import java.util.Collection;

import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;

/** Topic name rules, as a Kafka controller applies them. Stateless. */
public final class TopicNames {

    private TopicNames() {
    }

    /**
     * Checks the name's length and characters, then that it does not collide with an existing topic: '.' and '_'
     * become the same character in metric names, so Kafka refuses a name that differs from another only by them.
     */
    public static void validateNew(String name, Collection<String> existing) {
        if (name == null) {
            throw new InvalidTopicException("Invalid null topic name.");
        }
        Topic.validate(name);
        if (!Topic.hasCollisionChars(name)) {
            return;
        }
        for (String other : existing) {
            if (!other.equals(name) && Topic.hasCollision(name, other)) {
                throw new InvalidTopicException("Topic '" + name + "' collides with existing topic: " + other);
            }
        }
    }
}
