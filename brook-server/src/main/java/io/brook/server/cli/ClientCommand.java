package io.brook.server.cli;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaFuture;

import picocli.CommandLine.Option;

/**
 * A command that works through an {@link Admin}, with {@code --timeout-ms} bounding every admin call. Subclasses
 * implement {@link #run(Admin)}. Runs on the calling thread; not thread-safe.
 */
public abstract class ClientCommand extends CliCommand {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    @Option(names = "--timeout-ms", paramLabel = "ms", defaultValue = "10000", description = "Give up when the cluster has not answered after this long (default: ${DEFAULT-VALUE}).")
    protected int timeoutMs = 10_000;

    protected ClientCommand(CliContext context) {
        super(context);
    }

    /** Does the work with a connected admin client; returns the exit code. */
    protected abstract int run(Admin admin) throws Exception;

    @Override
    protected int timeoutMs() {
        return timeoutMs;
    }

    @Override
    protected final int execute() throws Exception {
        if (timeoutMs < 1) {
            throw CliException.usage("--timeout-ms must be at least 1, got " + timeoutMs);
        }
        Admin admin = context.clients().admin(connection.clientConfig(context.env(), adminDefaults(timeoutMs)));
        try {
            return run(admin);
        } finally {
            admin.close(CLOSE_TIMEOUT); // bounded: never wait on calls the timeout already gave up on
        }
    }

    /** Waits for an admin call's result, within the timeout (plus a guard the admin's own deadline should beat). */
    protected <T> T await(KafkaFuture<T> future) throws Exception {
        try {
            return future.get(timeoutMs + 5_000L, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
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
