package io.brook.server.cli.topic;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

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
 * {@code brook topic describe NAME}: the topic's configs that differ from the defaults, then per partition its
 * leader, replicas, in-sync replicas and start/end offsets.
 */
@Command(name = "describe", description = "Show a topic's non-default configs and its partitions.")
public final class TopicDescribeCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The topic.")
    private String name;

    @Mixin
    private FormatOption format;

    public TopicDescribeCommand(CliContext context) {
        super(context);
    }

    @Override
    protected int run(Admin admin) throws Exception {
        TopicDescription description;
        Config config;
        try {
            description = await(admin.describeTopics(List.of(name)).allTopicNames()).get(name);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
            config = await(admin.describeConfigs(List.of(resource)).all()).get(resource);
        } catch (UnknownTopicOrPartitionException e) {
            throw CliErrors.unknownTopic(name);
        }
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (TopicPartitionInfo p : description.partitions()) {
            earliest.put(new TopicPartition(name, p.partition()), OffsetSpec.earliest());
            latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest());
        }
        Map<TopicPartition, ListOffsetsResultInfo> starts = await(admin.listOffsets(earliest).all());
        Map<TopicPartition, ListOffsetsResultInfo> ends = await(admin.listOffsets(latest).all());

        Table configs = Table.withColumns("name", "value", "source");
        config.entries().stream().filter(TopicDescribeCommand::isSet).sorted(Comparator.comparing(ConfigEntry::name))
                .forEach(e -> configs.row(e.name(), e.isSensitive() ? "(hidden)" : e.value(), source(e)));
        Table partitions = Table.withColumns("partition", "leader", "replicas", "isr", "startOffset", "endOffset");
        for (TopicPartitionInfo p : description.partitions()) {
            TopicPartition tp = new TopicPartition(name, p.partition());
            partitions.row(p.partition(), p.leader() == null || p.leader().isEmpty() ? null : p.leader().id(),
                    ids(p.replicas()), ids(p.isr()), offset(starts.get(tp)), offset(ends.get(tp)));
        }
        if (format.format() == OutputFormat.JSON) {
            ObjectNode root = Json.MAPPER.createObjectNode();
            root.put("name", name);
            root.put("topicId", description.topicId().toString());
            root.put("internal", description.isInternal());
            root.set("configs", configs.toJson());
            root.set("partitions", partitions.toJson());
            Json.print(root, out());
        } else {
            out().println("Name:        " + name);
            out().println("Topic id:    " + description.topicId());
            out().println("Partitions:  " + description.partitions().size());
            out().println("Replicas:    "
                    + (description.partitions().isEmpty() ? 0 : description.partitions().get(0).replicas().size()));
            out().println();
            out().println("Configs (differing from the defaults)");
            if (configs.isEmpty()) {
                out().println("(none)");
            } else {
                configs.printText(out());
            }
            out().println();
            out().println("Partitions");
            partitions.printText(out());
        }
        out().flush();
        return 0;
    }

    /** Set on the topic itself, rather than inherited from a broker default. */
    private static boolean isSet(ConfigEntry entry) {
        return Set.of(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, ConfigEntry.ConfigSource.UNKNOWN)
                .contains(entry.source()) && entry.value() != null;
    }

    private static String source(ConfigEntry entry) {
        return entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG ? "topic" : "unknown";
    }

    private static List<Integer> ids(List<Node> nodes) {
        return nodes.stream().map(Node::id).toList();
    }

    private static Long offset(ListOffsetsResultInfo info) {
        return info == null ? null : info.offset();
    }
}
