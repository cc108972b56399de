package io.brook.broker.authz;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AlterConfigsRequest;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.apache.kafka.common.requests.ConsumerGroupDescribeRequest;
import org.apache.kafka.common.requests.ConsumerGroupDescribeResponse;
import org.apache.kafka.common.requests.CreatePartitionsRequest;
import org.apache.kafka.common.requests.CreatePartitionsResponse;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.DeleteGroupsRequest;
import org.apache.kafka.common.requests.DeleteGroupsResponse;
import org.apache.kafka.common.requests.DeleteRecordsRequest;
import org.apache.kafka.common.requests.DeleteRecordsResponse;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.DeleteTopicsResponse;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.DescribeGroupsRequest;
import org.apache.kafka.common.requests.DescribeGroupsResponse;
import org.apache.kafka.common.requests.DescribeTransactionsRequest;
import org.apache.kafka.common.requests.DescribeTransactionsResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;
import org.apache.kafka.common.requests.IncrementalAlterConfigsResponse;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.apache.kafka.common.requests.OffsetDeleteRequest;
import org.apache.kafka.common.requests.OffsetDeleteResponse;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;
import org.apache.kafka.common.requests.TxnOffsetCommitRequest;
import org.apache.kafka.common.requests.TxnOffsetCommitResponse;

import io.brook.broker.api.RequestContext;
import io.brook.metadata.MetadataStore;
import io.brook.metadata.TopicImage;

/**
 * Per-resource authorization answers, as Kafka gives them, for the APIs that name several resources: OffsetCommit
 * and TxnOffsetCommit (topics), DescribeGroups, ConsumerGroupDescribe and DeleteGroups (groups), CreateTopics and
 * DeleteTopics (topics), DescribeConfigs, AlterConfigs and IncrementalAlterConfigs (resources), FindCoordinator v4+
 * (keys), DescribeTransactions (transactional ids), OffsetDelete, CreatePartitions, DeleteRecords and clients'
 * OffsetForLeaderEpoch (topics). The refused resources are taken out of the request; the
 * handler answers the rest; the refused ones are then added to its response, each with its own
 * TOPIC_/GROUP_/TRANSACTIONAL_ID_/CLUSTER_AUTHORIZATION_FAILED, as Kafka adds them (after the authorized ones). When
 * nothing is left the handler is not called. Whole-request checks (the group of OffsetCommit, the transactional id of
 * TxnOffsetCommit) stay in {@link RequestChecks} and run first.
 *
 * <p>Also, as Kafka: CreateTopics hides the configs, partition count and replication factor of a created topic the
 * principal may not DESCRIBE_CONFIGS (topic config error TOPIC_AUTHORIZATION_FAILED), and DescribeTransactions leaves
 * out the topics the principal may not DESCRIBE.
 *
 * <p>Stateless apart from its collaborators; thread-safe.
 */
public final class PerResourceAnswers {

    /**
     * What to do with one request.
     *
     * @param remaining the request for the handler, or null when nothing is left to ask it
     * @param complete adds the refused resources to the handler's response (given null when the handler was not
     *            called) and returns the answer
     */
    record Split(AbstractRequest remaining, UnaryOperator<AbstractResponse> complete) {
    }

    @FunctionalInterface
    private interface Splitter {
        /** The split, or null when the request goes to the handler as it is. */
        Split split(RequestContext context, AbstractRequest request);
    }

    private final Authorization authz;
    private final MetadataStore metadata;
    private final Map<ApiKeys, Splitter> splitters = new EnumMap<>(ApiKeys.class);

    public PerResourceAnswers(Authorization authorization, MetadataStore metadata) {
        this.authz = authorization;
        this.metadata = metadata;
        splitters.put(ApiKeys.OFFSET_COMMIT, this::offsetCommit);
        splitters.put(ApiKeys.TXN_OFFSET_COMMIT, this::txnOffsetCommit);
        splitters.put(ApiKeys.DESCRIBE_GROUPS, this::describeGroups);
        splitters.put(ApiKeys.CONSUMER_GROUP_DESCRIBE, this::consumerGroupDescribe);
        splitters.put(ApiKeys.DELETE_GROUPS, this::deleteGroups);
        splitters.put(ApiKeys.CREATE_TOPICS, this::createTopics);
        splitters.put(ApiKeys.DELETE_TOPICS, this::deleteTopics);
        splitters.put(ApiKeys.DESCRIBE_CONFIGS, this::describeConfigs);
        splitters.put(ApiKeys.ALTER_CONFIGS, this::alterConfigs);
        splitters.put(ApiKeys.INCREMENTAL_ALTER_CONFIGS, this::incrementalAlterConfigs);
        splitters.put(ApiKeys.FIND_COORDINATOR, this::findCoordinator);
        splitters.put(ApiKeys.DESCRIBE_TRANSACTIONS, this::describeTransactions);
        splitters.put(ApiKeys.OFFSET_DELETE, this::offsetDelete);
        splitters.put(ApiKeys.CREATE_PARTITIONS, this::createPartitions);
        splitters.put(ApiKeys.DELETE_RECORDS, this::deleteRecords);
        splitters.put(ApiKeys.OFFSET_FOR_LEADER_EPOCH, this::offsetForLeaderEpoch);
    }

    boolean covers(ApiKeys key) {
        return splitters.containsKey(key);
    }

    /** The split of {@code request}, or null when it goes to its handler unchanged. */
    Split split(RequestContext context, AbstractRequest request) {
        Splitter splitter = splitters.get(request.apiKey());
        return splitter == null ? null : splitter.split(context, request);
    }

    // ---- offsets

    private Split offsetCommit(RequestContext context, AbstractRequest r) {
        OffsetCommitRequest request = (OffsetCommitRequest) r;
        OffsetCommitRequestData data = request.data().duplicate();
        List<OffsetCommitRequestData.OffsetCommitRequestTopic> refused = new ArrayList<>();
        data.topics().removeIf(t -> refusedTopic(context, AclOperation.READ, t.name(), t.topicId()) && refused.add(t));
        if (refused.isEmpty()) {
            return null;
        }
        return new Split(data.topics().isEmpty() ? null : new OffsetCommitRequest(data, request.version()),
                response -> {
                    OffsetCommitResponseData answer = response == null
                            ? new OffsetCommitResponseData()
                            : ((OffsetCommitResponse) response).data();
                    for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : refused) {
                        OffsetCommitResponseData.OffsetCommitResponseTopic entry = new OffsetCommitResponseData.OffsetCommitResponseTopic()
                                .setName(topic.name())
                                .setTopicId(topic.topicId());
                        topic.partitions().forEach(p -> entry.partitions().add(
                                new OffsetCommitResponseData.OffsetCommitResponsePartition()
                                        .setPartitionIndex(p.partitionIndex())
                                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())));
                        answer.topics().add(entry);
                    }
                    return response == null ? new OffsetCommitResponse(answer) : response;
                });
    }

    private Split txnOffsetCommit(RequestContext context, AbstractRequest r) {
        TxnOffsetCommitRequest request = (TxnOffsetCommitRequest) r;
        TxnOffsetCommitRequestData data = request.data().duplicate();
        List<TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic> refused = new ArrayList<>();
        data.topics().removeIf(t -> refusedTopic(context, AclOperation.READ, t.name(), t.topicId()) && refused.add(t));
        if (refused.isEmpty()) {
            return null;
        }
        return new Split(data.topics().isEmpty() ? null : new TxnOffsetCommitRequest(data, request.version()),
                response -> {
                    TxnOffsetCommitResponseData answer = response == null
                            ? new TxnOffsetCommitResponseData()
                            : ((TxnOffsetCommitResponse) response).data();
                    for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic topic : refused) {
                        TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic entry = new TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic()
                                .setName(topic.name())
                                .setTopicId(topic.topicId());
                        topic.partitions().forEach(p -> entry.partitions().add(
                                new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition()
                                        .setPartitionIndex(p.partitionIndex())
                                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())));
                        answer.topics().add(entry);
                    }
                    return response == null ? new TxnOffsetCommitResponse(answer) : response;
                });
    }

    private Split offsetDelete(RequestContext context, AbstractRequest r) {
        OffsetDeleteRequest request = (OffsetDeleteRequest) r;
        OffsetDeleteRequestData data = request.data().duplicate();
        List<OffsetDeleteRequestData.OffsetDeleteRequestTopic> refused = new ArrayList<>();
        data.topics().removeIf(t -> !authz.topic(context, AclOperation.READ, t.name()) && refused.add(t));
        if (refused.isEmpty()) {
            return null;
        }
        return new Split(data.topics().isEmpty() ? null : new OffsetDeleteRequest(data, request.version()),
                response -> {
                    OffsetDeleteResponseData answer = response == null
                            ? new OffsetDeleteResponseData()
                            : ((OffsetDeleteResponse) response).data();
                    for (OffsetDeleteRequestData.OffsetDeleteRequestTopic topic : refused) {
                        OffsetDeleteResponseData.OffsetDeleteResponseTopic entry = new OffsetDeleteResponseData.OffsetDeleteResponseTopic()
                                .setName(topic.name());
                        topic.partitions().forEach(p -> entry.partitions().add(
                                new OffsetDeleteResponseData.OffsetDeleteResponsePartition()
                                        .setPartitionIndex(p.partitionIndex())
                                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())));
                        answer.topics().add(entry);
                    }
                    return response == null ? new OffsetDeleteResponse(answer) : response;
                });
    }

    // ---- groups

    private Split describeGroups(RequestContext context, AbstractRequest r) {
        DescribeGroupsRequest request = (DescribeGroupsRequest) r;
        DescribeGroupsRequestData data = request.data().duplicate();
        List<String> refused = new ArrayList<>();
        data.groups().removeIf(g -> !authz.group(context, AclOperation.DESCRIBE, g) && refused.add(g));
        if (refused.isEmpty()) {
            return null;
        }
        return new Split(data.groups().isEmpty()
                ? null
                : new DescribeGroupsRequest.Builder(data).build(request.version()), response -> {
                    DescribeGroupsResponseData answer = response == null
                            ? new DescribeGroupsResponseData()
                            : ((DescribeGroupsResponse) response).data();
                    refused.forEach(g -> answer.groups()
                            .add(DescribeGroupsResponse.groupError(g, Errors.GROUP_AUTHORIZATION_FAILED)));
                    return response == null ? new DescribeGroupsResponse(answer) : response;
                });
    }

    private Split consumerGroupDescribe(RequestContext context, AbstractRequest r) {
        ConsumerGroupDescribeRequest request = (ConsumerGroupDescribeRequest) r;
        ConsumerGroupDescribeRequestData data = request.data().duplicate();
        List<String> refused = new ArrayList<>();
        data.groupIds().removeIf(g -> !authz.group(context, AclOperation.DESCRIBE, g) && refused.add(g));
        if (refused.isEmpty()) {
            return null;
        }
        return new Split(data.groupIds().isEmpty() ? null : new ConsumerGroupDescribeRequest(data, request.version()),
                response -> {
                    ConsumerGroupDescribeResponseData answer = response == null
                            ? new ConsumerGroupDescribeResponseData()
                            : ((ConsumerGroupDescribeResponse) response).data();
                    refused.forEach(g -> answer.groups().add(new ConsumerGroupDescribeResponseData.DescribedGroup()
                            .setGroupId(g).setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())
                            .setErrorMessage(Errors.GROUP_AUTHORIZATION_FAILED.message())));
                    return response == null ? new ConsumerGroupDescribeResponse(answer) : response;
                });
    }

    private Split deleteGroups(RequestContext context, AbstractRequest r) {
        DeleteGroupsRequest request = (DeleteGroupsRequest) r;
        DeleteGroupsRequestData data = request.data().duplicate();
        Set<String> refused = new LinkedHashSet<>();
        data.groupsNames().removeIf(g -> !authz.group(context, AclOperation.DELETE, g) && collect(refused, g));
        if (refused.isEmpty()) {
            return null;
        }
        return new Split(data.groupsNames().isEmpty() ? null : new DeleteGroupsRequest(data, request.version()),
                response -> {
                    DeleteGroupsResponseData answer = response == null
                            ? new DeleteGroupsResponseData()
                            : ((DeleteGroupsResponse) response).data();
                    refused.forEach(g -> answer.results().add(new DeleteGroupsResponseData.DeletableGroupResult()
                            .setGroupId(g).setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())));
                    return response == null ? new DeleteGroupsResponse(answer) : response;
                });
    }

    // ---- topics

    private Split createTopics(RequestContext context, AbstractRequest r) {
        CreateTopicsRequest request = (CreateTopicsRequest) r;
        CreateTopicsRequestData data = request.data().duplicate();
        Set<String> refused = new LinkedHashSet<>();
        if (!authz.cluster(context, AclOperation.CREATE)) {
            data.topics().removeIf(t -> !authz.topic(context, AclOperation.CREATE, t.name())
                    && collect(refused, t.name()));
        }
        // Always split: created topics the principal may not DESCRIBE_CONFIGS are answered without their configs.
        AbstractRequest remaining = refused.isEmpty()
                ? request
                : data.topics().isEmpty() ? null : new CreateTopicsRequest(data, request.version());
        return new Split(remaining, response -> {
            CreateTopicsResponseData answer = response == null
                    ? new CreateTopicsResponseData()
                    : ((CreateTopicsResponse) response).data();
            for (CreateTopicsResponseData.CreatableTopicResult result : answer.topics()) {
                if (result.errorCode() == Errors.NONE.code()
                        && !authz.topic(context, AclOperation.DESCRIBE_CONFIGS, result.name())) {
                    result.setConfigs(new ArrayList<>()).setNumPartitions(-1).setReplicationFactor((short) -1)
                            .setTopicConfigErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
                }
            }
            refused.forEach(name -> answer.topics().add(new CreateTopicsResponseData.CreatableTopicResult()
                    .setName(name).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                    .setErrorMessage("Authorization failed.")));
            return response == null ? new CreateTopicsResponse(answer) : response;
        });
    }

    private Split deleteTopics(RequestContext context, AbstractRequest r) {
        DeleteTopicsRequest request = (DeleteTopicsRequest) r;
        DeleteTopicsRequestData data = request.data().duplicate();
        List<DeleteTopicsResponseData.DeletableTopicResult> refused = new ArrayList<>();
        data.topicNames().removeIf(name -> name != null && !authz.topic(context, AclOperation.DELETE, name)
                && refused.add(topicRefusal(name, Uuid.ZERO_UUID)));
        data.topics().removeIf(t -> {
            boolean byId = t.topicId() != null && !Uuid.ZERO_UUID.equals(t.topicId());
            if (byId && t.name() != null) {
                return false; // INVALID_REQUEST from the handler
            }
            String name = byId ? topicName(t.topicId()) : t.name();
            if (name == null || authz.topic(context, AclOperation.DELETE, name)) {
                return false;
            }
            // As Kafka: a topic named by id keeps its name out of the answer unless the principal may describe it.
            String shown = !byId || authz.topic(context, AclOperation.DESCRIBE, name) ? name : null;
            return refused.add(topicRefusal(shown, byId ? t.topicId() : Uuid.ZERO_UUID));
        });
        if (refused.isEmpty()) {
            return null;
        }
        boolean nothingLeft = data.topicNames().isEmpty() && data.topics().isEmpty();
        return new Split(nothingLeft ? null : new DeleteTopicsRequest.Builder(data).build(request.version()),
                response -> {
                    DeleteTopicsResponseData answer = response == null
                            ? new DeleteTopicsResponseData()
                            : ((DeleteTopicsResponse) response).data();
                    refused.forEach(answer.responses()::add);
                    return response == null ? new DeleteTopicsResponse(answer) : response;
                });
    }

    private static DeleteTopicsResponseData.DeletableTopicResult topicRefusal(String name, Uuid id) {
        return new DeleteTopicsResponseData.DeletableTopicResult().setName(name).setTopicId(id)
                .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                .setErrorMessage(Errors.TOPIC_AUTHORIZATION_FAILED.message());
    }

    private Split createPartitions(RequestContext context, AbstractRequest r) {
        CreatePartitionsRequest request = (CreatePartitionsRequest) r;
        CreatePartitionsRequestData data = request.data().duplicate();
        List<String> refused = new ArrayList<>();
        data.topics().removeIf(t -> !authz.topic(context, AclOperation.ALTER, t.name()) && refused.add(t.name()));
        if (refused.isEmpty()) {
            return null;
        }
        return new Split(data.topics().isEmpty()
                ? null
                : new CreatePartitionsRequest.Builder(data).build(request.version()), response -> {
                    CreatePartitionsResponseData answer = response == null
                            ? new CreatePartitionsResponseData()
                            : ((CreatePartitionsResponse) response).data();
                    refused.forEach(name -> answer.results()
                            .add(new CreatePartitionsResponseData.CreatePartitionsTopicResult()
                                    .setName(name).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                                    .setErrorMessage(Errors.TOPIC_AUTHORIZATION_FAILED.message())));
                    return response == null ? new CreatePartitionsResponse(answer) : response;
                });
    }

    private Split deleteRecords(RequestContext context, AbstractRequest r) {
        DeleteRecordsRequest request = (DeleteRecordsRequest) r;
        DeleteRecordsRequestData data = request.data().duplicate();
        List<DeleteRecordsRequestData.DeleteRecordsTopic> refused = new ArrayList<>();
        data.topics().removeIf(t -> !authz.topic(context, AclOperation.DELETE, t.name()) && refused.add(t));
        if (refused.isEmpty()) {
            return null;
        }
        return new Split(data.topics().isEmpty()
                ? null
                : new DeleteRecordsRequest.Builder(data).build(request.version()), response -> {
                    DeleteRecordsResponseData answer = response == null
                            ? new DeleteRecordsResponseData()
                            : ((DeleteRecordsResponse) response).data();
                    for (DeleteRecordsRequestData.DeleteRecordsTopic topic : refused) {
                        DeleteRecordsResponseData.DeleteRecordsTopicResult entry = new DeleteRecordsResponseData.DeleteRecordsTopicResult()
                                .setName(topic.name());
                        topic.partitions().forEach(p -> entry.partitions().add(
                                new DeleteRecordsResponseData.DeleteRecordsPartitionResult()
                                        .setPartitionIndex(p.partitionIndex())
                                        .setLowWatermark(DeleteRecordsResponse.INVALID_LOW_WATERMARK)
                                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())));
                        answer.topics().add(entry);
                    }
                    return response == null ? new DeleteRecordsResponse(answer) : response;
                });
    }

    /** Clients' OffsetForLeaderEpoch only: a follower's is a cluster action, checked whole by RequestChecks. */
    private Split offsetForLeaderEpoch(RequestContext context, AbstractRequest r) {
        OffsetsForLeaderEpochRequest request = (OffsetsForLeaderEpochRequest) r;
        if (request.data().replicaId() >= 0) {
            return null;
        }
        OffsetForLeaderEpochRequestData data = request.data().duplicate();
        List<OffsetForLeaderEpochRequestData.OffsetForLeaderTopic> refused = new ArrayList<>();
        data.topics().removeIf(t -> !authz.topic(context, AclOperation.DESCRIBE, t.topic()) && refused.add(t));
        if (refused.isEmpty()) {
            return null;
        }
        return new Split(data.topics().isEmpty() ? null : new OffsetsForLeaderEpochRequest(data, request.version()),
                response -> {
                    OffsetForLeaderEpochResponseData answer = response == null
                            ? new OffsetForLeaderEpochResponseData()
                            : ((OffsetsForLeaderEpochResponse) response).data();
                    for (OffsetForLeaderEpochRequestData.OffsetForLeaderTopic topic : refused) {
                        OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult entry = new OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult()
                                .setTopic(topic.topic());
                        topic.partitions().forEach(p -> entry.partitions().add(
                                new OffsetForLeaderEpochResponseData.EpochEndOffset()
                                        .setPartition(p.partition())
                                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())));
                        answer.topics().add(entry);
                    }
                    return response == null ? new OffsetsForLeaderEpochResponse(answer) : response;
                });
    }

    // ---- configs

    private Split describeConfigs(RequestContext context, AbstractRequest r) {
        DescribeConfigsRequest request = (DescribeConfigsRequest) r;
        DescribeConfigsRequestData data = request.data().duplicate();
        List<DescribeConfigsResponseData.DescribeConfigsResult> refused = new ArrayList<>();
        data.resources().removeIf(res -> {
            Errors error = configRefusal(context, AclOperation.DESCRIBE_CONFIGS, res.resourceType(),
                    res.resourceName());
            return error != null && refused.add(new DescribeConfigsResponseData.DescribeConfigsResult()
                    .setResourceType(res.resourceType()).setResourceName(res.resourceName())
                    .setErrorCode(error.code()).setErrorMessage(error.message()));
        });
        if (refused.isEmpty()) {
            return null;
        }
        return new Split(data.resources().isEmpty() ? null : new DescribeConfigsRequest(data, request.version()),
                response -> {
                    DescribeConfigsResponseData answer = response == null
                            ? new DescribeConfigsResponseData()
                            : ((DescribeConfigsResponse) response).data();
                    answer.results().addAll(refused);
                    return response == null ? new DescribeConfigsResponse(answer) : response;
                });
    }

    private Split alterConfigs(RequestContext context, AbstractRequest r) {
        AlterConfigsRequest request = (AlterConfigsRequest) r;
        AlterConfigsRequestData data = request.data().duplicate();
        List<AlterConfigsResponseData.AlterConfigsResourceResponse> refused = new ArrayList<>();
        data.resources().removeIf(res -> {
            Errors error = configRefusal(context, AclOperation.ALTER_CONFIGS, res.resourceType(), res.resourceName());
            return error != null && refused.add(new AlterConfigsResponseData.AlterConfigsResourceResponse()
                    .setResourceType(res.resourceType()).setResourceName(res.resourceName())
                    .setErrorCode(error.code()).setErrorMessage(error.message()));
        });
        if (refused.isEmpty()) {
            return null;
        }
        return new Split(data.resources().isEmpty() ? null : new AlterConfigsRequest(data, request.version()),
                response -> {
                    AlterConfigsResponseData answer = response == null
                            ? new AlterConfigsResponseData()
                            : ((AlterConfigsResponse) response).data();
                    answer.responses().addAll(refused);
                    return response == null ? new AlterConfigsResponse(answer) : response;
                });
    }

    private Split incrementalAlterConfigs(RequestContext context, AbstractRequest r) {
        IncrementalAlterConfigsRequest request = (IncrementalAlterConfigsRequest) r;
        IncrementalAlterConfigsRequestData data = request.data().duplicate();
        List<IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse> refused = new ArrayList<>();
        data.resources().removeIf(res -> {
            Errors error = configRefusal(context, AclOperation.ALTER_CONFIGS, res.resourceType(), res.resourceName());
            return error != null && refused.add(new IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse()
                    .setResourceType(res.resourceType()).setResourceName(res.resourceName())
                    .setErrorCode(error.code()).setErrorMessage(error.message()));
        });
        if (refused.isEmpty()) {
            return null;
        }
        return new Split(data.resources().isEmpty()
                ? null
                : new IncrementalAlterConfigsRequest(data, request.version()), response -> {
                    IncrementalAlterConfigsResponseData answer = response == null
                            ? new IncrementalAlterConfigsResponseData()
                            : ((IncrementalAlterConfigsResponse) response).data();
                    answer.responses().addAll(refused);
                    return response == null ? new IncrementalAlterConfigsResponse(answer) : response;
                });
    }

    /** The error answering a config resource the principal may not use, or null. */
    private Errors configRefusal(RequestContext context, AclOperation operation, byte type, String name) {
        ConfigResource.Type resourceType = ConfigResource.Type.forId(type);
        if (resourceType == ConfigResource.Type.TOPIC) {
            return authz.topic(context, operation, name) ? null : Errors.TOPIC_AUTHORIZATION_FAILED;
        }
        if (resourceType == ConfigResource.Type.GROUP) {
            return authz.group(context, operation, name) ? null : Errors.GROUP_AUTHORIZATION_FAILED;
        }
        return authz.cluster(context, operation) ? null : Errors.CLUSTER_AUTHORIZATION_FAILED;
    }

    // ---- coordinators and transactions

    private Split findCoordinator(RequestContext context, AbstractRequest r) {
        FindCoordinatorRequest request = (FindCoordinatorRequest) r;
        if (request.version() < 4) {
            return null; // one key: refused as a whole by RequestChecks
        }
        FindCoordinatorRequestData data = request.data().duplicate();
        boolean transaction = data.keyType() == FindCoordinatorRequest.CoordinatorType.TRANSACTION.id();
        List<FindCoordinatorResponseData.Coordinator> refused = new ArrayList<>();
        data.coordinatorKeys().removeIf(key -> {
            Errors error = transaction
                    ? authz.transactionalId(context, AclOperation.DESCRIBE, key)
                            ? null
                            : Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED
                    : authz.group(context, AclOperation.DESCRIBE, key) ? null : Errors.GROUP_AUTHORIZATION_FAILED;
            return error != null && refused.add(new FindCoordinatorResponseData.Coordinator().setKey(key)
                    .setErrorCode(error.code()).setNodeId(-1).setHost("").setPort(-1));
        });
        if (refused.isEmpty()) {
            return null;
        }
        return new Split(data.coordinatorKeys().isEmpty()
                ? null
                : new FindCoordinatorRequest.Builder(data).build(request.version()), response -> {
                    FindCoordinatorResponseData answer = response == null
                            ? new FindCoordinatorResponseData()
                            : ((FindCoordinatorResponse) response).data();
                    answer.coordinators().addAll(refused);
                    return response == null ? new FindCoordinatorResponse(answer) : response;
                });
    }

    private Split describeTransactions(RequestContext context, AbstractRequest r) {
        DescribeTransactionsRequest request = (DescribeTransactionsRequest) r;
        DescribeTransactionsRequestData data = request.data().duplicate();
        List<String> refused = new ArrayList<>();
        data.transactionalIds().removeIf(id -> !authz.transactionalId(context, AclOperation.DESCRIBE, id)
                && refused.add(id));
        // Always split: the topics of a described transaction are shown only when the principal may describe them.
        AbstractRequest remaining = refused.isEmpty()
                ? request
                : data.transactionalIds().isEmpty()
                        ? null
                        : new DescribeTransactionsRequest.Builder(data).build(request.version());
        return new Split(remaining, response -> {
            DescribeTransactionsResponseData answer = response == null
                    ? new DescribeTransactionsResponseData()
                    : ((DescribeTransactionsResponse) response).data();
            answer.transactionStates().forEach(state -> state.topics()
                    .removeIf(t -> !authz.topic(context, AclOperation.DESCRIBE, t.topic())));
            refused.forEach(id -> answer.transactionStates().add(new DescribeTransactionsResponseData.TransactionState()
                    .setTransactionalId(id).setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code())));
            return response == null ? new DescribeTransactionsResponse(answer) : response;
        });
    }

    // ---- helpers

    /** Adds {@code value} (once) and answers true, for use inside a removeIf condition. */
    private static <T> boolean collect(Set<T> set, T value) {
        set.add(value);
        return true;
    }

    /** Whether the principal may not do {@code operation} on the topic; an unknown topic id is left to the handler. */
    private boolean refusedTopic(RequestContext context, AclOperation operation, String name, Uuid topicId) {
        String resolved = topicId == null || Uuid.ZERO_UUID.equals(topicId) ? name : topicName(topicId);
        return resolved != null && !authz.topic(context, operation, resolved);
    }

    private String topicName(Uuid topicId) {
        return metadata.image().topic(topicId).map(TopicImage::name).orElse(null);
    }
}
