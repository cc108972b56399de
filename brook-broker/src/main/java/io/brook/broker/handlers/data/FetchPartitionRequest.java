package io.brook.broker.handlers.data;

/**
 * What a fetch asks of one partition.
 *
 * @param key the partition
 * @param fetchOffset the offset to read from
 * @param maxBytes the partition's byte limit (at least one whole batch is still returned for the first partition)
 * @param currentLeaderEpoch the leader epoch the client believes current, or -1 for no check
 */
public record FetchPartitionRequest(FetchPartitionKey key, long fetchOffset, int maxBytes, int currentLeaderEpoch) {
}
