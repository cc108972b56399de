package io.brook.broker.authz;

import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AddOffsetsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.ConsumerGroupDescribeRequest;
import org.apache.kafka.common.requests.ConsumerGroupDescribeResponse;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatRequest;
import org.apache.kafka.common.requests.DescribeGroupsRequest;
import org.apache.kafka.common.requests.DescribeGroupsResponse;
import org.apache.kafka.common.requests.EndTxnRequest;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.LeaveGroupRequest;
import org.apache.kafka.common.requests.ListGroupsResponse;
import org.apache.kafka.common.requests.ListTransactionsResponse;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetDeleteRequest;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;
import org.apache.kafka.common.requests.SyncGroupRequest;
import org.apache.kafka.common.requests.TxnOffsetCommitRequest;
import org.apache.kafka.common.resource.ResourceType;

import io.brook.broker.api.RequestContext;
import io.brook.metadata.MetadataStore;
import io.brook.metadata.TopicImage;

/**
 * Kafka's authorization rules for the APIs checked before their handler runs (see {@link RequestGate}): which
 * operation on which resource each request needs, and which exception answers a refusal of the whole request. The
 * APIs Kafka answers per resource (OffsetCommit's topics, DescribeGroups, DeleteTopics, DescribeConfigs, ...) are
 * split by {@link PerResourceAnswers}, reached through {@link #split}. ListGroups and ListTransactions are answered and
 * then filtered to what the principal may DESCRIBE.
 *
 * <p>Stateless apart from its collaborators; thread-safe.
 */
public final class RequestChecks {

    @FunctionalInterface
    private interface Check {
        ApiException check(RequestContext context, AbstractRequest request);
    }

    private final Authorization authz;
    private final MetadataStore metadata;
    private final Map<ApiKeys, Check> checks = new EnumMap<>(ApiKeys.class);
    private final PerResourceAnswers perResource;

    public RequestChecks(Authorization authorization, MetadataStore metadata) {
        this.authz = authorization;
        this.metadata = metadata;
        this.perResource = new PerResourceAnswers(authorization, metadata);
        register();
    }

    boolean covers(ApiKeys key) {
        return checks.containsKey(key) || perResource.covers(key) || key == ApiKeys.LIST_GROUPS
                || key == ApiKeys.LIST_TRANSACTIONS;
    }

    /**
     * The request without the resources the principal may not use, and how to add their refusals to the answer; null
     * when the request goes to its handler unchanged. Asked after {@link #check} let the request through.
     */
    PerResourceAnswers.Split split(RequestContext context, AbstractRequest request) {
        return perResource.split(context, request);
    }

    /** Whether {@link #filter} may change responses of the API. */
    boolean filters(ApiKeys key) {
        return key == ApiKeys.LIST_GROUPS || key == ApiKeys.LIST_TRANSACTIONS || key == ApiKeys.DESCRIBE_GROUPS
                || key == ApiKeys.CONSUMER_GROUP_DESCRIBE || key == ApiKeys.OFFSET_FETCH;
    }

    /** The refusal, or null when the request may go on. */
    ApiException check(RequestContext context, AbstractRequest request) {
        Check check = checks.get(request.apiKey());
        return check == null ? null : check.check(context, request);
    }

    /**
     * Removes from listing responses what the principal may not describe, and fills the groups' authorized
     * operations when DescribeGroups or ConsumerGroupDescribe asks for them.
     */
    AbstractResponse filter(RequestContext context, AbstractRequest request, AbstractResponse response) {
        if (response instanceof DescribeGroupsResponse groups
                && ((DescribeGroupsRequest) request).data().includeAuthorizedOperations()) {
            groups.data().groups().stream()
                    .filter(g -> g.errorCode() != Errors.GROUP_AUTHORIZATION_FAILED.code())
                    .forEach(g -> g.setAuthorizedOperations(
                            authz.authorizedOperations(context, ResourceType.GROUP, g.groupId())));
            return response;
        }
        if (response instanceof OffsetFetchResponse offsets) {
            hideOffsetsOfUndescribableTopics(context, (OffsetFetchRequest) request, offsets);
            return response;
        }
        if (response instanceof ConsumerGroupDescribeResponse groups
                && ((ConsumerGroupDescribeRequest) request).data().includeAuthorizedOperations()) {
            groups.data().groups().stream()
                    .filter(g -> g.errorCode() != Errors.GROUP_AUTHORIZATION_FAILED.code())
                    .forEach(g -> g.setAuthorizedOperations(
                            authz.authorizedOperations(context, ResourceType.GROUP, g.groupId())));
            return response;
        }
        if (response instanceof ListGroupsResponse groups
                && !authz.cluster(context, AclOperation.DESCRIBE)) {
            groups.data().groups().removeIf(g -> !authz.group(context, AclOperation.DESCRIBE, g.groupId()));
        } else if (response instanceof ListTransactionsResponse transactions) {
            transactions.data().transactionStates().removeIf(
                    t -> !authz.transactionalId(context, AclOperation.DESCRIBE, t.transactionalId()));
        }
        return response;
    }

    /**
     * As Kafka: offsets of topics the principal may not DESCRIBE are left out when the request asked for all of the
     * group's topics, and answered TOPIC_AUTHORIZATION_FAILED when it named them.
     */
    private void hideOffsetsOfUndescribableTopics(RequestContext context, OffsetFetchRequest request,
            OffsetFetchResponse response) {
        OffsetFetchResponseData data = response.data();
        OffsetFetchRequestData asked = request.data();
        if (!data.groups().isEmpty()) {
            Map<String, Boolean> allTopics = new HashMap<>();
            asked.groups().forEach(g -> allTopics.put(g.groupId(), g.topics() == null));
            for (OffsetFetchResponseData.OffsetFetchResponseGroup group : data.groups()) {
                boolean all = allTopics.getOrDefault(group.groupId(), false);
                group.topics().removeIf(t -> {
                    String name = name(t.name(), t.topicId());
                    if (name == null || authz.topic(context, AclOperation.DESCRIBE, name)) {
                        return false;
                    }
                    t.partitions().forEach(p -> p.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                            .setCommittedOffset(-1).setCommittedLeaderEpoch(-1).setMetadata(""));
                    return all;
                });
            }
        } else {
            boolean all = asked.topics() == null;
            data.topics().removeIf(t -> {
                if (t.name() == null || authz.topic(context, AclOperation.DESCRIBE, t.name())) {
                    return false;
                }
                t.partitions().forEach(p -> p.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                        .setCommittedOffset(-1).setCommittedLeaderEpoch(-1).setMetadata(""));
                return all;
            });
        }
    }

    private void register() {
        checks.put(ApiKeys.INIT_PRODUCER_ID, (c, r) -> {
            String transactionalId = ((InitProducerIdRequest) r).data().transactionalId();
            if (transactionalId != null) {
                return transactionalId(c, AclOperation.WRITE, transactionalId);
            }
            // An idempotent producer: IDEMPOTENT_WRITE on the cluster, or WRITE on some topic.
            return authz.cluster(c, AclOperation.IDEMPOTENT_WRITE)
                    || authz.anyOf(c, AclOperation.WRITE, ResourceType.TOPIC)
                            ? null
                            : new ClusterAuthorizationException("Idempotent write is not allowed");
        });
        checks.put(ApiKeys.FIND_COORDINATOR, (c, r) -> {
            if (r.version() >= 4) {
                return null; // a batch of keys: answered per key by PerResourceAnswers
            }
            FindCoordinatorRequestData data = ((FindCoordinatorRequest) r).data();
            List<String> keys = List.of(data.key());
            boolean transaction = data.keyType() == FindCoordinatorRequest.CoordinatorType.TRANSACTION.id();
            for (String key : keys) {
                ApiException refused = transaction
                        ? transactionalId(c, AclOperation.DESCRIBE, key)
                        : group(c, AclOperation.DESCRIBE, key);
                if (refused != null) {
                    return refused;
                }
            }
            return null;
        });
        checks.put(ApiKeys.JOIN_GROUP, (c, r) -> group(c, AclOperation.READ, ((JoinGroupRequest) r).data().groupId()));
        checks.put(ApiKeys.SYNC_GROUP, (c, r) -> group(c, AclOperation.READ, ((SyncGroupRequest) r).data().groupId()));
        checks.put(ApiKeys.HEARTBEAT, (c, r) -> group(c, AclOperation.READ, ((HeartbeatRequest) r).data().groupId()));
        checks.put(ApiKeys.LEAVE_GROUP,
                (c, r) -> group(c, AclOperation.READ, ((LeaveGroupRequest) r).data().groupId()));
        checks.put(ApiKeys.CONSUMER_GROUP_HEARTBEAT, (c, r) -> {
            var data = ((ConsumerGroupHeartbeatRequest) r).data();
            ApiException refused = group(c, AclOperation.READ, data.groupId());
            return refused != null || data.subscribedTopicNames() == null
                    ? refused
                    : topics(c, AclOperation.DESCRIBE, data.subscribedTopicNames());
        });
        checks.put(ApiKeys.OFFSET_COMMIT, (c, r) -> {
            var data = ((OffsetCommitRequest) r).data();
            // The topics are answered one by one by PerResourceAnswers.
            return group(c, AclOperation.READ, data.groupId());
        });
        checks.put(ApiKeys.OFFSET_FETCH, (c, r) -> {
            for (String group : ((OffsetFetchRequest) r).groupIds()) {
                ApiException refused = group(c, AclOperation.DESCRIBE, group);
                if (refused != null) {
                    return refused;
                }
            }
            return null;
        });
        checks.put(ApiKeys.OFFSET_DELETE, (c, r) -> {
            var data = ((OffsetDeleteRequest) r).data();
            // The topics are answered one by one by PerResourceAnswers.
            return group(c, AclOperation.DELETE, data.groupId());
        });
        checks.put(ApiKeys.ADD_PARTITIONS_TO_TXN, (c, r) -> {
            AddPartitionsToTxnRequest request = (AddPartitionsToTxnRequest) r;
            if (request.version() >= 4) {
                // Version 4 and later come from brokers verifying a transaction.
                return authz.cluster(c, AclOperation.CLUSTER_ACTION)
                        ? null
                        : new ClusterAuthorizationException("Cluster authorization failed");
            }
            for (Map.Entry<String, List<TopicPartition>> e : request.partitionsByTransaction().entrySet()) {
                ApiException refused = transactionalId(c, AclOperation.WRITE, e.getKey());
                if (refused == null) {
                    refused = topics(c, AclOperation.WRITE, e.getValue().stream().map(TopicPartition::topic).toList());
                }
                if (refused != null) {
                    return refused;
                }
            }
            return null;
        });
        checks.put(ApiKeys.ADD_OFFSETS_TO_TXN, (c, r) -> {
            var data = ((AddOffsetsToTxnRequest) r).data();
            ApiException refused = transactionalId(c, AclOperation.WRITE, data.transactionalId());
            return refused != null ? refused : group(c, AclOperation.READ, data.groupId());
        });
        checks.put(ApiKeys.END_TXN,
                (c, r) -> transactionalId(c, AclOperation.WRITE, ((EndTxnRequest) r).data().transactionalId()));
        checks.put(ApiKeys.TXN_OFFSET_COMMIT, (c, r) -> {
            var data = ((TxnOffsetCommitRequest) r).data();
            ApiException refused = transactionalId(c, AclOperation.WRITE, data.transactionalId());
            // The topics are answered one by one by PerResourceAnswers.
            return refused != null ? refused : group(c, AclOperation.READ, data.groupId());
        });
        checks.put(ApiKeys.OFFSET_FOR_LEADER_EPOCH, (c, r) -> {
            var data = ((OffsetsForLeaderEpochRequest) r).data();
            if (data.replicaId() >= 0) {
                return authz.cluster(c, AclOperation.CLUSTER_ACTION)
                        ? null
                        : new ClusterAuthorizationException("Cluster authorization failed");
            }
            return null; // clients' topics are answered one by one by PerResourceAnswers
        });
    }

    private String name(String name, Uuid topicId) {
        if (topicId == null || Uuid.ZERO_UUID.equals(topicId)) {
            return name;
        }
        return metadata.image().topic(topicId).map(TopicImage::name).orElse(null);
    }

    private ApiException topics(RequestContext context, AclOperation operation, Collection<String> names) {
        List<String> refused = names.stream().filter(n -> n != null && !authz.topic(context, operation, n))
                .distinct().toList();
        return refused.isEmpty()
                ? null
                : new TopicAuthorizationException(
                        "Topic authorization failed: " + operation + " on " + refused, java.util.Set.copyOf(refused));
    }

    private ApiException group(RequestContext context, AclOperation operation, String group) {
        return group == null || authz.group(context, operation, group)
                ? null
                : new GroupAuthorizationException("Group authorization failed: " + operation + " on " + group,
                        group);
    }

    private ApiException transactionalId(RequestContext context, AclOperation operation, String id) {
        return id == null || authz.transactionalId(context, operation, id)
                ? null
                : new TransactionalIdAuthorizationException("Transactional id authorization failed");
    }
}
