package io.brook.server.cluster;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Time;

import io.brook.server.cli.ClientCommand;
import io.brook.server.cli.ConnectionOptions;
import io.brook.server.cli.FormatOption;
import io.brook.server.cli.OutputFormat;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
    public static final String BROOK_BROKERS = ConnectionOptions.BROOK_BROKERS;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @Mixin
    private FormatOption format;

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
        String bootstrap = connection.bootstrapServers(env);
        ClusterStatus status;
        Admin admin = null;
        try {
            admin = adminFactory.apply(connection.clientConfig(env, adminDefaults(timeoutMs)));
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
        if (format.format() == OutputFormat.JSON) {
            ClusterStatusPrinter.json(status, out);
        } else {
            ClusterStatusPrinter.table(status, out);
        }
        return 0;
    }

    /** The client commands' admin defaults, under this command's client id (which -X may still override). */
    private static Map<String, Object> adminDefaults(int timeoutMs) {
        Map<String, Object> defaults = new HashMap<>(ClientCommand.adminDefaults(timeoutMs));
        defaults.put(AdminClientConfig.CLIENT_ID_CONFIG, "brook-cluster-status");
        return defaults;
    }
}
