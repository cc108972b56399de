package io.brook.broker.handlers.core;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

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
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.broker.BrokerContext;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.broker.authz.Authorization;
import io.brook.broker.cluster.ClusterView;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.TopicImage;

/**
 * Metadata, every version kafka-clients parses, from the cluster image: the registered unfenced brokers with their
 * endpoint on the listener the request arrived on, and each partition's leader, leader epoch, replicas, ISR and
 * offline replicas (LEADER_NOT_AVAILABLE for a partition without a leader).
 *
 * <p>Unknown topics asked for by name are auto-created when both the request (v4+; older versions always allow) and
 * {@code auto.create.topics.enable} allow it. Internal topics ({@code __consumer_offsets}, ...) are never created
 * here: their coordinators create them with their own settings.
 *
 * <p>Runs on the connection's event loop, except a request that auto-creates a topic: creating one waits for the
 * metadata write (in a cluster, for the quorum, up to its command timeout when it has no majority), so such a request
 * is answered from {@code autoCreation}'s thread instead and the event loop keeps serving its other connections.
 */
public final class MetadataHandler implements ApiHandler<MetadataRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataHandler.class);
    private static final int TOPIC_AUTHORIZED_OPERATIONS = operations(AclOperation.READ, AclOperation.WRITE,
            AclOperation.CREATE, AclOperation.DELETE, AclOperation.ALTER, AclOperation.DESCRIBE,
            AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);
    private static final int CLUSTER_AUTHORIZED_OPERATIONS = operations(AclOperation.CREATE,
            AclOperation.CLUSTER_ACTION, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS,
            AclOperation.IDEMPOTENT_WRITE, AclOperation.ALTER, AclOperation.DESCRIBE);

    private final BrokerContext broker;
    private final Executor autoCreation;
    private final Authorization authorization;

    /** {@code autoCreation} runs the requests that create topics; it may block there. */
    public MetadataHandler(BrokerContext broker, Executor autoCreation) {
        this.broker = broker;
        this.autoCreation = autoCreation;
        this.authorization = Authorization.of(broker);
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.METADATA;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, MetadataRequest request) {
        validateTopicReferences(request);
        if (createsTopics(request, broker.metadata().image())) {
            return CompletableFuture.supplyAsync(() -> respond(context, request), autoCreation);
        }
        return CompletableFuture.completedFuture(respond(context, request));
    }

    private boolean createsTopics(MetadataRequest request, MetadataImage image) {
        return !request.isAllTopics() && !usesTopicIds(request) && mayAutoCreate(request)
                && request.topics().stream().anyMatch(name -> image.topic(name).isEmpty()
                        && !Topic.isInternal(name) && Topic.isValid(name));
    }

    private boolean mayAutoCreate(MetadataRequest request) {
        return (request.version() < 4 || request.allowAutoTopicCreation())
                && broker.config().autoCreateTopicsEnable();
    }

    private AbstractResponse respond(RequestContext context, MetadataRequest request) {
        short version = request.version();
        MetadataImage image = broker.metadata().image();
        MetadataResponseData data = new MetadataResponseData().setClusterId(broker.clusterId())
                .setControllerId(ClusterView.controllerId(broker, image));
        for (ClusterView.BrokerNode node : ClusterView.brokers(broker, image, context.listenerName(), false)) {
            data.brokers().add(new MetadataResponseBroker().setNodeId(node.id()).setHost(node.host())
                    .setPort(node.port()).setRack(node.rack()));
        }
        boolean authorizedOps = request.data().includeTopicAuthorizedOperations();

        if (request.isAllTopics()) {
            // Topics the principal may not DESCRIBE are left out, as if they did not exist.
            image.topicsByName().values().stream()
                    .filter(topic -> authorization.topic(context, AclOperation.DESCRIBE, topic.name()))
                    .forEach(topic -> data.topics().add(describe(context, topic, authorizedOps)));
        } else if (usesTopicIds(request)) {
            for (Uuid id : new LinkedHashSet<>(request.topicIds())) {
                Optional<TopicImage> topic = image.topic(id);
                if (topic.isPresent() && !authorization.topic(context, AclOperation.DESCRIBE, topic.get().name())) {
                    data.topics().add(error(Errors.TOPIC_AUTHORIZATION_FAILED, null).setTopicId(id));
                    continue;
                }
                data.topics().add(topic.map(t -> describe(context, t, authorizedOps))
                        .orElseGet(() -> error(Errors.UNKNOWN_TOPIC_ID, null).setTopicId(id)));
            }
        } else {
            boolean mayCreate = mayAutoCreate(request);
            for (String name : new LinkedHashSet<>(request.topics())) {
                Optional<TopicImage> topic = image.topic(name);
                if (!authorization.topic(context, AclOperation.DESCRIBE, name)) {
                    data.topics().add(error(Errors.TOPIC_AUTHORIZATION_FAILED, name));
                    continue;
                }
                // Auto-creation needs CREATE on the cluster or on the topic; Kafka refuses it as unauthorized.
                if (topic.isEmpty() && mayCreate && !authorization.cluster(context, AclOperation.CREATE)
                        && !authorization.topic(context, AclOperation.CREATE, name)) {
                    data.topics().add(error(Errors.TOPIC_AUTHORIZATION_FAILED, name));
                    continue;
                }
                data.topics().add(topic.map(t -> describe(context, t, authorizedOps))
                        .orElseGet(() -> unknownTopic(context, name, mayCreate, authorizedOps)));
            }
        }
        if (version >= 8 && version <= 10 && request.data().includeClusterAuthorizedOperations()) {
            data.setClusterAuthorizedOperations(authorization.enabled()
                    ? authorization.clusterOperations(context)
                    : CLUSTER_AUTHORIZED_OPERATIONS);
        }
        return new MetadataResponse(data, version);
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

    private MetadataResponseTopic unknownTopic(RequestContext context, String name, boolean mayCreate,
            boolean authorizedOps) {
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
            return describe(context, created, authorizedOps);
        } catch (TopicExistsException e) {
            // Created meanwhile by another connection: answer with what is there now.
            return broker.metadata().image().topic(name).map(t -> describe(context, t, authorizedOps))
                    .orElseGet(() -> error(Errors.LEADER_NOT_AVAILABLE, name));
        } catch (ApiException e) {
            LOG.info("Auto-creation of topic {} failed: {}", name, e.getMessage());
            return error(Errors.forException(e), name);
        }
    }

    private MetadataResponseTopic describe(RequestContext context, TopicImage topic, boolean authorizedOps) {
        MetadataImage image = broker.metadata().image();
        List<MetadataResponsePartition> partitions = new ArrayList<>(topic.partitionCount());
        for (int p = 0; p < topic.partitionCount(); p++) {
            PartitionRegistration registration = ClusterView.partition(broker, topic, p);
            List<Integer> offline = registration.replicas().stream().filter(r -> !ClusterView.live(image, r))
                    .toList();
            // An offline partition (no leader) is reported with LEADER_NOT_AVAILABLE, as Kafka does.
            Errors error = registration.hasLeader() ? Errors.NONE : Errors.LEADER_NOT_AVAILABLE;
            partitions.add(new MetadataResponsePartition().setErrorCode(error.code()).setPartitionIndex(p)
                    .setLeaderId(registration.leader()).setLeaderEpoch(registration.leaderEpoch())
                    .setReplicaNodes(registration.replicas()).setIsrNodes(registration.isr())
                    .setOfflineReplicas(offline));
        }
        MetadataResponseTopic response = new MetadataResponseTopic().setName(topic.name()).setTopicId(topic.id())
                .setIsInternal(Topic.isInternal(topic.name())).setPartitions(partitions);
        if (authorizedOps) {
            response.setTopicAuthorizedOperations(authorization.enabled()
                    ? authorization.authorizedOperations(context, ResourceType.TOPIC, topic.name())
                    : TOPIC_AUTHORIZED_OPERATIONS);
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
