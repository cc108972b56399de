package io.brook.server.cli.topic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.brook.server.cli.CliContext;
import io.brook.server.cli.CliErrors;
import io.brook.server.cli.CliException;
import io.brook.server.cli.ClientCommand;
import io.brook.server.cli.FormatOption;
import io.brook.server.cli.Json;
import io.brook.server.cli.KeyValue;
import io.brook.server.cli.OutputFormat;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code brook topic alter-config NAME [--set k=v]... [--delete k]...}: an incremental change, so configs not named
 * are kept; a deleted config falls back to the broker default.
 */
@Command(name = "alter-config", description = "Set or delete configs of a topic.")
public final class TopicAlterConfigCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The topic.")
    private String name;

    @Option(names = {"-s", "--set"}, paramLabel = "key=value", description = "A config to set. Repeatable.")
    private List<String> set = new ArrayList<>();

    @Option(names = {"-d",
            "--delete"}, paramLabel = "key", description = "A config to delete (back to the default). Repeatable.")
    private List<String> delete = new ArrayList<>();

    @Mixin
    private FormatOption format;

    public TopicAlterConfigCommand(CliContext context) {
        super(context);
    }

    @Override
    protected int run(Admin admin) throws Exception {
        if (set.isEmpty() && delete.isEmpty()) {
            throw CliException.usage("nothing to change: give --set key=value or --delete key");
        }
        List<AlterConfigOp> ops = new ArrayList<>();
        for (String text : set) {
            KeyValue kv = KeyValue.parse(text, "--set");
            ops.add(new AlterConfigOp(new ConfigEntry(kv.key(), kv.value()), AlterConfigOp.OpType.SET));
        }
        for (String key : delete) {
            ops.add(new AlterConfigOp(new ConfigEntry(key, null), AlterConfigOp.OpType.DELETE));
        }
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
        try {
            await(admin.incrementalAlterConfigs(Map.of(resource, ops)).all());
        } catch (UnknownTopicOrPartitionException e) {
            throw CliErrors.unknownTopic(name);
        }
        if (format.format() == OutputFormat.JSON) {
            ObjectNode result = Json.MAPPER.createObjectNode().put("topic", name);
            ObjectNode setConfigs = result.putObject("set");
            set.stream().map(text -> KeyValue.parse(text, "--set")).forEach(kv -> setConfigs.put(kv.key(), kv.value()));
            delete.forEach(result.putArray("deleted")::add);
            Json.print(result, out());
        }
        err().println("altered " + ops.size() + " config(s) of topic '" + name + "'");
        err().flush();
        return 0;
    }
}
