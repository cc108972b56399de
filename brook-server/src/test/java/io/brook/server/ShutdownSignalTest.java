package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Starts the command in a child JVM and stops it with SIGTERM, as Ctrl-C or a service manager would. */
class ShutdownSignalTest {

    @Test
    @Timeout(60)
    void shouldCloseBrokerAndExitZeroWhenTerminated() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                FakeBrokerMain.class.getName(), "server").redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("Brook started in ")) {
                lines.add(line);
            }
            assertThat(line).as("output so far: %s", lines).isNotNull();

            // SIGTERM through the handle: Process.destroy() would also close our end of its output.
            process.toHandle().destroy();

            while ((line = out.readLine()) != null) {
                lines.add(line);
            }
        } finally {
            process.destroyForcibly();
        }

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(lines).contains("fake broker closed");
    }
}
