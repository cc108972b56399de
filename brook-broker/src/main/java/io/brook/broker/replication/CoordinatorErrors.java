package io.brook.broker.replication;

import java.util.concurrent.CompletionException;

import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;

/**
 * Turns a failure of a coordinator's own storage (a {@link PartitionWriter} append or its replication wait) into the
 * error a client retries correctly, as Kafka's group and transaction coordinators do: a storage error or lost leadership means "find the coordinator again" (NOT_COORDINATOR), a
 * missing partition or a replication timeout means "not available yet", and a record the log refuses is a server
 * bug. Stateless.
 */
public final class CoordinatorErrors {

    private CoordinatorErrors() {
    }

    /** {@code failure} without the {@link CompletionException} a future chain wraps it in. */
    public static Throwable cause(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /**
     * The error to answer for {@code failure} of an append or of its replication wait: Kafka's mapping
     * ({@code CoordinatorOperationExceptionHelper}), plus NOT_ENOUGH_REPLICAS_AFTER_APPEND, which clients do not retry
     * on coordinator APIs, as COORDINATOR_NOT_AVAILABLE like NOT_ENOUGH_REPLICAS.
     */
    public static Errors normalize(Throwable failure) {
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

    /**
     * The error to answer a read (OffsetFetch, DescribeGroups, Heartbeat) whose wait for the shard's last write
     * failed. As Kafka's OffsetFetch: a replication failure or timeout is NOT_COORDINATOR, which every client version
     * retries after looking the coordinator up again (COORDINATOR_NOT_AVAILABLE is not retried there before 3.9).
     */
    public static Errors normalizeForRead(Throwable failure) {
        Errors error = normalize(failure);
        return error == Errors.COORDINATOR_NOT_AVAILABLE ? Errors.NOT_COORDINATOR : error;
    }

    /** The exception to fail a waiting response with, so the network layer answers {@link #normalize}'s code. */
    public static ApiException toClientError(Throwable failure) {
        Errors error = normalize(failure);
        ApiException exception = error.exception("Group coordinator could not write to its log: " + failure);
        exception.initCause(failure);
        return exception;
    }
}
