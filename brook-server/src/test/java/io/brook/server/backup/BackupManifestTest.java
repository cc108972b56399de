package io.brook.server.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupManifestTest {

    @TempDir
    Path dir;

    private static BackupManifest sample() {
        BackupManifest.Partition partition = new BackupManifest.Partition(0, 3, 120,
                List.of(new BackupManifest.Segment("00000000000000000000.log", 0, 100, 4096, 100),
                        new BackupManifest.Segment("00000000000000000100.log", 100, 120, 800, 20)),
                List.of(new BackupManifest.Gap(200, 250)));
        return new BackupManifest(BackupManifest.FORMAT, "cluster-1", 2, 1_700_000_000_000L,
                List.of(new BackupManifest.Topic("orders", "AAAAAAAAAAAAAAAAAAAAAQ", 1, (short) 3,
                        Map.of("cleanup.policy", "compact"), false, List.of(partition))));
    }

    @Test
    void shouldReadBackWhatWasWritten() throws Exception {
        BackupManifest manifest = sample();

        manifest.write(dir);

        assertThat(BackupManifest.read(dir)).isEqualTo(manifest);
        assertThat(dir.resolve(BackupManifest.FILE_NAME + ".tmp")).doesNotExist();
    }

    @Test
    void shouldReadAnEmptyManifestWhenTheDirectoryHasNone() throws Exception {
        assertThat(BackupManifest.read(dir).runs()).isZero();
        assertThat(BackupManifest.read(dir).topics()).isEmpty();
    }

    @Test
    void shouldKeepThePreviousManifestWhenAWriteLeftOnlyItsTemporaryFile() throws Exception {
        // given a completed manifest, and a run that crashed while writing the next one
        sample().write(dir);
        Files.writeString(dir.resolve(BackupManifest.FILE_NAME + ".tmp"), "{\"format\":1,\"tru");

        // then the completed one is what a reader sees
        assertThat(BackupManifest.read(dir)).isEqualTo(sample());
    }

    @Test
    void shouldReplaceATopicByNameAndKeepTopicsSorted() {
        BackupManifest.Topic alpha = new BackupManifest.Topic("alpha", "id-a", 1, (short) 1, Map.of(), false,
                List.of());
        BackupManifest.Topic ordersDeleted = new BackupManifest.Topic("orders", "AAAAAAAAAAAAAAAAAAAAAQ", 1,
                (short) 3, Map.of(), true, List.of());

        BackupManifest updated = sample().withTopic(ordersDeleted).withTopic(alpha);

        assertThat(updated.topics()).extracting(BackupManifest.Topic::name).containsExactly("alpha", "orders");
        assertThat(updated.topic("orders")).get().extracting(BackupManifest.Topic::deletedOnSource).isEqualTo(true);
    }

    @Test
    void shouldNameSegmentFilesAsKafkaDoes() {
        assertThat(BackupManifest.Segment.fileName(52311)).isEqualTo("00000000000000052311.log");
    }
}
