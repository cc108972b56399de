package io.brook.metadata;

import java.io.Closeable;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.Uuid;

import io.brook.metadata.cluster.CommandReply;
import io.brook.metadata.cluster.MetadataCommand;

/**
 * The cluster's metadata, durable: brokers, topics (name, id, partitions and their registrations, configs) and
 * dynamic broker configs. Every node runs {@code io.brook.metadata.cluster.QuorumMetadataStore} (the Ratis-replicated
 * state machine; one voter on a single node); {@link LocalMetadataStore} is the earlier single-node file, still read
 * once to import it.
 *
 * <p>Every mutation is validated first and throws the kafka-clients {@code ApiException} a Kafka controller would
 * answer with (TopicExistsException, InvalidTopicException, InvalidPartitionsException, InvalidConfigurationException,
 * UnknownTopicOrPartitionException, InvalidReplicationFactorException, ...). Once it returns, the change is durable
 * and visible in {@link #image()}, and listeners have been called. Thread-safe.
 */
public interface MetadataStore extends Closeable {

    /** An immutable snapshot of the current metadata. Cheap: safe to call per request. */
    MetadataImage image();

    /**
     * Creates a topic. {@code configs} holds only the topic-level overrides (validated against
     * {@link TopicConfigs}).
     */
    TopicImage createTopic(String name, int partitions, short replicationFactor, Map<String, String> configs);

    /** Validates a topic creation without applying it (CreateTopics with validateOnly). */
    void validateCreateTopic(String name, int partitions, short replicationFactor, Map<String, String> configs);

    void deleteTopic(Uuid topicId);

    /** Raises the partition count to {@code totalCount}. */
    void createPartitions(String topicName, int totalCount, boolean validateOnly);

    /**
     * Applies config changes to a topic: a present value sets, an empty Optional removes the override.
     * {@code replaceAll} drops every override not named in {@code changes} (legacy AlterConfigs).
     */
    void alterTopicConfigs(String topicName, Map<String, Optional<String>> changes, boolean replaceAll,
            boolean validateOnly);

    /** The same for dynamic broker configs (cluster-wide defaults that override server.properties). */
    void alterBrokerConfigs(Map<String, Optional<String>> changes, boolean replaceAll, boolean validateOnly);

    /**
     * Durably reserves {@code count} fresh producer ids and returns the first; ids are never handed out twice, even
     * across restarts (InitProducerId).
     */
    long allocateProducerIds(int count);

    /**
     * Submits a cluster command (an ISR change from a partition leader, a leader election, a reassignment, a broker
     * registration...) and completes with its reply once it is applied and visible in {@link #image()}. Never blocks
     * the caller. A store that cannot run {@code command} completes exceptionally with UnsupportedVersionException.
     */
    CompletableFuture<CommandReply> submit(MetadataCommand command);

    /**
     * Adds a listener, called after changes with the previous and current image: one change at a time, in the order
     * they were applied, on one thread the store chooses (the quorum-backed store's publisher thread). Several changes
     * may arrive as one call, so a listener compares the two images. It must not wait for a synchronous mutation of
     * this store.
     */
    void addListener(MetadataListener listener);

    @Override
    void close();

    interface MetadataListener {
        void onChange(MetadataImage previous, MetadataImage current);
    }
}
