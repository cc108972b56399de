package io.brook.server.cli.acl;

import java.util.List;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;

import io.brook.server.cli.CliContext;
import io.brook.server.cli.ClientCommand;
import io.brook.server.cli.FormatOption;
import io.brook.server.cli.OutputFormat;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code brook acl create --principal User:alice --resource-type TOPIC --resource-name t --operation READ ...}. */
@Command(name = "create", description = "Create an ACL.")
public final class AclCreateCommand extends ClientCommand {

    @Mixin
    private AclOptions acl;

    @Mixin
    private FormatOption format;

    public AclCreateCommand(CliContext context) {
        super(context);
    }

    @Override
    protected int run(Admin admin) throws Exception {
        AclBinding binding = acl.binding();
        await(admin.createAcls(List.of(binding)).all());
        if (format.format() == OutputFormat.JSON) {
            AclRows.table(List.of(binding)).print(OutputFormat.JSON, out());
        }
        err().println("created " + binding.entry().permissionType() + " " + binding.entry().operation() + " on "
                + binding.pattern().resourceType() + " '" + binding.pattern().name() + "' ("
                + binding.pattern().patternType() + ") for " + binding.entry().principal() + " from "
                + binding.entry().host());
        err().flush();
        return 0;
    }
}
