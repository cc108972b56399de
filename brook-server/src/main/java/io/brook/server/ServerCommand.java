package io.brook.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.common.Endpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.broker.config.BrokerConfig;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code brook server [server.properties] [--override key=value]...}: the same shape as Kafka's
 * {@code kafka-server-start.sh}. Parses and validates the whole configuration, starts the broker, prints where it
 * listens, and blocks until the process is asked to stop. Runs on the main thread.
 */
@Command(name = "server", description = "Start a broker (single node: broker and controller in one process).", mixinStandardHelpOptions = true, versionProvider = BrookVersion.class)
final class ServerCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ServerCommand.class);

    @Parameters(index = "0", arity = "0..1", paramLabel = "server.properties", description = "Kafka-style properties file. Without it every setting takes its default.")
    private Path configFile;

    @Option(names = "--override", paramLabel = "KEY=VALUE", description = "Set a property, winning over the file. Repeatable.")
    private Map<String, String> overrides = new LinkedHashMap<>();

    @Spec
    private CommandSpec spec;

    private final Function<BrokerConfig, RunningBroker> launcher;
    private final StopSignal stopSignal;

    ServerCommand(Function<BrokerConfig, RunningBroker> launcher, StopSignal stopSignal) {
        this.launcher = launcher;
        this.stopSignal = stopSignal;
    }

    @Override
    public Integer call() throws InterruptedException {
        long startNanos = System.nanoTime();
        BrokerConfig config = BrokerConfig.parse(ServerProperties.load(configFile, overrides));
        List<String> ignored = config.explicitlySetButNotActedOn();
        if (!ignored.isEmpty()) {
            LOG.warn("Accepted for compatibility but not acted on yet (see docs/configuration.md): {}", ignored);
        }
        RunningBroker broker = launcher.apply(config);
        long startedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        PrintWriter out = spec.commandLine().getOut();
        out.print(StartupBlock.text(config, BrookVersion.brook(), startedMs, listeningOn(config, broker),
                broker.clusterId().orElse(null), broker.httpUrls(),
                StartupWarnings.of(config, ServerCommand::fileSystemType)));
        out.flush();
        stopSignal.awaitStop(broker);
        // a broker that stopped itself (every log dir offline) ends the process with a failure status
        return broker.fatalStop().isDone() ? 1 : 0;
    }

    private static Optional<String> fileSystemType(Path dir) {
        // The directory may not exist yet on a dry run; its nearest existing parent tells the file system.
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.getFileStore(existing).type());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static String listeningOn(BrokerConfig config, RunningBroker broker) {
        // The Kafka protocol listeners; a controller listener carries the metadata quorum, not the Kafka protocol.
        return config.brokerListenerEndpoints().stream().map(e -> describe(e, broker.boundPort(e.listener())))
                .collect(Collectors.joining(", "));
    }

    private static String describe(Endpoint endpoint, int port) {
        String host = endpoint.host() == null || endpoint.host().isEmpty() ? "0.0.0.0" : endpoint.host();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return endpoint.listener() + "://" + host + ":" + port;
    }
}
