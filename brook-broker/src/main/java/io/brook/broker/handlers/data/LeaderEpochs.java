package io.brook.broker.handlers.data;

import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.RecordBatch;

import io.brook.broker.partition.LocalPartitions;

/** The KIP-320 check of the leader epoch a client believes current against ours. */
final class LeaderEpochs {

    private LeaderEpochs() {
    }

    /**
     * @param requested the epoch in the request, -1 for "don't check"
     * @param current this leader's epoch
     * @return NONE, FENCED_LEADER_EPOCH (the client is behind) or UNKNOWN_LEADER_EPOCH (the client is ahead of us)
     */
    static Errors check(int requested, int current) {
        if (requested == RecordBatch.NO_PARTITION_LEADER_EPOCH || requested == current) {
            return Errors.NONE;
        }
        return requested < current ? Errors.FENCED_LEADER_EPOCH : Errors.UNKNOWN_LEADER_EPOCH;
    }

    /**
     * Kafka's order for a partition request: the epoch check first (also on a follower, which knows the epoch), then
     * the lookup's own error (NOT_LEADER_OR_FOLLOWER on a follower, UNKNOWN_TOPIC_OR_PARTITION...).
     */
    static Errors check(int requested, LocalPartitions.Lookup lookup) {
        if (lookup.hosted() != null) {
            Errors epochError = check(requested, lookup.hosted().leaderEpoch());
            if (epochError != Errors.NONE) {
                return epochError;
            }
        }
        return lookup.error();
    }
}
