package io.brook.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;

import io.brook.broker.config.BrokerConfig;

/**
 * Writes {@code docs/configuration.md} from {@link BrokerConfig#definition()}, so the docs cannot drift from the
 * code ({@code ConfigurationDocTest} fails when the committed file is stale). Stateless.
 */
public final class ConfigDocGenerator {

    static final String REGENERATE_COMMAND = "mvn -q -B test -pl brook-server -am -Dtest=ConfigurationDocTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dbrook.docs.regenerate=true";

    private ConfigDocGenerator() {
    }

    /** Writes the document to the path given as the only argument. */
    public static void main(String[] args) throws IOException {
        Files.writeString(Path.of(args[0]), generate(), StandardCharsets.UTF_8);
    }

    public static String generate() {
        ConfigDef definition = BrokerConfig.definition();
        Map<String, List<ConfigDef.ConfigKey>> groups = new LinkedHashMap<>();
        for (ConfigDef.ConfigKey key : definition.configKeys().values()) {
            groups.computeIfAbsent(key.group, g -> new ArrayList<>()).add(key);
        }
        StringBuilder md = new StringBuilder();
        md.append("# Brook configuration\n\n");
        md.append("<!-- Generated from BrokerConfig by io.brook.server.ConfigDocGenerator: do not edit by hand.\n");
        md.append("     Regenerate with: ").append(REGENERATE_COMMAND).append(" -->\n\n");
        md.append("Brook reads Kafka's own broker property names, from the file given to `bin/brook server` and\n");
        md.append("from `--override name=value` options (which win over the file). Every setting is validated at\n");
        md.append("start-up: an unknown name or an invalid value stops the broker with a message naming it.\n\n");
        md.append("Brook's defaults are Kafka 4.4's, except where one command must start a working single node:\n");
        md.append("`node.id` (1), `process.roles` (broker,controller), `listeners` (PLAINTEXT://localhost:9092)\n");
        md.append("and `log.dir` (./data).\n\n");
        md.append("The **Status** column is honest about what Brook does today: *supported* settings are acted on;\n");
        md.append("settings *accepted, not acted on yet* are parsed and validated so a Kafka `server.properties`\n");
        md.append("carries over, but have no effect.\n\n");
        md.append("## Accepted, not acted on yet\n\n");
        for (String name : BrokerConfig.notActedOn()) {
            md.append("- `").append(name).append("`: ")
                    .append(BrokerConfig.status(name).substring(BrokerConfig.STATUS_NOT_ACTED_ON.length() + 2))
                    .append('\n');
        }
        for (Map.Entry<String, List<ConfigDef.ConfigKey>> group : groups.entrySet()) {
            md.append("\n## ").append(group.getKey()).append("\n\n");
            md.append("| Name | Type | Default | Valid values | Status | Description |\n");
            md.append("|---|---|---|---|---|---|\n");
            for (ConfigDef.ConfigKey key : group.getValue()) {
                md.append("| `").append(key.name).append("` | ").append(key.type.toString().toLowerCase(Locale.ROOT))
                        .append(" | ").append(cell(defaultValue(key))).append(" | ")
                        .append(cell(key.validator == null ? "" : key.validator.toString())).append(" | ")
                        .append(cell(BrokerConfig.status(key.name).startsWith(BrokerConfig.STATUS_SUPPORTED)
                                ? BrokerConfig.STATUS_SUPPORTED
                                : BrokerConfig.STATUS_NOT_ACTED_ON))
                        .append(" | ").append(cell(key.documentation)).append(" |\n");
            }
        }
        return md.toString();
    }

    private static String defaultValue(ConfigDef.ConfigKey key) {
        if (!key.hasDefault() || key.defaultValue == null) {
            return "(none)";
        }
        Object value = key.defaultValue;
        String text = value instanceof List<?> list
                ? String.join(",", list.stream().map(String::valueOf).toList())
                : String.valueOf(value);
        return text.isEmpty() ? "\"\"" : "`" + text + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
