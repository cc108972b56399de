package io.brook.broker.authz;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import io.brook.metadata.AclEntry;

/**
 * The ACLs of one metadata image, indexed by resource type and then by literal name and by prefix, so that a decision
 * looks at the ACLs that can match the resource and never scans the others: one hash lookup for the literal name, one
 * for the wildcard, and one per distinct prefix length in use for that resource type.
 *
 * <p>The decision is Kafka's: a DENY that matches wins; otherwise an ALLOW that matches (directly, through ALL, or by
 * implication: DESCRIBE is implied by READ, WRITE, DELETE and ALTER, DESCRIBE_CONFIGS by ALTER_CONFIGS) allows; with
 * neither, the result is "no match", and whether any ACL at all exists on the resource decides what the authorizer
 * does with it ({@code allow.everyone.if.no.acl.found}).
 *
 * <p>Immutable; thread-safe.
 */
public final class AclIndex {

    /** The outcome for one principal, host, operation and resource. */
    public enum Decision {
        ALLOWED, DENIED,
        /** ACLs exist on the resource, but none matched this principal, host and operation. */
        NO_MATCHING_ACL,
        /** No ACL exists on the resource at all. */
        NO_ACL
    }

    public static final AclIndex EMPTY = new AclIndex(List.of());

    private static final Set<AclOperation> IMPLY_DESCRIBE = Set.of(AclOperation.READ, AclOperation.WRITE,
            AclOperation.DELETE, AclOperation.ALTER);

    private final Map<ResourceType, ByType> byType = new EnumMap<>(ResourceType.class);
    private final int size;

    /** Patterns of one resource type. */
    private static final class ByType {
        final Map<String, List<AclEntry>> literal = new HashMap<>();
        final Map<String, List<AclEntry>> prefixed = new HashMap<>();
        final TreeSet<Integer> prefixLengths = new TreeSet<>();
    }

    public AclIndex(Collection<AclEntry> acls) {
        for (AclEntry acl : acls) {
            ByType type = byType.computeIfAbsent(acl.resourceType(), t -> new ByType());
            if (acl.patternType() == PatternType.PREFIXED) {
                type.prefixed.computeIfAbsent(acl.resourceName(), n -> new ArrayList<>()).add(acl);
                type.prefixLengths.add(acl.resourceName().length());
            } else {
                type.literal.computeIfAbsent(acl.resourceName(), n -> new ArrayList<>()).add(acl);
            }
        }
        this.size = acls.size();
    }

    public int size() {
        return size;
    }

    /**
     * @param principal the principal as {@code type:name}, e.g. {@code User:alice}
     * @param principalType the principal's type, for the {@code type:*} wildcard
     * @param host the client's address
     */
    public Decision decide(String principal, String principalType, String host, AclOperation operation,
            ResourceType resourceType, String resourceName) {
        ByType type = byType.get(resourceType);
        if (type == null) {
            return Decision.NO_ACL;
        }
        Matcher matcher = new Matcher(principal, principalType + ":*", host, operation);
        matcher.visit(type.literal.get(resourceName));
        if (!resourceName.equals(ResourcePattern.WILDCARD_RESOURCE)) {
            matcher.visit(type.literal.get(ResourcePattern.WILDCARD_RESOURCE));
        }
        for (int length : type.prefixLengths) {
            if (length > resourceName.length() || matcher.denied) {
                break;
            }
            matcher.visit(type.prefixed.get(resourceName.substring(0, length)));
        }
        if (matcher.denied) {
            return Decision.DENIED;
        }
        if (matcher.allowed) {
            return Decision.ALLOWED;
        }
        return matcher.anyAcl ? Decision.NO_MATCHING_ACL : Decision.NO_ACL;
    }

    /**
     * Whether some resource of the type could be allowed: an ALLOW for the operation exists whose pattern is not
     * covered by a DENY of the same principal (Kafka's authorizeByResourceType, used for idempotent writes and
     * CreateTopics-style "any topic" questions).
     */
    public boolean anyAllowed(String principal, String principalType, String host, AclOperation operation,
            ResourceType resourceType) {
        ByType type = byType.get(resourceType);
        if (type == null) {
            return false;
        }
        List<AclEntry> candidates = new ArrayList<>();
        type.literal.values().forEach(candidates::addAll);
        type.prefixed.values().forEach(candidates::addAll);
        String wildcardPrincipal = principalType + ":*";
        for (AclEntry allow : candidates) {
            if (allow.permissionType() == AclPermissionType.ALLOW
                    && appliesTo(allow, principal, wildcardPrincipal, host)
                    && (allow.operation() == operation || allow.operation() == AclOperation.ALL)
                    && decide(principal, principalType, host, operation, resourceType,
                            allow.resourceName()) != Decision.DENIED) {
                return true;
            }
        }
        return false;
    }

    private static boolean appliesTo(AclEntry acl, String principal, String wildcardPrincipal, String host) {
        return (acl.principal().equals(principal) || acl.principal().equals(wildcardPrincipal))
                && (acl.host().equals(AclEntry.ANY_HOST) || acl.host().equals(host));
    }

    /** Accumulates the verdict over the candidate ACLs of one decision. Not thread-safe; one per decision. */
    private static final class Matcher {
        final String principal;
        final String wildcardPrincipal;
        final String host;
        final AclOperation operation;
        boolean anyAcl;
        boolean allowed;
        boolean denied;

        Matcher(String principal, String wildcardPrincipal, String host, AclOperation operation) {
            this.principal = principal;
            this.wildcardPrincipal = wildcardPrincipal;
            this.host = host;
            this.operation = operation;
        }

        void visit(List<AclEntry> acls) {
            if (acls == null) {
                return;
            }
            anyAcl = true;
            for (AclEntry acl : acls) {
                if (!appliesTo(acl, principal, wildcardPrincipal, host)) {
                    continue;
                }
                if (acl.permissionType() == AclPermissionType.DENY) {
                    // A DENY covers only its own operation (and ALL), never the operations it would imply.
                    if (acl.operation() == operation || acl.operation() == AclOperation.ALL) {
                        denied = true;
                        return;
                    }
                } else if (grants(acl.operation(), operation)) {
                    allowed = true;
                }
            }
        }

        private static boolean grants(AclOperation granted, AclOperation wanted) {
            return granted == wanted || granted == AclOperation.ALL
                    || (wanted == AclOperation.DESCRIBE && IMPLY_DESCRIBE.contains(granted))
                    || (wanted == AclOperation.DESCRIBE_CONFIGS && granted == AclOperation.ALTER_CONFIGS);
        }
    }
}
