package io.brook.server.cli.topic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import io.brook.server.cli.CliContext;
import io.brook.server.cli.CliException;
import io.brook.server.cli.ClientCommand;
import io.brook.server.cli.FormatOption;
import io.brook.server.cli.KeyValue;
import io.brook.server.cli.Table;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code brook topic create NAME... [--partitions N] [--replicas R] [--config k=v]...}. */
@Command(name = "create", description = "Create topics.")
public final class TopicCreateCommand extends ClientCommand {

    @Parameters(arity = "1..*", paramLabel = "NAME", description = "The topics to create.")
    private List<String> names = new ArrayList<>();

    @Option(names = {"-p",
            "--partitions"}, paramLabel = "N", description = "Partitions (default: the broker's num.partitions).")
    private Integer partitions;

    @Option(names = {"-r",
            "--replicas"}, paramLabel = "R", description = "Replication factor (default: the broker's default.replication.factor).")
    private Short replicas;

    @Option(names = {"-c",
            "--config"}, paramLabel = "key=value", description = "A topic config, e.g. retention.ms=60000. Repeatable.")
    private List<String> configs = new ArrayList<>();

    @Mixin
    private FormatOption format;

    public TopicCreateCommand(CliContext context) {
        super(context);
    }

    @Override
    protected int run(Admin admin) throws Exception {
        if (partitions != null && partitions < 1) {
            throw CliException.usage("--partitions must be at least 1, got " + partitions);
        }
        Map<String, String> topicConfigs = new LinkedHashMap<>();
        for (String config : configs) {
            KeyValue kv = KeyValue.parse(config, "--config");
            topicConfigs.put(kv.key(), kv.value());
        }
        List<NewTopic> topics = names.stream()
                .map(n -> new NewTopic(n, Optional.ofNullable(partitions), Optional.ofNullable(replicas))
                        .configs(topicConfigs))
                .toList();
        var result = admin.createTopics(topics);
        Table table = Table.withColumns("topic", "status");
        int exit = 0;
        for (String name : names) {
            try {
                await(result.values().get(name));
                table.row(name, "created");
            } catch (TopicExistsException e) {
                table.row(name, "already exists");
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
