package io.brook.server.cli.topic;

import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import io.brook.server.cli.CliContext;
import io.brook.server.cli.CliErrors;
import io.brook.server.cli.CliException;
import io.brook.server.cli.ClientCommand;
import io.brook.server.cli.FormatOption;
import io.brook.server.cli.Json;
import io.brook.server.cli.OutputFormat;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code brook topic add-partitions NAME --num N}: adds N partitions to the topic. */
@Command(name = "add-partitions", description = "Add partitions to a topic.")
public final class TopicAddPartitionsCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The topic.")
    private String name;

    @Option(names = {"-n", "--num"}, required = true, paramLabel = "N", description = "How many partitions to add.")
    private int num;

    @Mixin
    private FormatOption format;

    public TopicAddPartitionsCommand(CliContext context) {
        super(context);
    }

    @Override
    protected int run(Admin admin) throws Exception {
        if (num < 1) {
            throw CliException.usage("--num must be at least 1, got " + num);
        }
        int current;
        try {
            current = await(admin.describeTopics(java.util.List.of(name)).allTopicNames()).get(name).partitions()
                    .size();
            await(admin.createPartitions(Map.of(name, NewPartitions.increaseTo(current + num))).all());
        } catch (UnknownTopicOrPartitionException e) {
            throw CliErrors.unknownTopic(name);
        }
        if (format.format() == OutputFormat.JSON) {
            Json.print(Json.MAPPER.createObjectNode().put("topic", name).put("partitions", current + num), out());
        }
        err().println("topic '" + name + "' now has " + (current + num) + " partitions");
        err().flush();
        return 0;
    }
}
