package io.brook.broker.txn;

import java.util.concurrent.CompletionException;

import org.apache.kafka.common.protocol.Errors;

/**
 * Turns a failed write of {@code __transaction_state} into the error the producer retries correctly, as Kafka's
 * TransactionStateManager does: lost leadership or a storage error means "find the coordinator again"
 * (NOT_COORDINATOR), too few replicas or a timeout means "not available yet" (COORDINATOR_NOT_AVAILABLE), a record the
 * log refuses is a server bug. The same mapping as the group coordinator's (its class is package-private there).
 * Stateless.
 */
final class TransactionCoordinatorErrors {

    private TransactionCoordinatorErrors() {
    }

    static Throwable cause(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    static Errors normalize(Throwable failure) {
        Errors error = Errors.forException(cause(failure));
        return switch (error) {
            case KAFKA_STORAGE_ERROR, NOT_LEADER_OR_FOLLOWER -> Errors.NOT_COORDINATOR;
            case UNKNOWN_TOPIC_OR_PARTITION, NOT_ENOUGH_REPLICAS, NOT_ENOUGH_REPLICAS_AFTER_APPEND,
                    REQUEST_TIMED_OUT ->
                Errors.COORDINATOR_NOT_AVAILABLE;
            case MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE, INVALID_FETCH_SIZE -> Errors.UNKNOWN_SERVER_ERROR;
            default -> error;
        };
    }
}
