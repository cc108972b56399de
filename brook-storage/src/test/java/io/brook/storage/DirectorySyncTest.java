package io.brook.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectorySyncTest {

    @TempDir
    Path logDir;

    private final DirectorySync sync = new DirectorySync();

    private long createLogDir(String name) throws IOException {
        Files.createDirectory(logDir.resolve(name));
        return sync.created();
    }

    @Test
    void shouldFsyncTheLogDirOnceForEveryLogCreatedBeforeTheFirstFlush() throws IOException {
        long first = createLogDir("t-0");
        long second = createLogDir("t-1");
        long third = createLogDir("t-2");

        sync.ensureDurable(logDir, second);
        sync.ensureDurable(logDir, first);
        sync.ensureDurable(logDir, third);

        assertThat(sync.fsyncCount()).isOne();
    }

    @Test
    void shouldFsyncAgainForALogCreatedAfterTheLastFsync() throws IOException {
        sync.ensureDurable(logDir, createLogDir("t-0"));

        long later = createLogDir("t-1");
        sync.ensureDurable(logDir, later);

        assertThat(sync.fsyncCount()).isEqualTo(2);
    }

    @Test
    void shouldNotLetAnFsyncOfOneLogDirCoverAnother(@TempDir Path otherLogDir) throws IOException {
        long here = createLogDir("t-0");
        Files.createDirectory(otherLogDir.resolve("t-1"));
        long there = sync.created();

        sync.ensureDurable(logDir, here);
        sync.ensureDurable(otherLogDir, there);

        assertThat(sync.fsyncCount()).isEqualTo(2);
    }
}
