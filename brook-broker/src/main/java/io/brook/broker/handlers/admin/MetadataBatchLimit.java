package io.brook.broker.handlers.admin;

import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;

/**
 * Kafka's controller refuses any one admin operation that would write more than 10,000 metadata records (a topic
 * record, its config records and one record per partition), answering POLICY_VIOLATION for the whole request. Without
 * it a single CreateTopics or CreatePartitions asking for two billion partitions makes the broker create logs until
 * it runs out of file descriptors and takes its log dir offline.
 *
 * <p>Stateless.
 */
final class MetadataBatchLimit {

    /** Kafka's {@code QuorumController.MAX_RECORDS_PER_USER_OP}. */
    static final int MAX_RECORDS_PER_OPERATION = 10_000;
    static final ApiError TOO_LARGE = new ApiError(Errors.POLICY_VIOLATION,
            "Unable to perform excessively large batch operation.");

    private MetadataBatchLimit() {
    }

    static boolean exceeded(long records) {
        return records > MAX_RECORDS_PER_OPERATION;
    }
}
