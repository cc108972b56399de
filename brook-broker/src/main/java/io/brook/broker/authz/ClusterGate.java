package io.brook.broker.authz;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;

/**
 * The APIs Kafka authorizes as a whole against the cluster resource: the request is refused with
 * CLUSTER_AUTHORIZATION_FAILED (in the API's own error shape) before its handler runs. Per-resource checks stay in
 * the handlers. Stateless apart from the {@link Authorization}; thread-safe.
 */
public final class ClusterGate {

    private static final Map<ApiKeys, AclOperation> CLUSTER_OPERATION = clusterOperations();

    private ClusterGate() {
    }

    /** The handlers, each API that needs a cluster operation wrapped in its check. */
    public static List<ApiHandler<?>> guard(List<? extends ApiHandler<?>> handlers, Authorization authorization) {
        if (!authorization.enabled()) {
            return List.copyOf(handlers);
        }
        return handlers.stream().<ApiHandler<?>>map(h -> {
            AclOperation operation = CLUSTER_OPERATION.get(h.apiKey());
            return operation == null ? h : new Guarded<>(h, operation, authorization);
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
            Authorization authorization) implements ApiHandler<R> {

        @Override
        public ApiKeys apiKey() {
            return handler.apiKey();
        }

        @Override
        public short minVersion() {
            return handler.minVersion();
        }

        @Override
        public short maxVersion() {
            return handler.maxVersion();
        }

        @Override
        public CompletableFuture<AbstractResponse> handle(RequestContext context, R request) {
            if (!authorization.cluster(context, operation)) {
                return CompletableFuture.failedFuture(new ClusterAuthorizationException(
                        "Cluster authorization failed: " + operation + " on the cluster is not allowed"));
            }
            return handler.handle(context, request);
        }
    }
}
