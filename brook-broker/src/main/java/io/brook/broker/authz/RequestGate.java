package io.brook.broker.authz;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.broker.api.WrappingApiHandler;

/**
 * Authorization made before a handler runs, for the APIs whose handlers do not check for themselves:
 * <ul>
 * <li>APIs Kafka authorizes as a whole against the cluster resource (inter-broker CLUSTER_ACTION, ALTER/DESCRIBE for
 * reassignments, ACLs, quorum, log dirs): refused with CLUSTER_AUTHORIZATION_FAILED;
 * <li>the {@link RequestChecks} of the group, transaction and admin APIs: a refused whole-request resource (the group
 * of a JoinGroup, the transactional id of an EndTxn, ...) fails the request with its error
 * (GROUP_/TOPIC_/TRANSACTIONAL_ID_/CLUSTER_AUTHORIZATION_FAILED), in the API's own error shape; the APIs Kafka answers
 * per resource go to the handler without their refused resources, which are added to its answer
 * ({@link PerResourceAnswers}).
 * </ul>
 * Produce, Fetch, ListOffsets and Metadata check per partition or topic in their handlers, as Kafka answers them.
 * Stateless apart from the {@link Authorization}; thread-safe.
 */
public final class RequestGate {

    private static final Map<ApiKeys, AclOperation> CLUSTER_OPERATION = clusterOperations();

    private RequestGate() {
    }

    /** The handlers, each API that needs a cluster operation wrapped in its check. */
    public static List<ApiHandler<?>> guard(List<? extends ApiHandler<?>> handlers, Authorization authorization,
            RequestChecks checks) {
        if (!authorization.enabled()) {
            return List.copyOf(handlers);
        }
        return handlers.stream().<ApiHandler<?>>map(h -> {
            AclOperation operation = CLUSTER_OPERATION.get(h.apiKey());
            if (operation != null || checks.covers(h.apiKey())) {
                return new Guarded<>(h, operation, authorization, checks);
            }
            return h;
        }).toList();
    }

    private static Map<ApiKeys, AclOperation> clusterOperations() {
        Map<ApiKeys, AclOperation> map = new EnumMap<>(ApiKeys.class);
        // inter-broker
        map.put(ApiKeys.WRITE_TXN_MARKERS, AclOperation.CLUSTER_ACTION);
        map.put(ApiKeys.ALTER_PARTITION, AclOperation.CLUSTER_ACTION);
        map.put(ApiKeys.ALLOCATE_PRODUCER_IDS, AclOperation.CLUSTER_ACTION);
        map.put(ApiKeys.BROKER_HEARTBEAT, AclOperation.CLUSTER_ACTION);
        map.put(ApiKeys.BROKER_REGISTRATION, AclOperation.CLUSTER_ACTION);
        // administration of the cluster
        map.put(ApiKeys.ELECT_LEADERS, AclOperation.ALTER);
        map.put(ApiKeys.ALTER_PARTITION_REASSIGNMENTS, AclOperation.ALTER);
        map.put(ApiKeys.LIST_PARTITION_REASSIGNMENTS, AclOperation.DESCRIBE);
        map.put(ApiKeys.ALTER_REPLICA_LOG_DIRS, AclOperation.ALTER);
        map.put(ApiKeys.DESCRIBE_LOG_DIRS, AclOperation.DESCRIBE);
        map.put(ApiKeys.DESCRIBE_QUORUM, AclOperation.DESCRIBE);
        map.put(ApiKeys.CREATE_ACLS, AclOperation.ALTER);
        map.put(ApiKeys.DELETE_ACLS, AclOperation.ALTER);
        map.put(ApiKeys.DESCRIBE_ACLS, AclOperation.DESCRIBE);
        map.put(ApiKeys.ALTER_CLIENT_QUOTAS, AclOperation.ALTER_CONFIGS);
        map.put(ApiKeys.DESCRIBE_CLIENT_QUOTAS, AclOperation.DESCRIBE_CONFIGS);
        map.put(ApiKeys.ALTER_USER_SCRAM_CREDENTIALS, AclOperation.ALTER);
        map.put(ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS, AclOperation.DESCRIBE);
        map.put(ApiKeys.UPDATE_FEATURES, AclOperation.ALTER);
        return map;
    }

    /** A handler behind a cluster check. */
    private record Guarded<R extends AbstractRequest>(ApiHandler<R> handler, AclOperation operation,
            Authorization authorization, RequestChecks checks) implements WrappingApiHandler<R> {

        @Override
        public CompletableFuture<AbstractResponse> handle(RequestContext context, R request) {
            if (operation != null && !authorization.cluster(context, operation)) {
                return CompletableFuture.failedFuture(new ClusterAuthorizationException(
                        "Cluster authorization failed: " + operation + " on the cluster is not allowed"));
            }
            ApiException refused = checks.check(context, request);
            if (refused != null) {
                return CompletableFuture.failedFuture(refused);
            }
            PerResourceAnswers.Split split = checks.split(context, request);
            CompletableFuture<AbstractResponse> response;
            if (split == null) {
                response = handler.handle(context, request);
            } else if (split.remaining() == null) {
                response = CompletableFuture.completedFuture(split.complete().apply(null));
            } else {
                @SuppressWarnings("unchecked")
                R remaining = (R) split.remaining();
                response = handler.handle(context, remaining).thenApply(split.complete());
            }
            return checks.filters(apiKey()) ? response.thenApply(r -> checks.filter(context, request, r)) : response;
        }
    }
}
