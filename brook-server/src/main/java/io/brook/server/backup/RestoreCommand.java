package io.brook.server.backup;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import io.brook.broker.config.BrokerConfig;
import io.brook.server.ServerProperties;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code brook restore --input DIR [server.properties | --config server.properties] [--override key=value]...}:
 * restores a backup made by {@code brook backup} onto the empty broker this configuration describes (its log dirs
 * and metadata), with the broker stopped; start it afterwards with {@code brook server} and the same configuration.
 *
 * <p>Exit codes: 0 once everything is restored and flushed; 1 with one line on stderr when it failed or the broker is
 * not empty; 2 for a usage error.
 */
@Command(name = "restore", description = "Restore a backup onto an empty broker (run it while the broker is stopped, then start the broker).")
public final class RestoreCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = {"-i", "--input"}, required = true, paramLabel = "DIR", description = "The backup directory.")
    private Path input;

    @Parameters(index = "0", arity = "0..1", paramLabel = "server.properties", description = "The broker's properties file (as for brook server).")
    private Path configFile;

    @Option(names = "--config", paramLabel = "server.properties", description = "The same as the positional file.")
    private Path configOption;

    @Option(names = "--override", paramLabel = "KEY=VALUE", description = "Set a property, winning over the file. Repeatable.")
    private Map<String, String> overrides = new LinkedHashMap<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (configFile != null && configOption != null) {
            err.println("Give the properties file once: positionally or with --config");
            err.flush();
            return 2;
        }
        BrokerConfig config = BrokerConfig
                .parse(ServerProperties.load(configFile != null ? configFile : configOption, overrides));
        Restorer.Summary summary;
        try {
            summary = new Restorer(config, input.toAbsolutePath(), (tp, start, end, records) -> {
                err.printf(Locale.ROOT, "%s: offsets [%d, %d), %d records restored%n", tp, start, end, records);
                err.flush();
            }).run();
        } catch (IOException | RuntimeException e) {
            err.println("Restore from " + input + " failed: "
                    + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
            err.flush();
            return 1;
        }
        out.printf(Locale.ROOT, "Restored %d topics, %d partitions, %d records (%s) from %s into %s; start the"
                + " broker with the same configuration%n", summary.topics(), summary.partitions(), summary.records(),
                BackupProgress.size(summary.bytes()), input, String.join(",", config.logDirs()));
        out.flush();
        return 0;
    }
}
