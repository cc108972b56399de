package io.brook.server.cli.acl;

import java.util.Collection;
import java.util.Comparator;

import org.apache.kafka.common.acl.AclBinding;

import io.brook.server.cli.Table;

/** ACLs as table rows, sorted by resource then principal. Stateless. */
final class AclRows {

    private AclRows() {
    }

    static Table table(Collection<AclBinding> acls) {
        Table table = Table.withColumns("principal", "host", "resourceType", "resourceName", "pattern", "operation",
                "permission");
        acls.stream()
                .sorted(Comparator.comparing((AclBinding b) -> b.pattern().resourceType().toString())
                        .thenComparing(b -> b.pattern().name()).thenComparing(b -> b.entry().principal())
                        .thenComparing(b -> b.entry().operation().toString()))
                .forEach(b -> table.row(b.entry().principal(), b.entry().host(), b.pattern().resourceType(),
                        b.pattern().name(), b.pattern().patternType(), b.entry().operation(),
                        b.entry().permissionType()));
        return table;
    }
}
