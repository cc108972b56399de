package io.brook.server.cluster;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Time;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code brook cluster status [--bootstrap-server host:port] [--format table|json] [--timeout-ms N]}: the brokers and
 * the metadata quorum (leader, epoch, high watermark, voters and observers with their lag), as
 * {@code kafka-metadata-quorum describe --status/--replication} and {@code DescribeCluster} report them.
 *
 * <p>The bootstrap server defaults to {@code $BROOK_BROKERS}, then {@code localhost:9092}. Exit codes: 0 with the
 * status printed on stdout; 1 with one line on stderr when the cluster does not answer within the timeout (or
 * refuses); 2 for a usage error (picocli's).
 */
@Command(name = "status", description = "Show the brokers and the metadata quorum of a running cluster.")
public final class ClusterStatusCommand implements Callable<Integer> {

    /** The environment variable naming the default bootstrap servers. */
    public static final String BROOK_BROKERS = "BROOK_BROKERS";
    static final String DEFAULT_BOOTSTRAP = "localhost:9092";
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    /** Output formats. */
    public enum Format {
        TABLE, JSON
    }

    @Spec
    private CommandSpec spec;

    @Option(names = {"-b",
            "--bootstrap-server"}, paramLabel = "host:port[,host:port...]", description = "Where to reach the cluster (default: $BROOK_BROKERS, else "
                    + DEFAULT_BOOTSTRAP + ").")
    private String bootstrapServer;

    @Option(names = "--format", paramLabel = "table|json", defaultValue = "table", converter = FormatConverter.class, description = "table (for people, the default) or json (for scripts).")
    private Format format;

    @Option(names = "--timeout-ms", paramLabel = "ms", defaultValue = "10000", description = "Give up when the cluster has not answered after this long (default: ${DEFAULT-VALUE}).")
    private int timeoutMs;

    private final Map<String, String> env;
    private final Function<Map<String, Object>, Admin> adminFactory;

    /** With the process environment and a real admin client. */
    public ClusterStatusCommand() {
        this(System.getenv(), Admin::create);
    }

    /** With the given environment and admin client factory (tests). */
    public ClusterStatusCommand(Map<String, String> env, Function<Map<String, Object>, Admin> adminFactory) {
        this.env = env;
        this.adminFactory = adminFactory;
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (timeoutMs < 1) {
            err.println("--timeout-ms must be at least 1, got " + timeoutMs);
            err.flush();
            return 2;
        }
        String bootstrap = bootstrapServers();
        ClusterStatus status;
        Admin admin = null;
        try {
            admin = adminFactory.apply(adminConfig(bootstrap, timeoutMs));
            status = ClusterStatusReader.read(admin, Duration.ofMillis(timeoutMs), Time.SYSTEM.milliseconds());
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            err.println("Cannot get the status of the cluster at " + bootstrap + " within " + timeoutMs + " ms: "
                    + (cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName()));
            err.flush();
            return 1;
        } finally {
            if (admin != null) {
                admin.close(CLOSE_TIMEOUT); // bounded: never wait on calls the timeout already gave up on
            }
        }
        if (format == Format.JSON) {
            ClusterStatusPrinter.json(status, out);
        } else {
            ClusterStatusPrinter.table(status, out);
        }
        return 0;
    }

    private String bootstrapServers() {
        if (bootstrapServer != null && !bootstrapServer.isBlank()) {
            return bootstrapServer;
        }
        String fromEnv = env.get(BROOK_BROKERS);
        return fromEnv != null && !fromEnv.isBlank() ? fromEnv : DEFAULT_BOOTSTRAP;
    }

    /** Every admin deadline within the timeout, so an unreachable cluster fails in time rather than retrying on. */
    static Map<String, Object> adminConfig(String bootstrap, int timeoutMs) {
        return Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 10_000),
                AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, Math.min(timeoutMs, 10_000),
                AdminClientConfig.CLIENT_ID_CONFIG, "brook-cluster-status");
    }

    /** Case-insensitive {@code table}/{@code json}. */
    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            try {
                return Format.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not a format: use table or json");
            }
        }
    }
}
