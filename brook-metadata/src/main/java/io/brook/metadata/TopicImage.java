package io.brook.metadata;

import java.util.Map;

import org.apache.kafka.common.Uuid;

/**
 * One topic.
 *
 * @param name topic name
 * @param id topic id (a random Uuid assigned at creation, as in Kafka)
 * @param partitionCount number of partitions, numbered 0..n-1
 * @param replicationFactor replicas per partition (1 on a single node)
 * @param configs topic-level config overrides only; defaults come from the broker
 */
public record TopicImage(String name, Uuid id, int partitionCount, short replicationFactor,
        Map<String, String> configs) {
}
