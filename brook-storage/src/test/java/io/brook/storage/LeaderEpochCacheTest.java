package io.brook.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.brook.storage.LeaderEpochCheckpoint.EpochEntry;

/** The cache against the behaviour Kafka's LeaderEpochFileCache documents. */
class LeaderEpochCacheTest {

    @TempDir
    Path dir;

    /** Parses "0:0 2:10" into entries. */
    private static List<EpochEntry> entries(String text) {
        List<EpochEntry> entries = new ArrayList<>();
        if (text == null) {
            return entries;
        }
        for (String pair : text.trim().split("\\s+")) {
            if (!pair.isEmpty()) {
                String[] parts = pair.split(":");
                entries.add(new EpochEntry(Integer.parseInt(parts[0]), Long.parseLong(parts[1])));
            }
        }
        return entries;
    }

    private LeaderEpochCache cache(String text) {
        return new LeaderEpochCache(new LeaderEpochCheckpoint(dir.toFile()), entries(text));
    }

    @ParameterizedTest(name = "cache [{0}], log end {1}: endOffsetFor({2}) = ({3}, {4})")
    @CsvSource(delimiter = '|', value = {
            // undefined epoch asked
            "0:0 2:10 5:20 | 30 | -1 | -1 | -1",
            // an epoch in the middle ends where the next one starts
            "0:0 2:10 5:20 | 30 | 0 | 0 | 10",
            "0:0 2:10 5:20 | 30 | 2 | 2 | 20",
            // an epoch the log never saw: the largest epoch below it, ending where the next known one starts
            "0:0 2:10 5:20 | 30 | 1 | 0 | 10",
            "0:0 2:10 5:20 | 30 | 3 | 2 | 20",
            "0:0 2:10 5:20 | 30 | 4 | 2 | 20",
            // the latest epoch ends at the log end offset
            "0:0 2:10 5:20 | 30 | 5 | 5 | 30",
            // an epoch above the latest is undefined
            "0:0 2:10 5:20 | 30 | 6 | -1 | -1",
            // an epoch below every known one: the requested epoch, ending at the first known start offset
            "2:10 5:20 | 30 | 1 | 1 | 10",
            "2:10 5:20 | 30 | 0 | 0 | 10",
            // a single epoch
            "3:0 | 7 | 3 | 3 | 7",
            "3:0 | 7 | 2 | 2 | 0",
            // nothing known
            " | 0 | 0 | -1 | -1",
    })
    void shouldAnswerEndOffsetForLikeKafka(String cache, long logEnd, int requested, int epoch, long endOffset) {
        assertThat(cache(cache).endOffsetFor(requested, logEnd)).isEqualTo(new EpochEndOffset(epoch, endOffset));
    }

    @ParameterizedTest(name = "cache [{0}] assign({1}, {2}) -> [{3}]")
    @CsvSource(delimiter = '|', value = {
            // first entry
            " | 0 | 0 | 0:0",
            // the same epoch again at a later offset changes nothing
            "0:0 | 0 | 5 | 0:0",
            // a new epoch is appended
            "0:0 | 2 | 10 | 0:0 2:10",
            // the latest epoch at a lower offset moves its start down
            "0:0 2:10 | 2 | 5 | 0:0 2:5",
            // entries at or above the new start offset are dropped (a stale tail)
            "0:0 2:10 5:20 | 6 | 15 | 0:0 2:10 6:15",
            // entries at or above the new epoch are dropped
            "0:0 2:10 5:20 | 1 | 30 | 0:0 1:30",
    })
    void shouldAssignLikeKafka(String before, int epoch, long startOffset, String after) throws IOException {
        LeaderEpochCache cache = cache(before);

        cache.assign(epoch, startOffset);

        assertThat(cache.entries()).isEqualTo(entries(after));
    }

    @ParameterizedTest(name = "cache [{0}] truncateFromEnd({1}) -> [{2}]")
    @CsvSource(delimiter = '|', value = {
            "0:0 2:10 5:20 | 20 | 0:0 2:10",
            "0:0 2:10 5:20 | 21 | 0:0 2:10 5:20",
            "0:0 2:10 5:20 | 11 | 0:0 2:10",
            "0:0 2:10 5:20 | 0 | ",
            "0:0 2:10 5:20 | -1 | 0:0 2:10 5:20",
    })
    void shouldTruncateFromEndLikeKafka(String before, long endOffset, String after) throws IOException {
        LeaderEpochCache cache = cache(before);

        cache.truncateFromEnd(endOffset);

        assertThat(cache.entries()).isEqualTo(entries(after));
    }

    @ParameterizedTest(name = "cache [{0}] truncateFromStart({1}) -> [{2}]")
    @CsvSource(delimiter = '|', value = {
            // the epoch holding the new start keeps its number and starts at the new start
            "0:0 2:10 5:20 | 15 | 2:15 5:20",
            "0:0 2:10 5:20 | 5 | 0:5 2:10 5:20",
            // exactly on an epoch start: that epoch is kept as it is
            "0:0 2:10 5:20 | 20 | 5:20",
            // before every entry: nothing changes
            "2:10 5:20 | 3 | 2:10 5:20",
            "0:0 2:10 5:20 | 25 | 5:25",
    })
    void shouldTruncateFromStartLikeKafka(String before, long startOffset, String after) throws IOException {
        LeaderEpochCache cache = cache(before);

        cache.truncateFromStart(startOffset);

        assertThat(cache.entries()).isEqualTo(entries(after));
    }

    @Test
    void shouldRejectNegativeEpochOrOffset() {
        LeaderEpochCache cache = cache("");

        assertThatThrownBy(() -> cache.assign(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cache.assign(0, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldWriteKafkasCheckpointFormatOnEveryChange() throws IOException {
        LeaderEpochCache cache = cache("");

        cache.assign(0, 0);
        cache.assign(3, 42);

        assertThat(Files.readAllLines(dir.resolve(LeaderEpochCheckpoint.FILE_NAME)))
                .containsExactly("0", "2", "0 0", "3 42");
        assertThat(new LeaderEpochCheckpoint(dir.toFile()).read()).contains(entries("0:0 3:42"));

        cache.truncateFromEnd(42);

        assertThat(Files.readAllLines(dir.resolve(LeaderEpochCheckpoint.FILE_NAME))).containsExactly("0", "1", "0 0");
    }

    @Test
    void shouldRebuildTheCacheFromTheLogWhenTheCheckpointIsMissingOrCorrupt() throws IOException {
        TopicPartition tp = new TopicPartition("orders", 1);
        try (LogFixture fixture = new LogFixture(dir, LogConfig.defaults())) {
            DefaultPartitionLog log = fixture.log(tp);
            log.appendAsLeader(TestRecords.batch(1L, "a", "b"), 1);
            log.appendAsLeader(TestRecords.batch(1L, "c"), 4);
            Path file = fixture.partitionDir(tp).resolve(LeaderEpochCheckpoint.FILE_NAME);

            fixture.reopen();
            Files.delete(file);
            fixture.crashAndReopen();
            assertThat(fixture.log(tp).epochEntries()).isEqualTo(entries("1:0 4:2"));
            assertThat(Files.readAllLines(file)).containsExactly("0", "2", "1 0", "4 2");

            Files.writeString(file, "0\n2\n4 2\n1 0\n");
            fixture.crashAndReopen();
            assertThat(fixture.log(tp).epochEntries()).isEqualTo(entries("1:0 4:2"));
        }
    }

    @Test
    void shouldRejectMalformedOrUnorderedCheckpointFiles() throws IOException {
        LeaderEpochCheckpoint checkpoint = new LeaderEpochCheckpoint(dir.toFile());
        Path file = dir.resolve(LeaderEpochCheckpoint.FILE_NAME);
        assertThat(checkpoint.read()).isEmpty();

        Files.writeString(file, "0\n2\n3 10\n2 20\n");
        assertThatThrownBy(checkpoint::read).isInstanceOf(IOException.class);

        Files.writeString(file, "0\n3\n1 0\n");
        assertThatThrownBy(checkpoint::read).isInstanceOf(IOException.class);

        Files.writeString(file, "1\n0\n");
        assertThatThrownBy(checkpoint::read).isInstanceOf(IOException.class);

        Files.writeString(file, "0\n1\nx 0\n");
        assertThatThrownBy(checkpoint::read).isInstanceOf(IOException.class);
    }
}
