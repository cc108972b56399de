package io.brook.server.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.CommonClientConfigs;

import picocli.CommandLine.Option;

/**
 * The options every client command shares to reach a cluster: {@code --bootstrap-server} (else
 * {@code $BROOK_BROKERS}, else {@code localhost:9092}), {@code --command-config FILE} with Kafka client properties
 * (security settings, as Kafka's own tools take them) and {@code -X key=value} overrides, which win. A picocli mixin;
 * not thread-safe (filled once by the parser).
 */
public final class ConnectionOptions {

    /** The environment variable naming the default bootstrap servers. */
    public static final String BROOK_BROKERS = "BROOK_BROKERS";
    public static final String DEFAULT_BOOTSTRAP = "localhost:9092";

    @Option(names = {"-b",
            "--bootstrap-server"}, paramLabel = "host:port[,host:port...]", description = "Where to reach the cluster (default: $BROOK_BROKERS, else "
                    + DEFAULT_BOOTSTRAP + ").")
    private String bootstrapServer;

    @Option(names = "--command-config", paramLabel = "FILE", description = "Kafka client properties (security.protocol, sasl.jaas.config, ssl.*...).")
    private Path commandConfig;

    @Option(names = "-X", paramLabel = "key=value", description = "A Kafka client property; wins over --command-config. Repeatable.")
    private Map<String, String> overrides = new LinkedHashMap<>();

    /** The bootstrap servers: the option, else {@code $BROOK_BROKERS}, else {@code localhost:9092}. */
    public String bootstrapServers(Map<String, String> env) {
        if (bootstrapServer != null && !bootstrapServer.isBlank()) {
            return bootstrapServer;
        }
        String fromEnv = env.get(BROOK_BROKERS);
        return fromEnv != null && !fromEnv.isBlank() ? fromEnv : DEFAULT_BOOTSTRAP;
    }

    /**
     * The client configuration: {@code defaults}, then the bootstrap servers, then {@code --command-config}, then
     * {@code -X}; later ones win.
     *
     * @throws CliException when the command config file cannot be read
     */
    public Map<String, Object> clientConfig(Map<String, String> env, Map<String, Object> defaults) {
        Map<String, Object> config = new HashMap<>(defaults);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(env));
        if (commandConfig != null) {
            Properties props = new Properties();
            try (Reader reader = Files.newBufferedReader(commandConfig, StandardCharsets.UTF_8)) {
                props.load(reader);
            } catch (IOException e) {
                throw new CliException("cannot read --command-config " + commandConfig + ": " + e.getMessage());
            }
            props.stringPropertyNames().forEach(name -> config.put(name, props.getProperty(name)));
        }
        config.putAll(overrides);
        return config;
    }
}
