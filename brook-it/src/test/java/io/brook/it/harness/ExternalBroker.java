package io.brook.it.harness;

import java.nio.file.Path;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;

/**
 * A broker this harness does not own (from {@code BROOK_IT_BOOTSTRAP}). Anything needing the process or its files
 * aborts the calling test with a failed assumption.
 *
 * <p>Immutable and thread-safe.
 */
record ExternalBroker(String host, int port) implements BrookBroker {

    static ExternalBroker of(String bootstrap) {
        int colon = bootstrap.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(
                    BrookExtension.EXTERNAL_BOOTSTRAP_ENV + " must be host:port, was " + bootstrap);
        }
        return new ExternalBroker(bootstrap.substring(0, colon), Integer.parseInt(bootstrap.substring(colon + 1)));
    }

    @Override
    public String bootstrapServers() {
        return host + ":" + port;
    }

    @Override
    public boolean isManaged() {
        return false;
    }

    @Override
    public Path dataDir() {
        return abort("its data directory");
    }

    @Override
    public Path logFile() {
        return abort("its log");
    }

    @Override
    public void kill() {
        abort("kill");
    }

    @Override
    public void stop() {
        abort("stop");
    }

    @Override
    public void restart() {
        abort("restart");
    }

    @Override
    public void expectLogLine(Pattern pattern) {
        // the external broker's log is not checked
    }

    private static <T> T abort(String what) {
        Assumptions.abort("needs a broker process started by the test (" + what + "), but "
                + BrookExtension.EXTERNAL_BOOTSTRAP_ENV + " points to an external broker");
        throw new AssertionError("unreachable");
    }
}
