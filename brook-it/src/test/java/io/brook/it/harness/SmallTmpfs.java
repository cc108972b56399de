package io.brook.it.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs mounted on a directory, so a test can fill a log dir for real. Mounting needs root (or
 * CAP_SYS_ADMIN): without it the test is skipped by a JUnit assumption saying why. {@link #close} unmounts, lazily
 * when a process still holds files in it.
 */
public final class SmallTmpfs implements AutoCloseable {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private final Path dir;

    private SmallTmpfs(Path dir) {
        this.dir = dir;
    }

    /** Creates {@code dir} and mounts a tmpfs of {@code size} (mount's syntax, e.g. "4m") on it, or skips the test. */
    public static SmallTmpfs mountOrSkip(Path dir, String size) throws java.io.IOException {
        Files.createDirectories(dir);
        ExternalCommand.Result mount = ExternalCommand.of("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs",
                dir.toString()).timeout(COMMAND_TIMEOUT).run();
        Assumptions.assumeTrue(mount.succeeded(),
                "mounting a tmpfs needs root (or CAP_SYS_ADMIN); mount said: " + mount.stderr());
        return new SmallTmpfs(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Gives the mounted tmpfs a new size, keeping its files; fails the test when mount refuses. */
    public void resize(String size) {
        ExternalCommand.Result remount = ExternalCommand.of("mount", "-o", "remount,size=" + size, "tmpfs",
                dir.toString()).timeout(COMMAND_TIMEOUT).run();
        if (!remount.succeeded()) {
            throw new AssertionError("remounting " + dir + " with size " + size + " failed: " + remount.stderr());
        }
    }

    @Override
    public void close() {
        ExternalCommand.Result umount = ExternalCommand.of("umount", dir.toString()).timeout(COMMAND_TIMEOUT).run();
        if (!umount.succeeded()) {
            ExternalCommand.of("umount", "-l", dir.toString()).timeout(COMMAND_TIMEOUT).run();
        }
    }
}
