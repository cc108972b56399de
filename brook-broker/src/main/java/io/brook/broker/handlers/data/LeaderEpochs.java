package io.brook.broker.handlers.data;

import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.RecordBatch;

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
}
