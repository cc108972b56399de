package io.brook.broker.testing;

import java.io.IOException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.MemoryRecords;

import io.brook.storage.EpochEndOffset;
import io.brook.storage.FetchIsolation;
import io.brook.storage.HighWatermarkMode;
import io.brook.storage.LogAppendInfo;
import io.brook.storage.LogReadResult;
import io.brook.storage.PartitionLog;
import io.brook.storage.TimestampAndOffset;
import io.brook.storage.VerificationGuard;

/**
 * A log that passes every call to another, so a test overrides only the calls it wants to observe or hold back.
 * Thread-safety is the delegate's.
 */
public abstract class ForwardingPartitionLog implements PartitionLog {

    protected final PartitionLog delegate;

    protected ForwardingPartitionLog(PartitionLog delegate) {
        this.delegate = delegate;
    }

    @Override
    public TopicPartition topicPartition() {
        return delegate.topicPartition();
    }

    @Override
    public LogAppendInfo appendAsLeader(MemoryRecords records, int leaderEpoch) {
        return delegate.appendAsLeader(records, leaderEpoch);
    }

    @Override
    public LogAppendInfo appendAsLeader(MemoryRecords records, int leaderEpoch, VerificationGuard guard) {
        return delegate.appendAsLeader(records, leaderEpoch, guard);
    }

    @Override
    public VerificationGuard maybeStartTransactionVerification(long producerId, short producerEpoch,
            boolean epochBump) {
        return delegate.maybeStartTransactionVerification(producerId, producerEpoch, epochBump);
    }

    @Override
    public boolean hasOngoingTransaction(long producerId, short producerEpoch) {
        return delegate.hasOngoingTransaction(producerId, producerEpoch);
    }

    @Override
    public LogAppendInfo appendAsFollower(MemoryRecords records) {
        return delegate.appendAsFollower(records);
    }

    @Override
    public LogReadResult read(long fetchOffset, int maxBytes, boolean minOneMessage) {
        return delegate.read(fetchOffset, maxBytes, minOneMessage);
    }

    @Override
    public LogReadResult read(long fetchOffset, int maxBytes, boolean minOneMessage, FetchIsolation isolation) {
        return delegate.read(fetchOffset, maxBytes, minOneMessage, isolation);
    }

    @Override
    public long logStartOffset() {
        return delegate.logStartOffset();
    }

    @Override
    public long logEndOffset() {
        return delegate.logEndOffset();
    }

    @Override
    public long highWatermark() {
        return delegate.highWatermark();
    }

    @Override
    public HighWatermarkMode highWatermarkMode() {
        return delegate.highWatermarkMode();
    }

    @Override
    public void setHighWatermarkMode(HighWatermarkMode mode) {
        delegate.setHighWatermarkMode(mode);
    }

    @Override
    public long updateHighWatermark(long offset) {
        return delegate.updateHighWatermark(offset);
    }

    @Override
    public OptionalInt latestEpoch() {
        return delegate.latestEpoch();
    }

    @Override
    public EpochEndOffset endOffsetForEpoch(int leaderEpoch) {
        return delegate.endOffsetForEpoch(leaderEpoch);
    }

    @Override
    public boolean truncateTo(long offset) {
        return delegate.truncateTo(offset);
    }

    @Override
    public void truncateFullyAndStartAt(long offset) {
        delegate.truncateFullyAndStartAt(offset);
    }

    @Override
    public boolean maybeIncrementLogStartOffset(long offset) {
        return delegate.maybeIncrementLogStartOffset(offset);
    }

    @Override
    public Optional<TimestampAndOffset> offsetForTimestamp(long timestamp) {
        return delegate.offsetForTimestamp(timestamp);
    }

    @Override
    public CompletableFuture<Void> awaitDurable(long offset) {
        return delegate.awaitDurable(offset);
    }

    @Override
    public long sizeInBytes() {
        return delegate.sizeInBytes();
    }

    @Override
    public int numberOfSegments() {
        return delegate.numberOfSegments();
    }

    @Override
    public void delete() {
        delegate.delete();
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
