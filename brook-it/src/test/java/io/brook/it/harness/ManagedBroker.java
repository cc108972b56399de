package io.brook.it.harness;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * A broker process a test starts and stops itself, for settings that depend on its work directory (for example
 * {@code log.dirs} on a file system the test mounts there before the start). Stateless.
 */
public final class ManagedBroker {

    private ManagedBroker() {
    }

    /** Starts Brook (data under {@code workDir/data}, log in {@code workDir/broker.log}) and waits until it serves. */
    public static BrookBroker start(Path workDir, List<String> overrides) {
        ProcessBroker broker = new ProcessBroker(BrokerLauncher.fromEnvironment(), 0, overrides, workDir);
        broker.start();
        return broker;
    }

    /** Stops a broker {@link #start started} here and fails on leak reports or undeclared ERROR lines in its log. */
    public static void shutDownAndCheckLog(BrookBroker broker) {
        ((ProcessBroker) broker).shutDownAndCheckLog();
    }

    /** The exit status of the broker process once it has ended; empty while it runs. */
    public static OptionalInt exitCode(BrookBroker broker) {
        return ((ProcessBroker) broker).exitCode();
    }

    /** Whether the broker process is running. */
    public static boolean isAlive(BrookBroker broker) {
        return ((ProcessBroker) broker).isAlive();
    }
}
