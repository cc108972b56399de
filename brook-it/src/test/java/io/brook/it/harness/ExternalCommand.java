package io.brook.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a client program in a child process with a hard time bound, its stdout and stderr captured to files so they can
 * be shown in a failure message whatever happens.
 *
 * <p>Not thread-safe; build and run on one thread. Each {@link #start()} or {@link #run()} is independent.
 */
public final class ExternalCommand {

    private final List<String> command;
    private final Map<String, String> environment = new HashMap<>();
    private Duration timeout = Duration.ofSeconds(60);
    private String stdin;

    private ExternalCommand(List<String> command) {
        this.command = List.copyOf(command);
    }

    public static ExternalCommand of(List<String> command) {
        return new ExternalCommand(command);
    }

    public static ExternalCommand of(String... command) {
        return new ExternalCommand(List.of(command));
    }

    public ExternalCommand timeout(Duration value) {
        this.timeout = value;
        return this;
    }

    public ExternalCommand env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    public ExternalCommand stdin(String text) {
        this.stdin = text;
        return this;
    }

    /** Runs to completion (or kills it at the timeout) and returns what it did. */
    public Result run() {
        return start().await(timeout);
    }

    /** Starts without waiting; the caller must {@link Running#await} or {@link Running#destroy} it. */
    public Running start() {
        try {
            Path dir = WorkDirs.create("cmd");
            Path stdout = dir.resolve("stdout");
            Path stderr = dir.resolve("stderr");
            Path input = dir.resolve("stdin");
            Files.writeString(input, stdin == null ? "" : stdin, StandardCharsets.UTF_8);
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile()).redirectInput(input.toFile());
            builder.environment().putAll(environment);
            return new Running(command, builder.start(), stdout, stderr);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
    }

    /** A started child process. */
    public static final class Running {
        private final List<String> command;
        private final Process process;
        private final Path stdout;
        private final Path stderr;

        private Running(List<String> command, Process process, Path stdout, Path stderr) {
            this.command = command;
            this.process = process;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        /** What the process has written to stdout so far. */
        public String stdoutSoFar() {
            return read(stdout);
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** Waits up to {@code timeout}; a process still running then is killed and reported as timed out. */
        public Result await(Duration timeout) {
            boolean finished;
            try {
                finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                finished = false;
            }
            if (!finished) {
                destroyAndWait();
            }
            return new Result(command, finished ? process.exitValue() : -1, !finished, read(stdout), read(stderr));
        }

        /** Asks the process to stop (SIGTERM, as Ctrl-C would: shutdown hooks run), waits up to {@code timeout}. */
        public Result stop(Duration timeout) {
            process.destroy();
            return await(timeout);
        }

        /** Kills the process and returns its output. */
        public Result destroy() {
            destroyAndWait();
            return new Result(command, -1, false, read(stdout), read(stderr));
        }

        private void destroyAndWait() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static String read(Path file) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        }
    }

    /** Exit code ({@code -1} if killed), whether it timed out, and its output. */
    public record Result(List<String> command, int exitCode, boolean timedOut, String stdout, String stderr) {

        public boolean succeeded() {
            return exitCode == 0 && !timedOut;
        }

        public List<String> stdoutLines() {
            List<String> lines = new ArrayList<>(stdout.lines().toList());
            return lines;
        }

        /** A description fit for a failure message: command, exit status, and both outputs. */
        public String describe() {
            return "command " + withoutClasspath(command) + (timedOut ? " TIMED OUT" : " exited with " + exitCode)
                    + "\n--- stdout ---\n" + tail(stdout) + "\n--- stderr ---\n" + tail(stderr);
        }

        /** The command with a classpath argument shortened, since a test classpath runs to pages. */
        private static List<String> withoutClasspath(List<String> command) {
            List<String> shown = new ArrayList<>(command);
            int cp = shown.indexOf("-cp");
            if (cp >= 0 && cp + 1 < shown.size()) {
                shown.set(cp + 1, "<classpath>");
            }
            return shown;
        }

        private static String tail(String text) {
            int max = 8000;
            return text.length() <= max ? text : "...\n" + text.substring(text.length() - max);
        }
    }
}
