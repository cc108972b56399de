package io.brook.server.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaFuture;
import org.slf4j.LoggerFactory;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command that talks to a cluster through an {@link Admin}: the shared connection options, {@code --timeout-ms}
 * for every admin call, and one place that turns failures into one line on stderr and an exit code (0 done, 1
 * failed, 2 usage). Subclasses implement {@link #run(Admin)}. Runs on the calling thread; not thread-safe.
 */
public abstract class ClientCommand implements Callable<Integer> {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    @Spec
    protected CommandSpec spec;

    @Mixin
    protected ConnectionOptions connection;

    @Option(names = "--timeout-ms", paramLabel = "ms", defaultValue = "10000", description = "Give up when the cluster has not answered after this long (default: ${DEFAULT-VALUE}).")
    protected int timeoutMs = 10_000;

    protected final CliContext context;

    protected ClientCommand(CliContext context) {
        this.context = context;
    }

    /** Does the work with a connected admin client; returns the exit code. */
    protected abstract int run(Admin admin) throws Exception;

    @Override
    public final Integer call() {
        if (timeoutMs < 1) {
            return fail(CliException.usage("--timeout-ms must be at least 1, got " + timeoutMs));
        }
        Admin admin = null;
        try {
            admin = context.clients().admin(connection.clientConfig(context.env(), adminDefaults(timeoutMs)));
            return run(admin);
        } catch (CliException e) {
            return fail(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(new CliException("interrupted"));
        } catch (Exception e) {
            return fail(CliErrors.translate(e, connection.bootstrapServers(context.env()), timeoutMs));
        } finally {
            if (admin != null) {
                admin.close(CLOSE_TIMEOUT); // bounded: never wait on calls the timeout already gave up on
            }
        }
    }

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Waits for an admin call's result, within the timeout (plus a guard the admin's own deadline should beat). */
    protected <T> T await(KafkaFuture<T> future) throws Exception {
        try {
            return future.get(timeoutMs + 5_000L, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private int fail(CliException e) {
        LoggerFactory.getLogger(getClass()).debug("Command failed", e);
        err().println(e.getMessage());
        err().flush();
        return e.exitCode();
    }

    /** Every admin deadline within the timeout, so an unreachable cluster fails in time rather than retrying on. */
    public static Map<String, Object> adminDefaults(int timeoutMs) {
        return Map.of(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 10_000),
                AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, Math.min(timeoutMs, 10_000),
                AdminClientConfig.CLIENT_ID_CONFIG, "brook-cli");
    }
}
