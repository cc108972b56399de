package io.brook.broker.handlers.data;

/**
 * What a fetch asks of one partition.
 *
 * @param key the partition
 * @param fetchOffset the offset to read from
 * @param maxBytes the partition's byte limit (at least one whole batch is still returned for the first partition)
 * @param currentLeaderEpoch the leader epoch the client believes current, or -1 for no check
 * @param lastFetchedEpoch the epoch of the last batch the fetcher has (v12+), or -1 for no divergence check
 * @param logStartOffset the fetcher's own log start offset (v5+; followers report it, consumers send -1)
 */
public record FetchPartitionRequest(FetchPartitionKey key, long fetchOffset, int maxBytes, int currentLeaderEpoch,
        int lastFetchedEpoch, long logStartOffset) {

    public FetchPartitionRequest(FetchPartitionKey key, long fetchOffset, int maxBytes, int currentLeaderEpoch) {
        this(key, fetchOffset, maxBytes, currentLeaderEpoch, -1, -1);
    }
}
