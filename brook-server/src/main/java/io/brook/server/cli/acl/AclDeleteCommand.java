package io.brook.server.cli.acl;

import java.util.Collection;
import java.util.List;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;

import io.brook.server.cli.CliContext;
import io.brook.server.cli.CliException;
import io.brook.server.cli.ClientCommand;
import io.brook.server.cli.FormatOption;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code brook acl delete [filter options]}: deletes the ACLs matching the fields and prints them. At least a
 * principal or a resource is required, so that a bare {@code delete} cannot wipe every ACL by mistake.
 */
@Command(name = "delete", description = "Delete the ACLs matching the given fields.")
public final class AclDeleteCommand extends ClientCommand {

    @Mixin
    private AclOptions acl;

    @Mixin
    private FormatOption format;

    public AclDeleteCommand(CliContext context) {
        super(context);
    }

    @Override
    protected int run(Admin admin) throws Exception {
        if (acl.principal == null && acl.resourceType == null && acl.resourceName == null) {
            throw CliException.usage("give at least --principal, --resource-type or --resource-name to delete ACLs");
        }
        Collection<AclBinding> deleted = await(admin.deleteAcls(List.of(acl.filter())).all());
        AclRows.table(deleted).print(format.format(), out());
        err().println("deleted " + deleted.size() + " ACL(s)");
        err().flush();
        return 0;
    }
}
