package io.brook.it.harness;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A broker a test talks to: either a Brook process started for the test class, or an externally managed broker named
 * by {@code BROOK_IT_BOOTSTRAP} (then lifecycle operations abort the test with a failed assumption).
 *
 * <p>Thread-safe: lifecycle methods are synchronized; clients may use {@link #bootstrapServers()} from any thread.
 */
public interface BrookBroker {

    /** host:port for clients, always a {@code localhost} name as a user would type it. */
    String bootstrapServers();

    /** The port clients connect to. */
    int port();

    /** The port of the broker's HTTP side (health, metrics, console) on 127.0.0.1 (managed brokers only). */
    default int httpPort() {
        throw new UnsupportedOperationException("no HTTP port known for " + bootstrapServers());
    }

    /** The base URL of the broker's HTTP side, e.g. {@code http://127.0.0.1:40123} (managed brokers only). */
    default String httpUrl() {
        return "http://127.0.0.1:" + httpPort();
    }

    /** Whether this harness owns the process, so {@link #kill()}, {@link #restart()} and {@link #stop()} work. */
    boolean isManaged();

    /** The broker's data directory (managed brokers only). */
    Path dataDir();

    /** The file collecting the broker's stdout and stderr (managed brokers only). */
    Path logFile();

    /** SIGKILL: the process gets no chance to flush or close anything. */
    void kill();

    /** SIGTERM and a bounded wait for a clean exit; fails if the broker does not stop in time. */
    void stop();

    /** Starts again on the same port and data directory (stopping first if running) and waits until ready. */
    void restart();

    /** Declares that broker log lines matching {@code pattern} are expected, so the end-of-class check allows them. */
    void expectLogLine(Pattern pattern);
}
