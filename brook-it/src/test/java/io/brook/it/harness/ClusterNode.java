package io.brook.it.harness;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * One node of a {@link BrookCluster}: a broker process (and, when {@link #isController()}, a controller quorum voter)
 * with its own ports, data directory and log file under the cluster's work directory. As a {@link BrookBroker} it
 * points clients at this node alone.
 *
 * <p>Thread-safe: lifecycle calls are serialized by the underlying process handle.
 */
public final class ClusterNode implements BrookBroker {

    private final int id;
    private final boolean controller;
    private final boolean broker;
    private final int clientPort;
    private final int controllerPort;
    private final ProcessBroker process;

    ClusterNode(int id, boolean controller, boolean broker, int clientPort, int controllerPort,
            ProcessBroker process) {
        this.id = id;
        this.controller = controller;
        this.broker = broker;
        this.clientPort = clientPort;
        this.controllerPort = controllerPort;
        this.process = process;
    }

    /** {@code node.id}. */
    public int id() {
        return id;
    }

    /** Whether the node is a controller quorum voter ({@code process.roles} has {@code controller}). */
    public boolean isController() {
        return controller;
    }

    /** Whether the node has the broker role (false for a controller-only voter, which has no Kafka listener). */
    public boolean isBroker() {
        return broker;
    }

    /** Port of the CONTROLLER listener (the Ratis quorum traffic); -1 for a broker-only node. */
    public int controllerPort() {
        return controllerPort;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Starts the stopped or killed node on the same ports and data and waits until it answers. */
    public void start() {
        process.start();
    }

    void launch() {
        process.launch();
    }

    void awaitReady() {
        process.awaitReady();
    }

    @Override
    public String bootstrapServers() {
        return "localhost:" + clientPort;
    }

    @Override
    public int port() {
        return clientPort;
    }

    @Override
    public int httpPort() {
        return process.httpPort();
    }

    @Override
    public boolean isManaged() {
        return true;
    }

    @Override
    public Path dataDir() {
        return process.dataDir();
    }

    @Override
    public Path logFile() {
        return process.logFile();
    }

    /** SIGKILL (destroyForcibly) and a bounded wait for the process to be gone. */
    @Override
    public void kill() {
        process.kill();
    }

    /** SIGTERM (a controlled shutdown) and a bounded wait for a clean exit. */
    @Override
    public void stop() {
        process.stop();
    }

    /** Graceful stop, then start on the same data. */
    @Override
    public void restart() {
        process.restart();
    }

    @Override
    public void expectLogLine(Pattern pattern) {
        process.expectLogLine(pattern);
    }

    void shutDownAndCheckLog() {
        process.shutDownAndCheckLog();
    }

    @Override
    public String toString() {
        String roles = !broker ? " (controller)" : controller ? " (broker,controller)" : " (broker)";
        return "node " + id + roles + (broker ? " on :" + clientPort : " on controller port :" + controllerPort);
    }
}
