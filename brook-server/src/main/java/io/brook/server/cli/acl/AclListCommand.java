package io.brook.server.cli.acl;

import org.apache.kafka.clients.admin.Admin;

import io.brook.server.cli.CliContext;
import io.brook.server.cli.ClientCommand;
import io.brook.server.cli.FormatOption;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code brook acl list [filter options]}: the ACLs matching the given fields (all by default). */
@Command(name = "list", aliases = "ls", description = "List ACLs (all, or those matching the given fields).")
public final class AclListCommand extends ClientCommand {

    @Mixin
    private AclOptions acl;

    @Mixin
    private FormatOption format;

    public AclListCommand(CliContext context) {
        super(context);
    }

    @Override
    protected int run(Admin admin) throws Exception {
        AclRows.table(await(admin.describeAcls(acl.filter()).values())).print(format.format(), out());
        return 0;
    }
}
