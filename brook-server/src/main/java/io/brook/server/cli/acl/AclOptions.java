package io.brook.server.cli.acl;

import java.util.Locale;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

import io.brook.server.cli.CliException;

import picocli.CommandLine.Option;

/**
 * The fields of an ACL, with Kafka's names (resource types TOPIC, GROUP, CLUSTER, TRANSACTIONAL_ID...; operations
 * READ, WRITE, DESCRIBE...; patterns LITERAL, PREFIXED). A picocli mixin; as a filter (list, delete) an absent field
 * matches any value. Not thread-safe (filled once by the parser).
 */
public final class AclOptions {

    @Option(names = "--principal", paramLabel = "User:NAME", description = "The principal, e.g. User:alice.")
    String principal;

    @Option(names = "--host", paramLabel = "HOST", description = "The client host (create default: *, any).")
    String host;

    @Option(names = "--resource-type", paramLabel = "TYPE", description = "TOPIC, GROUP, CLUSTER, TRANSACTIONAL_ID or DELEGATION_TOKEN.")
    String resourceType;

    @Option(names = "--resource-name", paramLabel = "NAME", description = "The resource name (kafka-cluster for CLUSTER; * for all).")
    String resourceName;

    @Option(names = "--pattern", paramLabel = "TYPE", description = "LITERAL or PREFIXED (create default: LITERAL).")
    String pattern;

    @Option(names = "--operation", paramLabel = "OP", description = "READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE or ALL.")
    String operation;

    @Option(names = "--permission", paramLabel = "ALLOW|DENY", description = "ALLOW or DENY (create default: ALLOW).")
    String permission;

    /** The filter matching the given fields, any value for the others. */
    AclBindingFilter filter() {
        ResourcePatternFilter resource = new ResourcePatternFilter(
                resourceType == null ? ResourceType.ANY : parse(ResourceType.class, resourceType, "--resource-type"),
                resourceName,
                pattern == null ? PatternType.ANY : parse(PatternType.class, pattern, "--pattern"));
        AccessControlEntryFilter entry = new AccessControlEntryFilter(principal, host,
                operation == null ? AclOperation.ANY : parse(AclOperation.class, operation, "--operation"),
                permission == null
                        ? AclPermissionType.ANY
                        : parse(AclPermissionType.class, permission, "--permission"));
        return new AclBindingFilter(resource, entry);
    }

    /** One ACL from the fields; principal, resource type and name, and operation are required. */
    AclBinding binding() {
        if (principal == null || resourceType == null || resourceName == null || operation == null) {
            throw CliException.usage(
                    "an ACL needs --principal, --resource-type, --resource-name and --operation");
        }
        if (!principal.contains(":")) {
            throw CliException.usage("--principal takes TYPE:NAME, e.g. User:alice, got '" + principal + "'");
        }
        ResourcePattern resource = new ResourcePattern(parse(ResourceType.class, resourceType, "--resource-type"),
                resourceName, pattern == null ? PatternType.LITERAL : parse(PatternType.class, pattern, "--pattern"));
        AccessControlEntry entry = new AccessControlEntry(principal, host == null ? "*" : host,
                parse(AclOperation.class, operation, "--operation"),
                permission == null
                        ? AclPermissionType.ALLOW
                        : parse(AclPermissionType.class, permission, "--permission"));
        return new AclBinding(resource, entry);
    }

    static <E extends Enum<E>> E parse(Class<E> type, String text, String option) {
        try {
            E value = Enum.valueOf(type, text.toUpperCase(Locale.ROOT).replace('-', '_'));
            if (value.name().equals("UNKNOWN")) {
                throw new IllegalArgumentException();
            }
            return value;
        } catch (IllegalArgumentException e) {
            throw CliException.usage(option + ": '" + text + "' is not one of " + java.util.Arrays
                    .stream(type.getEnumConstants()).filter(c -> !c.name().equals("UNKNOWN")).toList());
        }
    }
}
