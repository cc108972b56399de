package io.brook.broker.handlers.data;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.requests.AbstractResponse;

/**
 * Checks the isolation level byte of Fetch and ListOffsets before kafka-clients' {@code IsolationLevel.forId} throws
 * an {@code IllegalArgumentException} for it. An unknown value answers INVALID_REQUEST instead of failing the
 * handler (Kafka answers UNKNOWN_SERVER_ERROR and logs an error per request, which a client can use to flood the
 * log).
 *
 * <p>Stateless.
 */
final class KnownIsolationLevel {

    private KnownIsolationLevel() {
    }

    /** Empty when {@code id} is a known isolation level, else the failed future to answer with. */
    static Optional<CompletableFuture<AbstractResponse>> rejectUnknown(byte id) {
        for (IsolationLevel level : IsolationLevel.values()) {
            if (level.id() == id) {
                return Optional.empty();
            }
        }
        return Optional.of(CompletableFuture.failedFuture(
                new InvalidRequestException("Unknown isolation level " + id)));
    }
}
