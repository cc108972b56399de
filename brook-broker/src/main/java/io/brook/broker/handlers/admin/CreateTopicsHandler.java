package io.brook.broker.handlers.admin;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableReplicaAssignment;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicConfig;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicConfigs;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.CreateTopicsResponse;

import io.brook.broker.BrokerContext;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.metadata.MetadataStore;
import io.brook.metadata.TopicImage;
import io.brook.metadata.cluster.QuorumMetadataStore;

/**
 * CreateTopics: -1 partitions or replication factor take the broker defaults; a manual assignment may name only this
 * node. From v5 a created (or validated) topic's result carries its partitions, replication factor and every config
 * with its source, from v7 its id. Runs on the admin thread.
 */
final class CreateTopicsHandler implements ApiHandler<CreateTopicsRequest> {

    /** How many partitions a creation may have for CreateTopics to wait for this node's own new logs. */
    static final int SMALL_CREATION_PARTITIONS = 100;
    /** How long CreateTopics waits at most, after the commit, for this node's own new logs of a small creation. */
    static final Duration LOCAL_LOGS_GRACE = Duration.ofSeconds(1);

    private final BrokerContext context;
    private final AdminExecutor executor;
    private final ConfigDescriber describer;

    CreateTopicsHandler(BrokerContext context, AdminExecutor executor, ConfigDescriber describer) {
        this.context = context;
        this.executor = executor;
        this.describer = describer;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_TOPICS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext requestContext, CreateTopicsRequest request) {
        return executor.submit(() -> new CreateTopicsResponse(createAll(request)));
    }

    private CreateTopicsResponseData createAll(CreateTopicsRequest request) {
        CreateTopicsResponseData response = new CreateTopicsResponseData();
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new HashSet<>();
        for (CreatableTopic topic : request.data().topics()) {
            if (!seen.add(topic.name())) {
                duplicates.add(topic.name());
            }
        }
        boolean tooLarge = MetadataBatchLimit.exceeded(recordsToWrite(request));
        for (CreatableTopic topic : request.data().topics()) {
            if (response.topics().find(topic.name()) != null) {
                continue;
            }
            CreatableTopicResult result;
            if (tooLarge) {
                result = failed(topic.name(), MetadataBatchLimit.TOO_LARGE);
            } else if (duplicates.contains(topic.name())) {
                result = failed(topic.name(), new ApiError(Errors.INVALID_REQUEST,
                        "Create topics request contains multiple entries for the topic " + topic.name()));
            } else {
                result = create(topic, request.data().validateOnly());
            }
            response.topics().add(result);
        }
        if (!request.data().validateOnly() && !tooLarge) {
            awaitLocalLogsOfSmallCreation(response);
        }
        return response;
    }

    /**
     * Kafka's controller answers CreateTopics at commit, and so does a large creation here. A small one (at most
     * {@link #SMALL_CREATION_PARTITIONS} partitions created) first gives this node up to {@link #LOCAL_LOGS_GRACE} to
     * create its own logs of it, so the topic is ready here when the answer comes and a client that writes at once
     * through this node (a single node above all) needs no retry; thousands of partitions are not held up by them.
     */
    private void awaitLocalLogsOfSmallCreation(CreateTopicsResponseData response) {
        long created = response.topics().stream().filter(t -> t.errorCode() == Errors.NONE.code())
                .mapToLong(t -> Math.max(0, t.numPartitions())).sum();
        if (created > 0 && created <= SMALL_CREATION_PARTITIONS
                && context.metadata() instanceof QuorumMetadataStore quorum) {
            try {
                quorum.awaitListeners(LOCAL_LOGS_GRACE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The metadata records the request would write: per topic its record, its configs and its partitions. */
    private long recordsToWrite(CreateTopicsRequest request) {
        long records = 0;
        for (CreatableTopic topic : request.data().topics()) {
            long partitions = !topic.assignments().isEmpty()
                    ? topic.assignments().size()
                    : topic.numPartitions() == -1
                            ? describer.config().numPartitions()
                            : Math.max(0, topic.numPartitions());
            records += 1 + topic.configs().size() + partitions;
        }
        return records;
    }

    private CreatableTopicResult create(CreatableTopic topic, boolean validateOnly) {
        try {
            int partitions = topic.numPartitions();
            short replicationFactor = topic.replicationFactor();
            if (!topic.assignments().isEmpty()) {
                if (partitions != -1) {
                    throw new InvalidRequestException("A manual partition assignment was specified, but"
                            + " numPartitions was not set to -1.");
                }
                if (replicationFactor != -1) {
                    throw new InvalidRequestException("A manual partition assignment was specified, but replication"
                            + " factor was not set to -1.");
                }
                partitions = topic.assignments().size();
                replicationFactor = checkAssignments(topic);
            } else {
                if (partitions == -1) {
                    partitions = describer.config().numPartitions();
                }
                if (replicationFactor == -1) {
                    replicationFactor = describer.config().defaultReplicationFactor();
                }
            }
            Map<String, String> configs = configsOf(topic);
            MetadataStore metadata = context.metadata();
            Uuid id = Uuid.ZERO_UUID;
            if (!topic.assignments().isEmpty() && metadata instanceof QuorumMetadataStore quorum) {
                // The controller checks the replicas against the registered brokers.
                Map<Integer, List<Integer>> assignments = new HashMap<>();
                topic.assignments().forEach(a -> assignments.put(a.partitionIndex(), a.brokerIds()));
                id = quorum.createTopic(topic.name(), assignments, configs, validateOnly)
                        .map(TopicImage::id).orElse(Uuid.ZERO_UUID);
            } else if (validateOnly) {
                metadata.validateCreateTopic(topic.name(), partitions, replicationFactor, configs);
            } else if (metadata instanceof QuorumMetadataStore quorum) {
                // As Kafka's controller: answered at commit (see awaitLocalLogsOfSmallCreation); nodes create the logs
                // behind (Produce gets NOT_LEADER_OR_FOLLOWER from a leader without its log yet, which clients retry).
                id = quorum.createTopicCommitted(topic.name(), partitions, replicationFactor, configs).id();
            } else {
                TopicImage created = metadata.createTopic(topic.name(), partitions, replicationFactor, configs);
                id = created.id();
            }
            return new CreatableTopicResult()
                    .setName(topic.name())
                    .setTopicId(id)
                    .setErrorCode(Errors.NONE.code())
                    .setNumPartitions(partitions)
                    .setReplicationFactor(replicationFactor)
                    .setTopicConfigErrorCode(Errors.NONE.code())
                    .setConfigs(describedConfigs(configs));
        } catch (RuntimeException e) {
            return failed(topic.name(), ApiError.fromThrowable(e));
        }
    }

    /** Partitions must be 0..n-1, each with the same number of distinct replicas, all on this node. */
    private short checkAssignments(CreatableTopic topic) {
        int expectedPartition = 0;
        int replicas = -1;
        for (CreatableReplicaAssignment assignment : sortedAssignments(topic)) {
            if (assignment.partitionIndex() != expectedPartition++) {
                throw new InvalidReplicaAssignmentException("Partitions should be a consecutive 0-based integer"
                        + " sequence");
            }
            List<Integer> brokerIds = assignment.brokerIds();
            if (brokerIds.isEmpty()) {
                throw new InvalidReplicaAssignmentException("Partition " + assignment.partitionIndex()
                        + " has no replicas.");
            }
            if (new HashSet<>(brokerIds).size() != brokerIds.size()) {
                throw new InvalidReplicaAssignmentException("Duplicate brokers not allowed in replica assignment: "
                        + brokerIds + " for partition id " + assignment.partitionIndex() + ".");
            }
            for (int brokerId : brokerIds) {
                if (!(context.metadata() instanceof QuorumMetadataStore) && brokerId != context.nodeId()) {
                    throw new InvalidReplicaAssignmentException("The manual partition assignment includes broker "
                            + brokerId + ", but no such broker is registered.");
                }
            }
            if (replicas != -1 && replicas != brokerIds.size()) {
                throw new InvalidReplicaAssignmentException("All partitions must have the same number of replicas.");
            }
            replicas = brokerIds.size();
        }
        return (short) replicas;
    }

    private static List<CreatableReplicaAssignment> sortedAssignments(CreatableTopic topic) {
        return topic.assignments().stream()
                .sorted((a, b) -> Integer.compare(a.partitionIndex(), b.partitionIndex()))
                .toList();
    }

    private static Map<String, String> configsOf(CreatableTopic topic) {
        Map<String, String> configs = new HashMap<>();
        for (CreatableTopicConfig config : topic.configs()) {
            if (config.value() == null) {
                throw new InvalidConfigurationException("Null value not supported for topic configs: "
                        + config.name());
            }
            if (configs.put(config.name(), config.value()) != null) {
                throw new InvalidRequestException("Duplicate config " + config.name() + " for topic "
                        + topic.name());
            }
        }
        return configs;
    }

    private List<CreatableTopicConfigs> describedConfigs(Map<String, String> overrides) {
        return describer.topic(overrides, context.metadata().image()).stream()
                .map(config -> new CreatableTopicConfigs()
                        .setName(config.name())
                        .setValue(config.value())
                        .setReadOnly(config.readOnly())
                        .setConfigSource(config.source().id())
                        .setIsSensitive(config.sensitive()))
                .toList();
    }

    private static CreatableTopicResult failed(String name, ApiError error) {
        return new CreatableTopicResult()
                .setName(name)
                .setErrorCode(error.error().code())
                .setErrorMessage(error.messageWithFallback());
    }
}
