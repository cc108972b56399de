package io.brook.server.cli.topic;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DeleteTopicsResult;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import io.brook.server.cli.CliContext;
import io.brook.server.cli.CliErrors;
import io.brook.server.cli.CliException;
import io.brook.server.cli.ClientCommand;
import io.brook.server.cli.FormatOption;
import io.brook.server.cli.Table;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code brook topic delete NAME...}: one row per topic; exits 1 when any could not be deleted. */
@Command(name = "delete", description = "Delete topics.")
public final class TopicDeleteCommand extends ClientCommand {

    @Parameters(arity = "1..*", paramLabel = "NAME", description = "The topics to delete.")
    private List<String> names = new ArrayList<>();

    @Mixin
    private FormatOption format;

    public TopicDeleteCommand(CliContext context) {
        super(context);
    }

    @Override
    protected int run(Admin admin) throws Exception {
        DeleteTopicsResult result = admin.deleteTopics(names);
        Table table = Table.withColumns("topic", "status");
        int exit = 0;
        for (String name : names) {
            try {
                await(result.topicNameValues().get(name));
                table.row(name, "deleted");
            } catch (UnknownTopicOrPartitionException e) {
                table.row(name, CliErrors.unknownTopic(name).getMessage());
                exit = CliException.FAILED;
            } catch (org.apache.kafka.common.errors.ApiException e) {
                table.row(name, e.getMessage());
                exit = CliException.FAILED;
            }
        }
        table.print(format.format(), out());
        return exit;
    }
}
