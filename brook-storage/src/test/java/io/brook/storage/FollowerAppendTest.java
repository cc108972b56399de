package io.brook.storage;

import static io.brook.storage.TestRecords.batch;
import static io.brook.storage.TestRecords.idempotent;
import static io.brook.storage.TestRecords.offsets;
import static io.brook.storage.TestRecords.payload;
import static io.brook.storage.TestRecords.simple;
import static io.brook.storage.TestRecords.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.brook.storage.LeaderEpochCheckpoint.EpochEntry;

class FollowerAppendTest {

    private static final TopicPartition TP = new TopicPartition("orders", 0);

    @TempDir
    Path leaderDir;
    @TempDir
    Path followerDir;

    private LogFixture leaderFixture;
    private LogFixture followerFixture;

    @AfterEach
    void tearDown() {
        if (leaderFixture != null) {
            leaderFixture.close();
        }
        if (followerFixture != null) {
            followerFixture.close();
        }
    }

    private DefaultPartitionLog leader(LogConfig config) {
        leaderFixture = new LogFixture(leaderDir, config);
        return leaderFixture.log(TP);
    }

    private DefaultPartitionLog follower(LogConfig config) {
        followerFixture = new LogFixture(followerDir, config);
        return followerFixture.log(TP);
    }

    @Test
    void shouldKeepLeaderOffsetsEpochsAndBytesWhenAppendingAsFollower() {
        DefaultPartitionLog leader = leader(LogConfig.defaults());
        DefaultPartitionLog follower = follower(LogConfig.defaults());
        leader.appendAsLeader(batch(1L, "a", "b"), 1);
        leader.appendAsLeader(batch(2L, "c"), 1);
        leader.appendAsLeader(batch(3L, "d", "e"), 4);

        LogAppendInfo info = follower.appendAsFollower(LogFixture.fetchAll(leader, 0));

        assertThat(info.firstOffset()).isZero();
        assertThat(info.lastOffset()).isEqualTo(4);
        assertThat(follower.logEndOffset()).isEqualTo(5);
        assertThat(LogFixture.logBytes(follower)).isEqualTo(LogFixture.logBytes(leader));
        assertThat(offsets(follower.read(0, Integer.MAX_VALUE, false).records())).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(follower.epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(4, 3));
        assertThat(follower.latestEpoch()).hasValue(4);
        assertThat(follower.endOffsetForEpoch(1)).isEqualTo(new EpochEndOffset(1, 3));
    }

    @Test
    void shouldAppendInSeveralFetchesAndAcrossSegments() {
        LogConfig small = LogFixture.smallSegments(1024);
        DefaultPartitionLog leader = leader(small);
        DefaultPartitionLog follower = follower(small);
        for (int i = 0; i < 40; i++) {
            leader.appendAsLeader(batch(1L, "v" + i + payload(60)), i < 20 ? 0 : 1);
        }

        follower.appendAsFollower(MemoryRecords.EMPTY); // an empty fetch changes nothing
        while (follower.logEndOffset() < leader.logEndOffset()) {
            // one replica fetch: everything from the follower's end, in one append spanning several segments
            follower.appendAsFollower(LogFixture.fetchAll(leader, follower.logEndOffset()));
        }

        assertThat(follower.numberOfSegments()).isGreaterThan(3);
        assertThat(LogFixture.logBytes(follower)).isEqualTo(LogFixture.logBytes(leader));
        assertThat(follower.epochEntries()).isEqualTo(leader.epochEntries());
    }

    @Test
    void shouldRejectAppendBelowLogEndOffset() {
        DefaultPartitionLog leader = leader(LogConfig.defaults());
        DefaultPartitionLog follower = follower(LogConfig.defaults());
        leader.appendAsLeader(batch(1L, "a", "b"), 0);
        follower.appendAsFollower(LogFixture.fetchAll(leader, 0));

        assertThatThrownBy(() -> follower.appendAsFollower(LogFixture.fetchAll(leader, 0)))
                .isInstanceOfSatisfying(UnexpectedAppendOffsetException.class, e -> {
                    assertThat(e.firstOffset()).isZero();
                    assertThat(e.logEndOffset()).isEqualTo(2);
                });
        assertThat(follower.logEndOffset()).isEqualTo(2);
    }

    @Test
    void shouldRejectOffsetsThatDoNotIncrease() {
        DefaultPartitionLog follower = follower(LogConfig.defaults());
        MemoryRecords first = MemoryRecords.withRecords(5L, Compression.NONE, 0, simple(1L, "a", "b"));
        MemoryRecords overlapping = MemoryRecords.withRecords(6L, Compression.NONE, 0, simple(1L, "c"));

        assertThatThrownBy(() -> follower.appendAsFollower(concat(first, overlapping)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("Out of order offsets");
        assertThat(follower.logEndOffset()).isZero();
    }

    @Test
    void shouldRejectCorruptBatch() {
        DefaultPartitionLog follower = follower(LogConfig.defaults());
        MemoryRecords records = MemoryRecords.withRecords(0L, Compression.NONE, 0, simple(1L, "a"));
        ByteBuffer buffer = records.buffer();
        buffer.put(buffer.limit() - 1, (byte) (buffer.get(buffer.limit() - 1) ^ 0x7F));

        assertThatThrownBy(() -> follower.appendAsFollower(records)).isInstanceOf(CorruptRecordException.class);
        assertThat(follower.logEndOffset()).isZero();
    }

    @Test
    void shouldIgnoreATrailingPartialBatchAsAFetchCutAtItsSizeLimitHasOne() {
        DefaultPartitionLog follower = follower(LogConfig.defaults());
        MemoryRecords whole = MemoryRecords.withRecords(0L, Compression.NONE, 0, simple(1L, "a"));
        MemoryRecords next = MemoryRecords.withRecords(1L, Compression.NONE, 0, simple(1L, "b", "c"));
        MemoryRecords both = concat(whole, next);
        ByteBuffer cut = both.buffer().duplicate();
        cut.limit(cut.limit() - 5);

        LogAppendInfo info = follower.appendAsFollower(MemoryRecords.readableRecords(cut.slice()));

        assertThat(info.lastOffset()).isZero();
        assertThat(follower.logEndOffset()).isEqualTo(1);
        assertThat(values(follower.read(0, 1000, false).records())).containsExactly("a");
    }

    @Test
    void shouldRejectABatchLargerThanASegment() {
        DefaultPartitionLog follower = follower(LogFixture.smallSegments(1024));

        assertThatThrownBy(() -> follower.appendAsFollower(
                MemoryRecords.withRecords(0L, Compression.NONE, 0, simple(1L, payload(2000)))))
                .isInstanceOf(RecordBatchTooLargeException.class);
    }

    @Test
    void shouldAcceptOffsetGapsAsInCompactedData() {
        DefaultPartitionLog follower = follower(LogConfig.defaults());

        follower.appendAsFollower(MemoryRecords.withRecords(10L, Compression.NONE, 2, simple(1L, "a", "b")));
        follower.appendAsFollower(MemoryRecords.withRecords(20L, Compression.NONE, 2, simple(1L, "c")));

        assertThat(follower.logEndOffset()).isEqualTo(21);
        assertThat(offsets(follower.read(0, Integer.MAX_VALUE, false).records())).containsExactly(10L, 11L, 20L);
        assertThat(offsets(follower.read(15, Integer.MAX_VALUE, false).records())).containsExactly(20L);
    }

    @Test
    void shouldMirrorProducerStateSoARetryIsADuplicateAfterTakingOver() {
        DefaultPartitionLog leader = leader(LogConfig.defaults());
        DefaultPartitionLog follower = follower(LogConfig.defaults());
        leader.appendAsLeader(idempotent(7L, (short) 0, 0, "a", "b"), 0);
        leader.appendAsLeader(idempotent(7L, (short) 0, 2, "c"), 0);

        follower.appendAsFollower(LogFixture.fetchAll(leader, 0));
        // the follower becomes leader; the producer retries its last batch
        LogAppendInfo retry = follower.appendAsLeader(idempotent(7L, (short) 0, 2, "c"), 1);
        LogAppendInfo next = follower.appendAsLeader(idempotent(7L, (short) 0, 3, "d"), 1);

        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.firstOffset()).isEqualTo(2);
        assertThat(next.firstOffset()).isEqualTo(3);
        assertThat(follower.logEndOffset()).isEqualTo(4);
    }

    @Test
    void shouldPassTransactionalAndControlBatchesThroughUnchanged() {
        DefaultPartitionLog follower = follower(LogConfig.defaults());
        long producerId = 42L;
        short epoch = 3;
        MemoryRecords transactional = MemoryRecords.withTransactionalRecords(0L, Compression.NONE, producerId,
                epoch, 0, 5, simple(1L, "t1", "t2"));
        MemoryRecords commit = MemoryRecords.withEndTransactionMarker(2L, 10L, 5, producerId, epoch,
                new EndTransactionMarker(ControlRecordType.COMMIT, 0));
        MemoryRecords both = concat(transactional, commit);
        byte[] sent = bytes(both);

        follower.appendAsFollower(both);

        assertThat(LogFixture.logBytes(follower)).isEqualTo(sent);
        List<RecordBatch> stored = new ArrayList<>();
        LogFixture.fetchAll(follower, 0).batches().forEach(stored::add);
        assertThat(stored).hasSize(2);
        assertThat(stored.get(0).isTransactional()).isTrue();
        assertThat(stored.get(1).isControlBatch()).isTrue();
        assertThat(values(follower.read(0, 1000, true).records())).hasSize(3).startsWith("t1", "t2");
        assertThat(follower.logEndOffset()).isEqualTo(3);
        assertThat(follower.latestEpoch()).hasValue(5);
    }

    private static MemoryRecords concat(MemoryRecords a, MemoryRecords b) {
        ByteBuffer buffer = ByteBuffer.allocate(a.sizeInBytes() + b.sizeInBytes());
        buffer.put(a.buffer().duplicate());
        buffer.put(b.buffer().duplicate());
        buffer.flip();
        return MemoryRecords.readableRecords(buffer);
    }

    private static byte[] bytes(MemoryRecords records) {
        ByteBuffer buffer = records.buffer().duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
