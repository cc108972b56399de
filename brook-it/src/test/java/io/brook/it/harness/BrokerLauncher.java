package io.brook.it.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the command line that starts a broker listening on a port with a data directory. The default runs Brook from
 * the test classpath; {@code BROOK_IT_LAUNCHER=/path/to/script} instead runs {@code script PORT DATADIR [name=value...]},
 * which must exec a broker in the foreground (a developer aid for checking this harness against another broker).
 *
 * <p>Immutable and thread-safe.
 */
@FunctionalInterface
public interface BrokerLauncher {

    String LAUNCHER_ENV = "BROOK_IT_LAUNCHER";

    List<String> command(int port, Path dataDir, List<String> overrides);

    static BrokerLauncher fromEnvironment() {
        String script = System.getenv(LAUNCHER_ENV);
        return script == null || script.isBlank() ? brook() : script(script);
    }

    /** Brook's own entry point in a child JVM with paranoid Netty leak detection. */
    static BrokerLauncher brook() {
        return (port, dataDir, overrides) -> {
            List<String> cmd = new ArrayList<>(List.of(TestClasspath.javaBinary(), "-Xmx512m",
                    "-Dio.netty.leakDetection.level=paranoid",
                    "-Dlogback.configurationFile=" + TestClasspath.resource("broker-logback.xml"),
                    "-cp", TestClasspath.classpath(), "io.brook.server.BrookCommand", "server",
                    "--override", "listeners=PLAINTEXT://localhost:" + port,
                    "--override", "log.dir=" + dataDir));
            for (String override : overrides) {
                cmd.add("--override");
                cmd.add(override);
            }
            return cmd;
        };
    }

    static BrokerLauncher script(String script) {
        return (port, dataDir, overrides) -> {
            List<String> cmd = new ArrayList<>(List.of(script, Integer.toString(port), dataDir.toString()));
            cmd.addAll(overrides);
            return cmd;
        };
    }
}
