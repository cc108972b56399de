package io.brook.broker.handlers.admin;

import java.util.concurrent.CompletionException;

import org.apache.kafka.common.errors.TimeoutException;

import io.brook.metadata.quorum.QuorumUnavailableException;

/** Maps a failed metadata command future to the exception a Kafka client retries. Stateless. */
final class QuorumReplies {

    private QuorumReplies() {
    }

    /** A quorum that did not commit in time becomes REQUEST_TIMED_OUT; anything else is passed on. */
    static RuntimeException translate(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof QuorumUnavailableException) {
            return new TimeoutException(cause.getMessage(), cause);
        }
        return cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
    }
}
