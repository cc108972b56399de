package io.brook.broker.handlers.core;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.Endpoint;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.MetadataRequestData.MetadataRequestTopic;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.broker.BrokerContext;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.TopicImage;

/**
 * Metadata, every version kafka-clients parses. On a single node this broker leads every partition, so each
 * partition's leader, replicas and ISR are this node; the broker list holds this node with the advertised endpoint of
 * the listener the request arrived on.
 *
 * <p>Unknown topics asked for by name are auto-created when both the request (v4+; older versions always allow) and
 * {@code auto.create.topics.enable} allow it. Internal topics ({@code __consumer_offsets}, ...) are never created
 * here: their coordinators create them with their own settings.
 *
 * <p>Runs on the connection's event loop; the only blocking work is the durable write of an auto-created topic.
 */
public final class MetadataHandler implements ApiHandler<MetadataRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataHandler.class);
    /** Leader epochs are not tracked yet on a single node; 0 is the epoch of a partition's first leader. */
    private static final int LEADER_EPOCH = 0;

    private static final int TOPIC_AUTHORIZED_OPERATIONS = operations(AclOperation.READ, AclOperation.WRITE,
            AclOperation.CREATE, AclOperation.DELETE, AclOperation.ALTER, AclOperation.DESCRIBE,
            AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);
    private static final int CLUSTER_AUTHORIZED_OPERATIONS = operations(AclOperation.CREATE,
            AclOperation.CLUSTER_ACTION, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS,
            AclOperation.IDEMPOTENT_WRITE, AclOperation.ALTER, AclOperation.DESCRIBE);

    private final BrokerContext broker;

    public MetadataHandler(BrokerContext broker) {
        this.broker = broker;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.METADATA;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, MetadataRequest request) {
        short version = request.version();
        validateTopicReferences(request);
        MetadataImage image = broker.metadata().image();
        MetadataResponseData data = new MetadataResponseData().setClusterId(broker.clusterId())
                .setControllerId(broker.nodeId());
        advertisedEndpoint(context.listenerName()).ifPresent(endpoint -> data.brokers()
                .add(new MetadataResponseBroker().setNodeId(broker.nodeId()).setHost(endpoint.host())
                        .setPort(endpoint.port())));
        // Other registered brokers (none on a single node), by their endpoint on this request's listener.
        image.brokers().values().stream()
                .filter(b -> b.id() != broker.nodeId() && !b.fenced())
                .forEach(b -> b.endpoints().stream().filter(e -> e.listener().equals(context.listenerName()))
                        .findFirst().ifPresent(e -> data.brokers().add(new MetadataResponseBroker()
                                .setNodeId(b.id()).setHost(e.host()).setPort(e.port()).setRack(b.rack()))));
        boolean authorizedOps = request.data().includeTopicAuthorizedOperations();

        if (request.isAllTopics()) {
            image.topicsByName().values().forEach(topic -> data.topics().add(describe(topic, authorizedOps)));
        } else if (usesTopicIds(request)) {
            for (Uuid id : new LinkedHashSet<>(request.topicIds())) {
                Optional<TopicImage> topic = image.topic(id);
                data.topics().add(topic.map(t -> describe(t, authorizedOps))
                        .orElseGet(() -> error(Errors.UNKNOWN_TOPIC_ID, null).setTopicId(id)));
            }
        } else {
            boolean mayCreate = (version < 4 || request.allowAutoTopicCreation())
                    && broker.config().autoCreateTopicsEnable();
            for (String name : new LinkedHashSet<>(request.topics())) {
                Optional<TopicImage> topic = image.topic(name);
                data.topics().add(topic.map(t -> describe(t, authorizedOps))
                        .orElseGet(() -> unknownTopic(name, mayCreate, authorizedOps)));
            }
        }
        if (version >= 8 && version <= 10 && request.data().includeClusterAuthorizedOperations()) {
            data.setClusterAuthorizedOperations(CLUSTER_AUTHORIZED_OPERATIONS);
        }
        return CompletableFuture.completedFuture(new MetadataResponse(data, version));
    }

    /** As Kafka: names are mandatory before v12, and ids may only be used from v12. */
    private static void validateTopicReferences(MetadataRequest request) {
        if (request.isAllTopics() || request.version() >= 12) {
            return;
        }
        for (MetadataRequestTopic topic : request.data().topics()) {
            if (topic.name() == null) {
                throw new InvalidRequestException("Topic name can not be null for version " + request.version());
            }
            if (!Uuid.ZERO_UUID.equals(topic.topicId())) {
                throw new InvalidRequestException("Topic IDs are not supported for version " + request.version());
            }
        }
    }

    private static boolean usesTopicIds(MetadataRequest request) {
        return request.topicIds().stream().anyMatch(id -> !Uuid.ZERO_UUID.equals(id));
    }

    private Optional<Endpoint> advertisedEndpoint(String listenerName) {
        List<Endpoint> endpoints = broker.advertisedListeners();
        return endpoints.stream().filter(e -> listenerName.equals(e.listener())).findFirst()
                .or(() -> endpoints.stream().findFirst());
    }

    private MetadataResponseTopic unknownTopic(String name, boolean mayCreate, boolean authorizedOps) {
        if (!mayCreate || Topic.isInternal(name)) {
            return error(Errors.UNKNOWN_TOPIC_OR_PARTITION, name);
        }
        if (!Topic.isValid(name)) {
            return error(Errors.INVALID_TOPIC_EXCEPTION, name);
        }
        try {
            TopicImage created = broker.metadata().createTopic(name, broker.config().numPartitions(),
                    broker.config().defaultReplicationFactor(), Map.of());
            LOG.info("Auto-created topic {} with {} partition(s)", name, created.partitionCount());
            return describe(created, authorizedOps);
        } catch (TopicExistsException e) {
            // Created meanwhile by another connection: answer with what is there now.
            return broker.metadata().image().topic(name).map(t -> describe(t, authorizedOps))
                    .orElseGet(() -> error(Errors.LEADER_NOT_AVAILABLE, name));
        } catch (ApiException e) {
            LOG.info("Auto-creation of topic {} failed: {}", name, e.getMessage());
            return error(Errors.forException(e), name);
        }
    }

    private MetadataResponseTopic describe(TopicImage topic, boolean authorizedOps) {
        List<Integer> self = List.of(broker.nodeId());
        List<MetadataResponsePartition> partitions = new ArrayList<>(topic.partitionCount());
        for (int p = 0; p < topic.partitionCount(); p++) {
            Optional<PartitionRegistration> registration = topic.partition(p);
            if (registration.isPresent()) {
                // A replicated partition: leader, epoch, replicas and ISR as the controller registered them.
                PartitionRegistration r = registration.get();
                partitions.add(new MetadataResponsePartition().setPartitionIndex(p).setLeaderId(r.leader())
                        .setLeaderEpoch(r.leaderEpoch()).setReplicaNodes(r.replicas()).setIsrNodes(r.isr())
                        .setOfflineReplicas(List.of()));
                continue;
            }
            partitions.add(new MetadataResponsePartition().setPartitionIndex(p).setLeaderId(broker.nodeId())
                    .setLeaderEpoch(LEADER_EPOCH).setReplicaNodes(self).setIsrNodes(self)
                    .setOfflineReplicas(List.of()));
        }
        MetadataResponseTopic response = new MetadataResponseTopic().setName(topic.name()).setTopicId(topic.id())
                .setIsInternal(Topic.isInternal(topic.name())).setPartitions(partitions);
        if (authorizedOps) {
            response.setTopicAuthorizedOperations(TOPIC_AUTHORIZED_OPERATIONS);
        }
        return response;
    }

    private static MetadataResponseTopic error(Errors error, String name) {
        return new MetadataResponseTopic().setErrorCode(error.code()).setName(name).setTopicId(Uuid.ZERO_UUID)
                .setIsInternal(false).setPartitions(List.of());
    }

    /** Without an authorizer Kafka grants every operation the resource type supports. */
    private static int operations(AclOperation... operations) {
        Set<Byte> codes = new LinkedHashSet<>();
        for (AclOperation operation : operations) {
            codes.add(operation.code());
        }
        return Utils.to32BitField(codes);
    }
}
