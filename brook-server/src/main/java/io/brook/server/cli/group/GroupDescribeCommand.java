package io.brook.server.cli.group;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.brook.server.cli.CliContext;
import io.brook.server.cli.CliErrors;
import io.brook.server.cli.ClientCommand;
import io.brook.server.cli.FormatOption;
import io.brook.server.cli.Json;
import io.brook.server.cli.OutputFormat;
import io.brook.server.cli.Table;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code brook group describe G}: the group's state and members with their assignments, then per partition the
 * committed offset, the end offset and the lag between them (as {@code kafka-consumer-groups --describe}).
 */
@Command(name = "describe", description = "Show a group's members and, per partition, committed offset, end offset and lag.")
public final class GroupDescribeCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "GROUP", description = "The group.")
    private String group;

    @Mixin
    private FormatOption format;

    public GroupDescribeCommand(CliContext context) {
        super(context);
    }

    @Override
    protected int run(Admin admin) throws Exception {
        ConsumerGroupDescription description;
        try {
            description = await(admin.describeConsumerGroups(List.of(group)).all()).get(group);
        } catch (GroupIdNotFoundException e) {
            throw CliErrors.unknownGroup(group);
        }
        Map<TopicPartition, OffsetAndMetadata> committed = await(
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
        if (description.groupState() == GroupState.DEAD && committed.isEmpty()) {
            throw CliErrors.unknownGroup(group);
        }
        Map<TopicPartition, String> owners = new HashMap<>();
        Table members = Table.withColumns("memberId", "clientId", "host", "assignment");
        for (MemberDescription m : description.members()) {
            Set<String> assigned = new TreeSet<>();
            for (TopicPartition tp : m.assignment().topicPartitions()) {
                owners.put(tp, m.consumerId());
                assigned.add(tp.topic() + "-" + tp.partition());
            }
            members.row(m.consumerId(), m.clientId(), m.host(), String.join(",", assigned));
        }
        Set<TopicPartition> partitions = new TreeSet<>(
                Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        partitions.addAll(committed.keySet());
        partitions.addAll(owners.keySet());
        Map<TopicPartition, Long> ends = GroupOffsets.list(admin, this::await, partitions, p -> OffsetSpec.latest());
        Table offsets = Table.withColumns("topic", "partition", "committedOffset", "endOffset", "lag", "memberId");
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata c = committed.get(tp);
            Long end = ends.get(tp);
            Long lag = c == null || end == null ? null : Math.max(0, end - c.offset());
            offsets.row(tp.topic(), tp.partition(), c == null ? null : c.offset(), end, lag, owners.get(tp));
        }
        if (format.format() == OutputFormat.JSON) {
            ObjectNode root = Json.MAPPER.createObjectNode();
            root.put("group", group);
            root.put("state", description.groupState().toString());
            root.put("type", description.type().toString());
            root.put("coordinator", description.coordinator() == null ? -1 : description.coordinator().id());
            root.set("members", members.toJson());
            root.set("offsets", offsets.toJson());
            Json.print(root, out());
        } else {
            out().println("Group:        " + group);
            out().println("State:        " + description.groupState());
            out().println("Type:         " + description.type());
            out().println(
                    "Coordinator:  " + (description.coordinator() == null ? "-" : description.coordinator().id()));
            out().println("Members:      " + description.members().size());
            out().println();
            if (!members.isEmpty()) {
                out().println("Members");
                members.printText(out());
                out().println();
            }
            out().println("Offsets");
            offsets.printText(out());
        }
        out().flush();
        return 0;
    }
}
