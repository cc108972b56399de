package io.brook.server.cli.group;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.common.GroupType;

import io.brook.server.cli.CliContext;
import io.brook.server.cli.ClientCommand;
import io.brook.server.cli.FormatOption;
import io.brook.server.cli.Table;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code brook group list}: every group with its state, type (classic, consumer...) and member count. */
@Command(name = "list", aliases = "ls", description = "List groups with their state, type and members.")
public final class GroupListCommand extends ClientCommand {

    @Mixin
    private FormatOption format;

    public GroupListCommand(CliContext context) {
        super(context);
    }

    @Override
    protected int run(Admin admin) throws Exception {
        Collection<GroupListing> groups = await(admin.listGroups().all());
        // Member counts come from describing the consumer groups (classic or consumer protocol).
        List<String> consumerGroups = groups.stream()
                .filter(g -> g.type().map(t -> t == GroupType.CLASSIC || t == GroupType.CONSUMER).orElse(true))
                .map(GroupListing::groupId).toList();
        Map<String, ConsumerGroupDescription> descriptions = consumerGroups.isEmpty()
                ? Map.of()
                : await(admin.describeConsumerGroups(consumerGroups).all());
        Table table = Table.withColumns("group", "state", "type", "members");
        groups.stream().sorted(Comparator.comparing(GroupListing::groupId)).forEach(g -> {
            ConsumerGroupDescription d = descriptions.get(g.groupId());
            table.row(g.groupId(), g.groupState().map(Object::toString).orElse(null),
                    g.type().map(Object::toString).orElse(null), d == null ? null : d.members().size());
        });
        table.print(format.format(), out());
        return 0;
    }
}
