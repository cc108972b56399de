package io.brook.server.cli.group;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import io.brook.server.cli.CliContext;
import io.brook.server.cli.CliErrors;
import io.brook.server.cli.CliException;
import io.brook.server.cli.ClientCommand;
import io.brook.server.cli.FormatOption;
import io.brook.server.cli.Table;
import io.brook.server.cli.Times;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code brook group reset-offsets G --topic T (--to-earliest|--to-latest|--to-offset N|--to-datetime T|--shift-by N)
 * [--execute]}: prints the planned offsets and, only with {@code --execute}, commits them. Refuses a group with
 * active members, whose consumers would overwrite the reset.
 */
@Command(name = "reset-offsets", description = "Plan (and with --execute, apply) new committed offsets for a group.")
public final class GroupResetOffsetsCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "GROUP", description = "The group.")
    private String group;

    @Option(names = {"-t",
            "--topic"}, required = true, paramLabel = "TOPIC", description = "The topic whose offsets to reset (all its partitions).")
    private String topic;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Target target;

    @Option(names = "--execute", description = "Apply the plan (default: a dry run that only prints it).")
    private boolean execute;

    @Mixin
    private FormatOption format;

    static final class Target {
        @Option(names = "--to-earliest", description = "To the earliest offset.")
        boolean earliest;
        @Option(names = "--to-latest", description = "To the end.")
        boolean latest;
        @Option(names = "--to-offset", paramLabel = "N", description = "To offset N.")
        Long offset;
        @Option(names = "--to-datetime", paramLabel = "ISO-8601|epoch-ms", description = "To the first record at or after this time.")
        String datetime;
        @Option(names = "--shift-by", paramLabel = "N", description = "By N from the committed offset (negative goes back).")
        Long shift;

        ResetTarget resolve() {
            if (earliest) {
                return new ResetTarget(ResetTarget.Kind.EARLIEST, 0);
            }
            if (latest) {
                return new ResetTarget(ResetTarget.Kind.LATEST, 0);
            }
            if (offset != null) {
                return new ResetTarget(ResetTarget.Kind.OFFSET, offset);
            }
            if (datetime != null) {
                return new ResetTarget(ResetTarget.Kind.DATETIME,
                        Times.parse(datetime, "--to-datetime"));
            }
            return new ResetTarget(ResetTarget.Kind.SHIFT, shift);
        }
    }

    public GroupResetOffsetsCommand(CliContext context) {
        super(context);
    }

    @Override
    protected int run(Admin admin) throws Exception {
        ResetTarget reset = target.resolve();
        ConsumerGroupDescription description;
        try {
            description = await(admin.describeConsumerGroups(List.of(group)).all()).get(group);
        } catch (GroupIdNotFoundException e) {
            description = null; // a group that never existed can be given offsets, as Kafka's tool allows
        }
        if (description != null && !description.members().isEmpty()
                && description.groupState() != GroupState.EMPTY && description.groupState() != GroupState.DEAD) {
            throw new CliException("group '" + group + "' is active (" + description.groupState() + ", "
                    + description.members().size() + " member(s)); stop its consumers, then reset its offsets");
        }
        TopicDescription topicDescription;
        try {
            topicDescription = await(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
        } catch (UnknownTopicOrPartitionException e) {
            throw CliErrors.unknownTopic(topic);
        }
        List<TopicPartition> partitions = topicDescription.partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        Map<TopicPartition, OffsetAndMetadata> committed = await(
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
        Map<TopicPartition, Long> earliest = GroupOffsets.list(admin, this::await, partitions,
                p -> OffsetSpec.earliest());
        Map<TopicPartition, Long> latest = GroupOffsets.list(admin, this::await, partitions, p -> OffsetSpec.latest());
        Map<TopicPartition, Long> atTime = reset.kind() == ResetTarget.Kind.DATETIME
                ? GroupOffsets.list(admin, this::await, partitions, p -> OffsetSpec.forTimestamp(reset.value()))
                : Map.of();
        Map<TopicPartition, OffsetAndMetadata> plan = new HashMap<>();
        Table table = Table.withColumns("topic", "partition", "currentOffset", "newOffset");
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata current = committed.get(tp);
            Long found = atTime.get(tp);
            long newOffset = reset.newOffset(current == null ? null : current.offset(), earliest.get(tp),
                    latest.get(tp), found == null || found < 0 ? null : found);
            plan.put(tp, new OffsetAndMetadata(newOffset));
            table.row(tp.topic(), tp.partition(), current == null ? null : current.offset(), newOffset);
        }
        if (execute) {
            await(admin.alterConsumerGroupOffsets(group, plan).all());
        }
        table.print(format.format(), out());
        err().println(execute
                ? "reset the offsets of group '" + group + "' on " + plan.size() + " partition(s)"
                : "dry run: nothing changed; add --execute to apply");
        err().flush();
        return 0;
    }
}
