package io.brook.broker.handlers.data;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where the data path turns an exception into the error code a client sees. Storage throws
 * kafka-clients {@link ApiException}s that carry the right code; anything else is a bug or an I/O failure and is
 * logged before it becomes UNKNOWN_SERVER_ERROR.
 */
final class DataPathErrors {

    private static final Logger LOG = LoggerFactory.getLogger(DataPathErrors.class);

    private DataPathErrors() {
    }

    static Errors forException(Throwable error, String action) {
        Throwable cause = unwrap(error);
        Errors mapped = Errors.forException(cause);
        if (!(cause instanceof ApiException)) {
            LOG.error("Unexpected error during {}", action, cause);
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("{} failed with {}: {}", action, mapped, cause.getMessage());
        }
        return mapped;
    }

    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
