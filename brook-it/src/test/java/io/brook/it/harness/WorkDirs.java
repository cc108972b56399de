package io.brook.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Fresh per-run directories under {@code target/it-work} (kept after the run, so CI can keep them as artifacts of a
 * failure; {@code mvn clean} removes them). Thread-safe (stateless).
 */
public final class WorkDirs {

    private static final Path ROOT = Paths.get(System.getProperty("brook.it.workDir", "target/it-work"))
            .toAbsolutePath();

    private WorkDirs() {
    }

    /** A new, empty directory named after the test class. */
    public static Path forClass(Class<?> testClass) {
        return create(testClass.getSimpleName());
    }

    /** A new, empty directory whose name starts with {@code prefix}. */
    public static Path create(String prefix) {
        try {
            Files.createDirectories(ROOT);
            return Files.createTempDirectory(ROOT, prefix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
