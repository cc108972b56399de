package io.brook.broker.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.record.internal.MemoryRecords;

import io.brook.broker.replication.PartitionWriter;
import io.brook.storage.LogManager;
import io.brook.storage.PartitionLog;

/**
 * A {@link PartitionWriter} over a log manager, without replication: appends go to the log, and a write is committed
 * once the log says it is durable (a single node). A test may refuse appends, or hold commits and then release or
 * fail them, to drive a coordinator through replication outcomes. Thread-safe.
 */
public final class TestPartitionWriter implements PartitionWriter {

    private final LogManager logs;
    private RuntimeException refusal;
    private boolean holding;
    private final List<CompletableFuture<Void>> held = new ArrayList<>();

    public TestPartitionWriter(LogManager logs) {
        this.logs = logs;
    }

    /** Every append from now on throws {@code error} (null: appends work again). */
    public synchronized void refuseAppendsWith(RuntimeException error) {
        refusal = error;
    }

    /** From now on writes are not committed until {@link #releaseCommits} or {@link #failCommits}. */
    public synchronized void holdCommits() {
        holding = true;
    }

    /** Commits every held write and stops holding. */
    public void releaseCommits() {
        List<CompletableFuture<Void>> released = drain();
        released.forEach(f -> f.complete(null));
    }

    /** Fails every held write with {@code error} (they stay held for later writes). */
    public void failCommits(Throwable error) {
        List<CompletableFuture<Void>> failed;
        synchronized (this) {
            failed = List.copyOf(held);
            held.clear();
        }
        failed.forEach(f -> f.completeExceptionally(error));
    }

    public synchronized int heldCount() {
        return held.size();
    }

    private synchronized List<CompletableFuture<Void>> drain() {
        holding = false;
        List<CompletableFuture<Void>> all = List.copyOf(held);
        held.clear();
        return all;
    }

    @Override
    public long append(TopicPartition topicPartition, int leaderEpoch, MemoryRecords records) {
        synchronized (this) {
            if (refusal != null) {
                throw refusal;
            }
        }
        return log(topicPartition).appendAsLeader(records, leaderEpoch).lastOffset() + 1;
    }

    @Override
    public CompletableFuture<Void> awaitCommitted(TopicPartition topicPartition, int leaderEpoch, long endOffset,
            long timeoutMs) {
        synchronized (this) {
            if (holding) {
                CompletableFuture<Void> future = new CompletableFuture<>();
                held.add(future);
                return future;
            }
        }
        // No timeout: the tests drive durability by hand.
        return log(topicPartition).awaitDurable(endOffset);
    }

    private PartitionLog log(TopicPartition topicPartition) {
        return logs.get(topicPartition).orElseThrow(() -> new NotLeaderOrFollowerException("no log for "
                + topicPartition));
    }
}
