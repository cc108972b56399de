package io.brook.server.cli.topic;

import java.util.Collection;
import java.util.Comparator;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TopicListing;

import io.brook.server.cli.CliContext;
import io.brook.server.cli.ClientCommand;
import io.brook.server.cli.FormatOption;
import io.brook.server.cli.Table;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code brook topic list [--internal]}: name, partitions and replicas of each topic, sorted by name. */
@Command(name = "list", aliases = "ls", description = "List topics (internal ones with --internal).")
public final class TopicListCommand extends ClientCommand {

    @Option(names = {"-i", "--internal"}, description = "Show internal topics too (__consumer_offsets...).")
    private boolean internal;

    @Mixin
    private FormatOption format;

    public TopicListCommand(CliContext context) {
        super(context);
    }

    @Override
    protected int run(Admin admin) throws Exception {
        Collection<TopicListing> listings = await(
                admin.listTopics(new ListTopicsOptions().listInternal(internal)).listings());
        Map<String, TopicDescription> descriptions = await(
                admin.describeTopics(listings.stream().map(TopicListing::name).toList()).allTopicNames());
        Table table = Table.withColumns("name", "partitions", "replicas");
        descriptions.values().stream().sorted(Comparator.comparing(TopicDescription::name))
                .forEach(d -> table.row(d.name(), d.partitions().size(),
                        d.partitions().isEmpty() ? 0 : d.partitions().get(0).replicas().size()));
        table.print(format.format(), out());
        return 0;
    }
}
