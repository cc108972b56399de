package io.brook.broker.replication;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * How a coordinator writes its internal partition ({@code __consumer_offsets}, later {@code __transaction_state}) as
 * its leader, with the guarantee of a Produce with acks=all: {@link #append} writes locally (refusing when the ISR is
 * below {@code min.insync.replicas}), {@link #awaitCommitted} tells when every in-sync replica has the records and
 * this node has them on disk. A coordinator answers a request only after the second, so no answer it gives is lost
 * when the leader dies.
 *
 * <p>On a single node (one replica) the high watermark is the log end, so a write is committed as soon as it is
 * fsynced, as before replication existed.
 *
 * <p>Thread-safe; {@link #append} does a page-cache write on the caller's thread and never blocks on the network.
 */
public interface PartitionWriter {

    /**
     * Appends {@code records} to {@code topicPartition}, which this node must lead at {@code leaderEpoch}, and wakes
     * the followers' parked fetches.
     *
     * @return the offset after the last record appended (what {@link #awaitCommitted} waits for)
     * @throws org.apache.kafka.common.errors.NotLeaderOrFollowerException if this node does not lead the partition at
     *         that epoch (nothing appended)
     * @throws org.apache.kafka.common.errors.NotEnoughReplicasException if the ISR is smaller than
     *         {@code min.insync.replicas} (nothing appended)
     * @throws org.apache.kafka.common.errors.ApiException any other refusal of the log (storage error, size)
     */
    long append(TopicPartition topicPartition, int leaderEpoch, MemoryRecords records);

    /**
     * Completes once the high watermark of {@code topicPartition} reaches {@code endOffset} and this node has fsynced
     * up to it. Completes exceptionally with {@code NotEnoughReplicasAfterAppendException} if the ISR had shrunk below
     * {@code min.insync.replicas} when the high watermark got there (the records are committed nonetheless),
     * {@code NotLeaderOrFollowerException} if the leadership at {@code leaderEpoch} ends first,
     * {@code TimeoutException} after {@code timeoutMs}, or the storage error of a failed fsync.
     */
    CompletableFuture<Void> awaitCommitted(TopicPartition topicPartition, int leaderEpoch, long endOffset,
            long timeoutMs);
}
