package io.brook.metadata.quorum;

/**
 * No majority of voters answered in time (or the quorum is closed), so a command's outcome is unknown: it was not
 * acknowledged, yet it may still commit later if it reached the leader's log. Callers retry with an idempotent command
 * or report a retriable error (Kafka answers REQUEST_TIMED_OUT / NOT_CONTROLLER in this case).
 */
public class QuorumUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public QuorumUnavailableException(String message) {
        super(message);
    }

    public QuorumUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
