package io.brook.server.backup;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Time;

import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code brook backup --output DIR [--bootstrap-server host:port] [--topic NAME]... [--format text|json]}: copies a
 * running broker's (or cluster's) topics into DIR through the Kafka protocol; a second run into the same DIR copies
 * only what is new. Progress goes to stderr, the summary to stdout.
 *
 * <p>Exit codes: 0 when the backup completed and its manifest was written; 1 with one line on stderr when it failed
 * (the directory then still holds the previous backup, intact); 2 for a usage error.
 */
@Command(name = "backup", description = "Back up a running broker's topics, configs and committed offsets into a directory (incrementally).")
public final class BackupCommand implements Callable<Integer> {

    static final String BROOK_BROKERS = "BROOK_BROKERS";
    static final String DEFAULT_BOOTSTRAP = "localhost:9092";

    @Spec
    private CommandSpec spec;

    @Option(names = {"-b",
            "--bootstrap-server"}, paramLabel = "host:port[,host:port...]", description = "Where to reach the cluster (default: $BROOK_BROKERS, else "
                    + DEFAULT_BOOTSTRAP + ").")
    private String bootstrapServer;

    @Option(names = {"-o",
            "--output"}, required = true, paramLabel = "DIR", description = "Backup directory; a second run into it copies only new data.")
    private Path output;

    @Option(names = "--topic", paramLabel = "NAME", description = "Back up only this topic (repeatable); __consumer_offsets is always included.")
    private List<String> topics = new ArrayList<>();

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text", description = "Summary on stdout: text (default) or json.")
    private String format;

    @Option(names = "--timeout-ms", paramLabel = "ms", defaultValue = "30000", description = "Bound on every request to the cluster (default: ${DEFAULT-VALUE}).")
    private int timeoutMs;

    private final Map<String, String> env;
    private final Function<Map<String, Object>, Admin> adminFactory;
    private final boolean terminal;

    /** With the process environment, a real admin client, and progress in place when stderr is a terminal. */
    public BackupCommand() {
        this(System.getenv(), Admin::create, System.console() != null);
    }

    /** With the given environment and admin client factory (tests). */
    public BackupCommand(Map<String, String> env, Function<Map<String, Object>, Admin> adminFactory,
            boolean terminal) {
        this.env = env;
        this.adminFactory = adminFactory;
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String mode = format.toLowerCase(Locale.ROOT);
        if (!mode.equals("text") && !mode.equals("json")) {
            err.println("'" + format + "' is not a format: use text or json");
            err.flush();
            return 2;
        }
        String bootstrap = bootstrapServer != null && !bootstrapServer.isBlank()
                ? bootstrapServer
                : env.getOrDefault(BROOK_BROKERS, DEFAULT_BOOTSTRAP);
        Backup.Summary summary;
        try (Admin admin = adminFactory.apply(adminConfig(bootstrap, timeoutMs))) {
            summary = new Backup(admin, output.toAbsolutePath(), timeoutMs, new BackupProgress(err, terminal),
                    Time.SYSTEM).run(Set.copyOf(topics));
        } catch (IOException | ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            err.println(
                    "Backup from " + bootstrap + " into " + output + " failed (the previous backup there is intact): "
                            + (cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName()));
            err.flush();
            return 1;
        }
        if (mode.equals("json")) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("output", summary.output().toString());
            json.put("run", summary.run());
            json.put("topics", summary.topics());
            json.put("partitions", summary.partitions());
            json.put("records", summary.records());
            json.put("bytes", summary.bytes());
            json.put("newSegmentFiles", summary.newSegmentFiles());
            json.put("deletedOnSource", summary.deletedOnSource());
            json.put("durationMs", summary.durationMs());
            try {
                out.println(new ObjectMapper().writeValueAsString(json));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        } else {
            out.printf(Locale.ROOT, "Backup run %d into %s: %d topics, %d partitions, %d records, %s in %d new"
                    + " segment files, %d ms%n", summary.run(), summary.output(), summary.topics(),
                    summary.partitions(), summary.records(), BackupProgress.size(summary.bytes()),
                    summary.newSegmentFiles(), summary.durationMs());
            if (!summary.deletedOnSource().isEmpty()) {
                out.println("Kept in the backup, deleted on the source: " + summary.deletedOnSource());
            }
        }
        out.flush();
        return 0;
    }

    static Map<String, Object> adminConfig(String bootstrap, int timeoutMs) {
        return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.CLIENT_ID_CONFIG, "brook-backup");
    }

}
