package io.brook.server.cli.group;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DeleteConsumerGroupsResult;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;

import io.brook.server.cli.CliContext;
import io.brook.server.cli.CliErrors;
import io.brook.server.cli.CliException;
import io.brook.server.cli.ClientCommand;
import io.brook.server.cli.FormatOption;
import io.brook.server.cli.Table;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code brook group delete G...}: one row per group; exits 1 when any could not be deleted. */
@Command(name = "delete", description = "Delete groups (they must have no active members).")
public final class GroupDeleteCommand extends ClientCommand {

    @Parameters(arity = "1..*", paramLabel = "GROUP", description = "The groups to delete.")
    private List<String> groups = new ArrayList<>();

    @Mixin
    private FormatOption format;

    public GroupDeleteCommand(CliContext context) {
        super(context);
    }

    @Override
    protected int run(Admin admin) throws Exception {
        DeleteConsumerGroupsResult result = admin.deleteConsumerGroups(groups);
        Table table = Table.withColumns("group", "status");
        int exit = 0;
        for (String group : groups) {
            try {
                await(result.deletedGroups().get(group));
                table.row(group, "deleted");
            } catch (GroupIdNotFoundException e) {
                table.row(group, CliErrors.unknownGroup(group).getMessage());
                exit = CliException.FAILED;
            } catch (GroupNotEmptyException e) {
                table.row(group, "group '" + group + "' has active members; stop its consumers first");
                exit = CliException.FAILED;
            } catch (org.apache.kafka.common.errors.ApiException e) {
                table.row(group, e.getMessage());
                exit = CliException.FAILED;
            }
        }
        table.print(format.format(), out());
        return exit;
    }
}
