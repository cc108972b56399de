package io.brook.storage;

/**
 * An aborted transaction as the transaction index stores it: the producer, the offsets of its first record and of its
 * abort marker, and the partition's last stable offset once it was aborted. A read_committed Fetch hands the producer
 * id and first offset to the client, which skips the producer's records from there to the marker.
 */
public record AbortedTxn(long producerId, long firstOffset, long lastOffset, long lastStableOffset) {
}
