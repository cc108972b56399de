package io.brook.server.cli;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Turns the Kafka clients' failures into one line that says what went wrong and what to do. Stateless. */
public final class CliErrors {

    private CliErrors() {
    }

    public static CliException translate(Throwable e, String bootstrap, int timeoutMs) {
        Throwable cause = e;
        while (cause instanceof ExecutionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof CliException cli) {
            return cli;
        }
        if (cause instanceof TimeoutException || cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            return new CliException("no answer from the cluster at " + bootstrap + " within " + timeoutMs
                    + " ms; check --bootstrap-server (or $BROOK_BROKERS) and that the brokers are up");
        }
        if (cause instanceof UnknownTopicOrPartitionException) {
            return new CliException(message(cause) + "; list topics with: brook topic list");
        }
        if (cause instanceof GroupIdNotFoundException) {
            return new CliException(message(cause) + "; list groups with: brook group list");
        }
        if (cause instanceof GroupNotEmptyException) {
            return new CliException(message(cause) + "; stop the group's consumers first");
        }
        if (cause instanceof AuthenticationException) {
            return new CliException("authentication failed: " + message(cause)
                    + "; check the credentials in --command-config or -X");
        }
        if (cause instanceof AuthorizationException) {
            return new CliException("not authorized: " + message(cause)
                    + "; ask an administrator for an ACL (see brook acl list)");
        }
        if (cause instanceof SecurityDisabledException) {
            return new CliException(message(cause) + "; the cluster has no authorizer configured");
        }
        // e.g. "Failed to construct kafka producer" says little without its cause
        Throwable inner = cause.getCause();
        return new CliException(inner != null && inner != cause
                ? message(cause) + ": " + message(inner)
                : message(cause));
    }

    /** The error for a topic that is not there. */
    public static CliException unknownTopic(String topic) {
        return new CliException("topic '" + topic + "' does not exist; list topics with: brook topic list");
    }

    /** The error for a group that is not there. */
    public static CliException unknownGroup(String group) {
        return new CliException("group '" + group + "' does not exist; list groups with: brook group list");
    }

    /** The message of {@code e}, else its class name. */
    public static String message(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
