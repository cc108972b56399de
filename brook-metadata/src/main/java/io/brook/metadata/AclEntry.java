package io.brook.metadata;

import java.util.Comparator;
import java.util.Objects;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * One ACL as the cluster metadata stores it: Kafka's {@link AclBinding} flattened into a record so that it encodes as
 * plain JSON. The pattern type is LITERAL or PREFIXED, the operation and permission are concrete (never ANY or
 * UNKNOWN); handlers validate that before a CreateAcls command is built. Immutable.
 *
 * @param principal {@code type:name}, e.g. {@code User:alice}, or {@code User:*} for every user
 * @param host the client host, or {@code *} for every host
 */
public record AclEntry(ResourceType resourceType, String resourceName, PatternType patternType, String principal,
        String host, AclOperation operation, AclPermissionType permissionType) {

    /** The host of an ACL that applies from every host. */
    public static final String ANY_HOST = "*";

    /** A total order, so that snapshots and descriptions list ACLs the same way on every node. */
    public static final Comparator<AclEntry> ORDER = Comparator.comparing(AclEntry::resourceType)
            .thenComparing(AclEntry::resourceName).thenComparing(AclEntry::patternType)
            .thenComparing(AclEntry::principal).thenComparing(AclEntry::host).thenComparing(AclEntry::operation)
            .thenComparing(AclEntry::permissionType);

    public AclEntry {
        Objects.requireNonNull(resourceType, "resourceType");
        Objects.requireNonNull(resourceName, "resourceName");
        Objects.requireNonNull(patternType, "patternType");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(permissionType, "permissionType");
    }

    public static AclEntry of(AclBinding binding) {
        ResourcePattern pattern = binding.pattern();
        AccessControlEntry entry = binding.entry();
        return new AclEntry(pattern.resourceType(), pattern.name(), pattern.patternType(), entry.principal(),
                entry.host(), entry.operation(), entry.permissionType());
    }

    public AclBinding toBinding() {
        return new AclBinding(new ResourcePattern(resourceType, resourceName, patternType),
                new AccessControlEntry(principal, host, operation, permissionType));
    }
}
