package io.brook.metadata.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuorumSnapshotFileTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadBackWhatWasWritten() throws IOException {
        Path file = dir.resolve("snapshot.3_42");
        byte[] state = "state".getBytes(StandardCharsets.UTF_8);

        SnapshotFile.write(file, 3, 42, state);
        SnapshotFile.Contents contents = SnapshotFile.read(file, 3, 42);

        assertThat(contents.state()).isEqualTo(state);
        assertThat(contents.term()).isEqualTo(3);
        assertThat(contents.index()).isEqualTo(42);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file); // no temporary file left behind
        }
    }

    @Test
    void shouldRefuseAFileWhoseBytesChanged() throws IOException {
        Path file = dir.resolve("snapshot.1_7");
        SnapshotFile.write(file, 1, 7, "abc".getBytes(StandardCharsets.UTF_8));
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 6] ^= 1; // a bit of the state
        Files.write(file, bytes);

        assertThatThrownBy(() -> SnapshotFile.read(file, 1, 7)).isInstanceOf(IOException.class)
                .hasMessageContaining("checksum");
    }

    @Test
    void shouldRefuseATruncatedFile() throws IOException {
        Path file = dir.resolve("snapshot.1_7");
        SnapshotFile.write(file, 1, 7, "abc".getBytes(StandardCharsets.UTF_8));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 2));

        assertThatThrownBy(() -> SnapshotFile.read(file, 1, 7)).isInstanceOf(IOException.class);
    }

    @Test
    void shouldRefuseAFileWhoseNameDisagreesWithItsContents() throws IOException {
        Path file = dir.resolve("snapshot.2_9");
        SnapshotFile.write(file, 1, 7, new byte[0]);

        assertThatThrownBy(() -> SnapshotFile.read(file, 2, 9)).hasMessageContaining("its name says 2_9");
    }

    @Test
    void shouldRefuseAForeignFile() throws IOException {
        Path file = dir.resolve("snapshot.1_1");
        Files.write(file, new byte[64]);

        assertThatThrownBy(() -> SnapshotFile.read(file, 1, 1)).hasMessageContaining("not a Brook snapshot");
    }
}
