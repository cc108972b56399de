package io.brook.broker.authz;

import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.utils.Utils;

import io.brook.broker.BrokerContext;
import io.brook.broker.BrokerServices;
import io.brook.broker.api.RequestContext;

/**
 * What handlers ask before acting: may this request's principal, from its host, do this operation on this resource?
 * Without an authorizer ({@link #ALLOW_ALL}) every answer is yes, as in Kafka without {@code authorizer.class.name}.
 * Handlers get it once with {@link #of(BrokerContext)}; the broker registers the configured one in
 * {@link io.brook.broker.BrokerServices} before it builds the handler families.
 *
 * <p>Immutable; thread-safe (the authorizer behind it is).
 */
public final class Authorization {

    /** Kafka's name of the single cluster resource. */
    public static final String CLUSTER_NAME = "kafka-cluster";

    public static final Authorization ALLOW_ALL = new Authorization(null);

    /** The operations each resource type supports, for the authorized_operations bit fields. */
    private static final Map<ResourceType, List<AclOperation>> SUPPORTED = supportedOperations();

    private final AclAuthorizer authorizer;

    public Authorization(AclAuthorizer authorizer) {
        this.authorizer = authorizer;
    }

    /** The broker's authorization, or {@link #ALLOW_ALL} when none is registered (no authorizer, or tests). */
    public static Authorization of(BrokerContext context) {
        return of(context.services());
    }

    public static Authorization of(BrokerServices services) {
        return services.find(Authorization.class).orElse(ALLOW_ALL);
    }

    public boolean enabled() {
        return authorizer != null;
    }

    public boolean allowed(RequestContext request, AclOperation operation, ResourceType type, String name) {
        return authorizer == null
                || authorizer.authorize(request.principal(), request.clientAddress(), operation, type, name);
    }

    public boolean topic(RequestContext request, AclOperation operation, String topic) {
        return allowed(request, operation, ResourceType.TOPIC, topic);
    }

    public boolean group(RequestContext request, AclOperation operation, String groupId) {
        return allowed(request, operation, ResourceType.GROUP, groupId);
    }

    public boolean transactionalId(RequestContext request, AclOperation operation, String transactionalId) {
        return allowed(request, operation, ResourceType.TRANSACTIONAL_ID, transactionalId);
    }

    public boolean cluster(RequestContext request, AclOperation operation) {
        return allowed(request, operation, ResourceType.CLUSTER, CLUSTER_NAME);
    }

    /** Whether the operation is allowed on at least one resource of the type (Kafka's authorizeByResourceType). */
    public boolean anyOf(RequestContext request, AclOperation operation, ResourceType type) {
        return authorizer == null
                || authorizer.authorizeAny(request.principal(), request.clientAddress(), operation, type);
    }

    /**
     * The authorized_operations bit field of Metadata, DescribeGroups and DescribeCluster: the operations of the
     * resource type that are allowed (all of them without an authorizer).
     */
    public int authorizedOperations(RequestContext request, ResourceType type, String name) {
        Set<Byte> codes = new LinkedHashSet<>();
        for (AclOperation operation : SUPPORTED.getOrDefault(type, List.of())) {
            if (allowed(request, operation, type, name)) {
                codes.add(operation.code());
            }
        }
        return Utils.to32BitField(codes);
    }

    /** The cluster's authorized_operations: none unless DESCRIBE is allowed, as Kafka answers. */
    public int clusterOperations(RequestContext request) {
        return cluster(request, AclOperation.DESCRIBE)
                ? authorizedOperations(request, ResourceType.CLUSTER, CLUSTER_NAME)
                : 0;
    }

    private static Map<ResourceType, List<AclOperation>> supportedOperations() {
        Map<ResourceType, List<AclOperation>> map = new EnumMap<>(ResourceType.class);
        map.put(ResourceType.TOPIC, List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE,
                AclOperation.DELETE, AclOperation.ALTER, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS,
                AclOperation.ALTER_CONFIGS));
        map.put(ResourceType.GROUP, List.of(AclOperation.READ, AclOperation.DESCRIBE, AclOperation.DELETE));
        map.put(ResourceType.CLUSTER, List.of(AclOperation.CREATE, AclOperation.CLUSTER_ACTION,
                AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS, AclOperation.IDEMPOTENT_WRITE,
                AclOperation.ALTER, AclOperation.DESCRIBE));
        map.put(ResourceType.TRANSACTIONAL_ID, List.of(AclOperation.DESCRIBE, AclOperation.WRITE));
        map.put(ResourceType.DELEGATION_TOKEN, List.of(AclOperation.DESCRIBE));
        return map;
    }
}
