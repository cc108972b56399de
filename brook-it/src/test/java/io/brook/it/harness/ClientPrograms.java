package io.brook.it.harness;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the non-Java clients (python with kafka-python and confluent-kafka, kcat, node with kafkajs). A missing
 * client fails the test with a clear message, because CI installs them and a silent skip would hide a missing install
 * step; {@code BROOK_IT_ALLOW_MISSING_CLIENTS=1} turns that into a skipped test for local runs. Stateless.
 */
public final class ClientPrograms {

    private ClientPrograms() {
    }

    /** {@code PYTHON}, default {@code /usr/bin/python3}, after checking it can import {@code module}. */
    public static String python(String module) {
        String python = env("PYTHON", "/usr/bin/python3");
        var result = ExternalCommand.of(python, "-c", "import " + module)
                .timeout(java.time.Duration.ofSeconds(30)).run();
        if (!result.succeeded()) {
            missing("python module '" + module + "' under " + python + " (set PYTHON to another interpreter)",
                    result.describe());
        }
        return python;
    }

    /** kcat from the PATH. */
    public static String kcat() {
        return onPath("kcat");
    }

    /** node from the PATH. */
    public static String node() {
        return onPath("node");
    }

    /**
     * The node_modules directory holding kafkajs: {@code BROOK_KAFKAJS_DIR}, default {@code <repo>/.ci/node/node_modules}.
     */
    public static Path kafkajsModules() {
        String configured = System.getenv("BROOK_KAFKAJS_DIR");
        Path dir = configured != null && !configured.isBlank()
                ? Paths.get(configured)
                : repositoryRoot().resolve(".ci/node/node_modules");
        if (!Files.isDirectory(dir.resolve("kafkajs"))) {
            missing("kafkajs in " + dir + " (npm install --prefix .ci/node kafkajs@2.2.4, or set BROOK_KAFKAJS_DIR)",
                    "");
        }
        return dir;
    }

    private static Path repositoryRoot() {
        // surefire runs in the module directory (brook-it); the repository root is its parent
        Path cwd = Paths.get("").toAbsolutePath();
        return Files.exists(cwd.resolve("brook-it")) ? cwd : cwd.getParent();
    }

    private static String onPath(String program) {
        for (String dir : env("PATH", "").split(File.pathSeparator)) {
            Path candidate = Paths.get(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        missing(program + " on the PATH", "");
        throw new AssertionError("unreachable");
    }

    private static void missing(String what, String details) {
        String message = "client not installed: " + what + ". CI must install it; set BROOK_IT_ALLOW_MISSING_CLIENTS=1 "
                + "to skip such tests locally. " + details;
        if ("1".equals(System.getenv("BROOK_IT_ALLOW_MISSING_CLIENTS"))) {
            Assumptions.abort(message);
        }
        Assertions.fail(message);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

}
