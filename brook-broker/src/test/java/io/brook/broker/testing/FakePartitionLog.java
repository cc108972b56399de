package io.brook.broker.testing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;

import io.brook.storage.EpochEndOffset;
import io.brook.storage.FetchIsolation;
import io.brook.storage.HighWatermarkMode;
import io.brook.storage.LogAppendInfo;
import io.brook.storage.LogReadResult;
import io.brook.storage.PartitionLog;
import io.brook.storage.TimestampAndOffset;

/**
 * An in-memory partition log: batches kept in append order, offsets assigned by rewriting base offsets, high
 * watermark = log end. Durability is driven by the test ({@link #makeDurableUpTo}); {@link #failNextAppend} injects
 * storage errors; {@link #setSizeInBytes} fakes the size. Synchronized; good enough for tests.
 */
public final class FakePartitionLog implements PartitionLog {

    private final TopicPartition topicPartition;
    private final List<Stored> batches = new ArrayList<>();
    private final List<Waiter> durabilityWaiters = new ArrayList<>();
    private long logStartOffset;
    private long logEndOffset;
    private long heldHighWatermark = -1;
    private long durableOffset;
    private RuntimeException nextAppendFailure;
    private final List<Long> durabilityRequests = new ArrayList<>();
    private long sizeOverride = -1;
    private volatile boolean offline;

    public FakePartitionLog(TopicPartition topicPartition) {
        this.topicPartition = topicPartition;
    }

    private record Stored(long baseOffset, long lastOffset, long maxTimestamp, ByteBuffer bytes) {
    }

    private record Waiter(long offset, CompletableFuture<Void> future) {
    }

    @Override
    public TopicPartition topicPartition() {
        return topicPartition;
    }

    /** As a log whose log dir went offline: {@link #isOffline()} answers true from now on. */
    public void setOffline() {
        offline = true;
    }

    @Override
    public boolean isOffline() {
        return offline;
    }

    public synchronized void failNextAppend(RuntimeException failure) {
        nextAppendFailure = failure;
    }

    @Override
    public synchronized LogAppendInfo appendAsLeader(MemoryRecords records, int leaderEpoch) {
        if (nextAppendFailure != null) {
            RuntimeException failure = nextAppendFailure;
            nextAppendFailure = null;
            throw failure;
        }
        long first = logEndOffset;
        for (MutableRecordBatch batch : records.batches()) {
            long count = batch.lastOffset() - batch.baseOffset() + 1;
            batch.setLastOffset(logEndOffset + count - 1);
            batch.setPartitionLeaderEpoch(leaderEpoch);
            ByteBuffer copy = ByteBuffer.allocate(batch.sizeInBytes());
            batch.writeTo(copy);
            copy.flip();
            batches.add(new Stored(logEndOffset, logEndOffset + count - 1, batch.maxTimestamp(), copy));
            logEndOffset += count;
        }
        return new LogAppendInfo(first, logEndOffset - 1, RecordBatch.NO_TIMESTAMP, logStartOffset, false);
    }

    /** Not used by broker tests yet: replication is not wired in. */
    @Override
    public LogAppendInfo appendAsFollower(MemoryRecords records) {
        throw new UnsupportedOperationException("FakePartitionLog has no follower mode");
    }

    @Override
    public synchronized LogReadResult read(long fetchOffset, int maxBytes, boolean minOneMessage,
            FetchIsolation isolation) {
        return read(fetchOffset, maxBytes, minOneMessage,
                isolation == FetchIsolation.LOG_END ? logEndOffset : highWatermark());
    }

    @Override
    public HighWatermarkMode highWatermarkMode() {
        return HighWatermarkMode.FOLLOWS_LOG_END;
    }

    @Override
    public void setHighWatermarkMode(HighWatermarkMode mode) {
        throw new UnsupportedOperationException("FakePartitionLog's high watermark always follows the log end");
    }

    @Override
    public synchronized long updateHighWatermark(long offset) {
        return logEndOffset;
    }

    @Override
    public OptionalInt latestEpoch() {
        return OptionalInt.empty();
    }

    @Override
    public EpochEndOffset endOffsetForEpoch(int leaderEpoch) {
        return EpochEndOffset.UNDEFINED;
    }

    @Override
    public boolean truncateTo(long offset) {
        throw new UnsupportedOperationException("FakePartitionLog cannot truncate");
    }

    @Override
    public void truncateFullyAndStartAt(long offset) {
        throw new UnsupportedOperationException("FakePartitionLog cannot truncate");
    }

    @Override
    public synchronized boolean maybeIncrementLogStartOffset(long offset) {
        if (offset <= logStartOffset) {
            return false;
        }
        logStartOffset = offset;
        return true;
    }

    @Override
    public synchronized LogReadResult read(long fetchOffset, int maxBytes, boolean minOneMessage) {
        return read(fetchOffset, maxBytes, minOneMessage, highWatermark());
    }

    /** Whole batches from {@code fetchOffset}, none that starts at or beyond {@code limit}. */
    private LogReadResult read(long fetchOffset, int maxBytes, boolean minOneMessage, long limit) {
        if (fetchOffset < logStartOffset || fetchOffset > logEndOffset) {
            throw new OffsetOutOfRangeException("offset " + fetchOffset + " out of range");
        }
        ByteBuffer out = ByteBuffer.allocate(batches.stream().mapToInt(s -> s.bytes.remaining()).sum());
        for (Stored stored : batches) {
            if (stored.lastOffset < fetchOffset) {
                continue;
            }
            if (stored.baseOffset >= limit) {
                break;
            }
            int size = stored.bytes.remaining();
            boolean first = out.position() == 0;
            if (out.position() + size > maxBytes && !(first && minOneMessage)) {
                break;
            }
            out.put(stored.bytes.duplicate());
        }
        out.flip();
        return new LogReadResult(MemoryRecords.readableRecords(out), logEndOffset, logEndOffset, logStartOffset,
                logEndOffset);
    }

    @Override
    public synchronized long logStartOffset() {
        return logStartOffset;
    }

    public synchronized void setLogStartOffset(long offset) {
        logStartOffset = offset;
    }

    @Override
    public synchronized long logEndOffset() {
        return logEndOffset;
    }

    @Override
    public synchronized long highWatermark() {
        return heldHighWatermark < 0 ? logEndOffset : Math.min(heldHighWatermark, logEndOffset);
    }

    /** Keeps the high watermark at most at {@code offset} (followers that have not fetched), until released. */
    public synchronized void holdHighWatermarkAt(long offset) {
        heldHighWatermark = offset;
    }

    /** The high watermark follows the log end again. */
    public synchronized void releaseHighWatermark() {
        heldHighWatermark = -1;
    }

    @Override
    public synchronized Optional<TimestampAndOffset> offsetForTimestamp(long timestamp) {
        if (timestamp == -2L) {
            return Optional.of(new TimestampAndOffset(-1, logStartOffset, 0));
        }
        if (timestamp == -1L) {
            return Optional.of(new TimestampAndOffset(-1, logEndOffset, 0));
        }
        if (timestamp == -3L) {
            Stored max = null;
            for (Stored stored : batches) {
                if (max == null || stored.maxTimestamp > max.maxTimestamp) {
                    max = stored;
                }
            }
            return max == null
                    ? Optional.empty()
                    : Optional.of(new TimestampAndOffset(max.maxTimestamp, max.lastOffset, 0));
        }
        for (Stored stored : batches) {
            if (stored.maxTimestamp >= timestamp) {
                return Optional.of(new TimestampAndOffset(stored.maxTimestamp, stored.baseOffset, 0));
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized CompletableFuture<Void> awaitDurable(long offset) {
        durabilityRequests.add(offset);
        if (offset <= durableOffset) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> future = new CompletableFuture<>();
        durabilityWaiters.add(new Waiter(offset, future));
        return future;
    }

    /** Simulates an fsync of everything below {@code offset}. */
    public void makeDurableUpTo(long offset) {
        List<Waiter> done = new ArrayList<>();
        synchronized (this) {
            durableOffset = Math.max(durableOffset, offset);
            durabilityWaiters.removeIf(w -> {
                if (w.offset <= durableOffset) {
                    done.add(w);
                    return true;
                }
                return false;
            });
        }
        done.forEach(w -> w.future.complete(null));
    }

    /** Fails every pending durability wait. */
    public void failDurability(RuntimeException failure) {
        List<Waiter> pending;
        synchronized (this) {
            pending = new ArrayList<>(durabilityWaiters);
            durabilityWaiters.clear();
        }
        pending.forEach(w -> w.future.completeExceptionally(failure));
    }

    public synchronized List<Long> durabilityRequests() {
        return List.copyOf(durabilityRequests);
    }

    @Override
    public synchronized long sizeInBytes() {
        return sizeOverride >= 0 ? sizeOverride : batches.stream().mapToLong(s -> s.bytes.remaining()).sum();
    }

    /** Makes {@link #sizeInBytes} report {@code size} whatever the log holds, e.g. to describe log dirs. */
    public synchronized void setSizeInBytes(long size) {
        sizeOverride = size;
    }

    @Override
    public int numberOfSegments() {
        return 1;
    }

    @Override
    public void delete() {
    }

    @Override
    public void close() {
    }
}
