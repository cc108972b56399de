package io.brook.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.awaitility.Awaitility;

/**
 * A broker in a child process owned by the test: started on a free (or given) port with a fresh data directory, its
 * output appended to one log file across restarts.
 *
 * <p>Thread-safe: lifecycle methods are synchronized.
 */
final class ProcessBroker implements BrookBroker {

    private static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final BrokerLauncher launcher;
    private final int port;
    private final int httpPort;
    private final List<String> overrides;
    private final Path dataDir;
    private final Path logFile;
    private final Duration readyTimeout;
    private final boolean servesKafka;
    private final List<Pattern> expectedLogLines = new CopyOnWriteArrayList<>();
    private volatile Process process;
    private boolean shutdownHookAdded;

    ProcessBroker(BrokerLauncher launcher, int port, List<String> overrides, Path workDir) {
        this(launcher, port, overrides, workDir, DEFAULT_READY_TIMEOUT);
    }

    /** A broker given {@code readyTimeout} to answer after a launch (a cluster node waits for its peers). */
    ProcessBroker(BrokerLauncher launcher, int port, List<String> overrides, Path workDir, Duration readyTimeout) {
        this(launcher, port, overrides, workDir, readyTimeout, true);
    }

    /**
     * As above; a node that does not serve Kafka (a controller-only voter) is ready once its HTTP side answers
     * {@code /health/ready} with 200.
     */
    ProcessBroker(BrokerLauncher launcher, int port, List<String> overrides, Path workDir, Duration readyTimeout,
            boolean servesKafka) {
        this.readyTimeout = readyTimeout;
        this.servesKafka = servesKafka;
        this.launcher = launcher;
        this.port = port == 0 ? freePort() : port;
        // Every broker gets its own HTTP port, so tests and cluster nodes never meet on the default 8080; the
        // caller's own http.listeners, later on the command line, wins.
        this.httpPort = freePort();
        List<String> all = new ArrayList<>();
        all.add("http.listeners=http://127.0.0.1:" + httpPort);
        all.addAll(overrides);
        this.overrides = List.copyOf(all);
        this.dataDir = workDir.resolve("data");
        this.logFile = workDir.resolve("broker.log");
    }

    synchronized void start() {
        Process started = launch();
        try {
            awaitReady(started);
        } catch (RuntimeException | Error e) {
            started.destroyForcibly();
            throw e;
        }
    }

    /**
     * Starts the process without waiting for it to answer: a cluster node cannot be ready before enough of its peers
     * run, so the cluster harness launches every node first and then calls {@link #awaitReady()}.
     */
    synchronized Process launch() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("broker already running");
        }
        try {
            Files.createDirectories(dataDir);
            ProcessBuilder builder = new ProcessBuilder(launcher.command(port, dataDir, overrides))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the broker", e);
        }
        Process started = process;
        if (!shutdownHookAdded) {
            // a forked test JVM killed by surefire's timeout must not leave brokers behind
            Runtime.getRuntime().addShutdownHook(new Thread(this::destroyIfRunning, "brook-it-broker-reaper"));
            shutdownHookAdded = true;
        }
        return started;
    }

    /** Waits (bounded) until the launched process answers ApiVersions and DescribeCluster; kills it on failure. */
    void awaitReady() {
        Process started = process;
        if (started == null) {
            throw new IllegalStateException("broker not launched");
        }
        try {
            awaitReady(started);
        } catch (RuntimeException | Error e) {
            started.destroyForcibly();
            throw e;
        }
    }

    /** The exit status of the process once it has ended; empty while it runs or before it was launched. */
    OptionalInt exitCode() {
        Process current = process;
        return current != null && !current.isAlive() ? OptionalInt.of(current.exitValue()) : OptionalInt.empty();
    }

    /** Whether the process is running now. */
    boolean isAlive() {
        Process current = process;
        return current != null && current.isAlive();
    }

    private void destroyIfRunning() {
        Process current = process;
        if (current != null && current.isAlive()) {
            current.destroyForcibly();
        }
    }

    private void awaitReady(Process started) {
        if (!servesKafka) {
            awaitHttpReady(started);
            return;
        }
        Awaitility.await("broker on port " + port + " ready (log: " + logFile + ")")
                .atMost(readyTimeout)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .failFast("broker process exited during start-up; log tail:\n" + logTail(), () -> !started.isAlive())
                .until(() -> {
                    try (RawKafkaConnection connection = RawKafkaConnection.open("localhost", port)) {
                        connection.apiVersions();
                    }
                    return true;
                });
        Awaitility.await("broker on port " + port + " answers describeCluster")
                .atMost(readyTimeout)
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> {
                    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                            bootstrapServers(), AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000,
                            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000))) {
                        return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
                    }
                });
    }

    private void awaitHttpReady(Process started) {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2)).build();
        java.net.URI ready = java.net.URI.create("http://127.0.0.1:" + httpPort + "/health/ready");
        Awaitility.await("node with HTTP port " + httpPort + " ready (log: " + logFile + ")")
                .atMost(readyTimeout)
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .failFast("process exited during start-up; log tail:\n" + logTail(), () -> !started.isAlive())
                .until(() -> client.send(java.net.http.HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5))
                        .build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    @Override
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public int httpPort() {
        return httpPort;
    }

    @Override
    public boolean isManaged() {
        return true;
    }

    @Override
    public Path dataDir() {
        return dataDir;
    }

    @Override
    public Path logFile() {
        return logFile;
    }

    @Override
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        waitForExit(Duration.ofSeconds(10), "SIGKILL");
    }

    @Override
    public synchronized void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!waitForExitQuietly(STOP_TIMEOUT)) {
            process.destroyForcibly();
            waitForExitQuietly(Duration.ofSeconds(10));
            throw new AssertionError("broker did not stop within " + STOP_TIMEOUT + " of SIGTERM; log: " + logFile);
        }
    }

    @Override
    public synchronized void restart() {
        stop();
        start();
    }

    @Override
    public void expectLogLine(Pattern pattern) {
        expectedLogLines.add(pattern);
    }

    /** Stops the broker and fails if its log reports a leak or an unexpected error. */
    synchronized void shutDownAndCheckLog() {
        try {
            surfaceLeaks();
            stop();
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
        }
        List<String> problems = BrokerLogCheck.problems(logFile, expectedLogLines);
        if (!problems.isEmpty()) {
            throw new AssertionError("broker log " + logFile + " has leak reports or unexpected ERROR lines:\n"
                    + String.join("\n", problems));
        }
    }

    /**
     * Netty reports a leaked buffer only after the garbage collector has found it unreachable and the next buffer is
     * tracked. So before stopping: a full GC in the broker (jcmd), then one request to make it allocate.
     */
    private void surfaceLeaks() {
        if (process == null || !process.isAlive()) {
            return;
        }
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (Files.isExecutable(jcmd)) {
            ExternalCommand.of(jcmd.toString(), Long.toString(process.pid()), "GC.run")
                    .timeout(Duration.ofSeconds(20)).run();
        }
        try (RawKafkaConnection connection = RawKafkaConnection.open("localhost", port)) {
            connection.apiVersions();
        } catch (IOException | RuntimeException e) {
            // only a probe; a broker that cannot answer is reported by the tests themselves
        }
    }

    private void waitForExit(Duration timeout, String what) {
        if (!waitForExitQuietly(timeout)) {
            throw new AssertionError("broker still running " + timeout + " after " + what);
        }
    }

    private boolean waitForExitQuietly(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String logTail() {
        try {
            if (!Files.exists(logFile)) {
                return "(no log)";
            }
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", new ArrayList<>(lines.subList(Math.max(0, lines.size() - 40), lines.size())));
        } catch (IOException e) {
            return "(unreadable log: " + e + ")";
        }
    }

    private static int freePort() {
        return FreePorts.pick(1)[0];
    }
}
