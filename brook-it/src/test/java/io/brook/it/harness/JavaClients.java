package io.brook.it.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/**
 * Factories for kafka-clients 4.4 admin, producer and consumer pointed at a {@link BrookBroker}, plus small helpers
 * used by many tests. Stateless and thread-safe; the returned clients follow kafka-clients' own threading rules.
 */
public final class JavaClients {

    private JavaClients() {
    }

    /** A topic name no other test (or earlier run against the same external broker) uses. */
    public static String uniqueTopic(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A group id no other test (or earlier run against the same external broker) uses. */
    public static String uniqueGroup(String prefix) {
        return "group-" + uniqueTopic(prefix);
    }

    public static Admin admin(BrookBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    /** Creates the topic and waits until its metadata is visible. */
    public static void createTopic(BrookBroker broker, String topic, int partitions) {
        try (Admin admin = admin(broker)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
            // Kafka publishes a new topic's metadata asynchronously; clients retry until it shows
            Awaitility.await("metadata of new topic " + topic).atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> admin.describeTopics(Set.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                            .get(topic).partitions().size() == partitions);
        } catch (Exception e) {
            throw new AssertionError("could not create topic " + topic, e);
        }
    }

    /** A string producer with kafka-clients' defaults (idempotent, acks=all) overlaid with {@code overrides}. */
    public static KafkaProducer<String, String> producer(BrookBroker broker, Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.putAll(overrides);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    /** A string consumer with no group (group.id unset): positions are set with assign and seek only. */
    public static KafkaConsumer<String, String> consumer(BrookBroker broker, Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.putAll(overrides);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    /**
     * A string consumer in group {@code groupId} (classic protocol, the default), manual commits, reading from the
     * earliest offset when the group has none, overlaid with {@code overrides}.
     */
    public static KafkaConsumer<String, String> groupConsumer(BrookBroker broker, String groupId,
            Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.putAll(overrides);
        return consumer(broker, config);
    }

    /** The group's committed offsets (no metadata), as Admin.listConsumerGroupOffsets reports them. */
    public static Map<TopicPartition, Long> committedOffsets(BrookBroker broker, String groupId) {
        try (Admin admin = admin(broker)) {
            Map<TopicPartition, Long> result = new HashMap<>();
            admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .forEach((tp, offset) -> {
                        if (offset != null) {
                            result.put(tp, offset.offset());
                        }
                    });
            return result;
        } catch (Exception e) {
            throw new AssertionError("could not fetch committed offsets of group " + groupId, e);
        }
    }

    /**
     * Reads every record of the partitions from the beginning up to their end offsets at the time of the call, bounded
     * by {@code timeout}.
     */
    public static List<ConsumerRecord<String, String>> readAll(BrookBroker broker, List<TopicPartition> partitions,
            Duration timeout) {
        try (KafkaConsumer<String, String> consumer = consumer(broker, Map.of())) {
            return readAll(consumer, partitions, timeout);
        }
    }

    /** As {@link #readAll(BrookBroker, List, Duration)} with a given (group-less) consumer. */
    public static List<ConsumerRecord<String, String>> readAll(KafkaConsumer<String, String> consumer,
            List<TopicPartition> partitions, Duration timeout) {
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reachedEnd(consumer, end)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("did not reach end offsets " + end + " within " + timeout + "; read "
                        + records.size() + " records");
            }
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    private static boolean reachedEnd(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    public static List<TopicPartition> partitions(String topic, int count) {
        List<TopicPartition> result = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            result.add(new TopicPartition(topic, i));
        }
        return result;
    }
}
