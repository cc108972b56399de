package io.brook.http.api;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.http.HttpReply;
import io.brook.http.HttpRoute;

/**
 * The one place that maps failures of API routes to HTTP statuses: {@link ApiProblem}s keep their status, Kafka's
 * errors map as a client would read them (unknown topic 404, topic exists 409, invalid input 400, timeout 503,
 * authorization 403). Stateless, thread-safe.
 */
public final class ApiErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    private ApiErrors() {
    }

    /** The route, answering its failures as JSON errors instead of letting the server make them 500s. */
    public static HttpRoute guard(HttpRoute route) {
        return call -> {
            try {
                return route.handle(call);
            } catch (Exception e) {
                return reply(e);
            }
        };
    }

    /** The error reply for a failure of a route. */
    public static HttpReply reply(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ApiProblem problem) {
            HttpReply reply = HttpReply.error(problem.status(), problem.getMessage());
            return problem.status() == 401 ? reply.withHeader("www-authenticate", "Basic realm=\"Brook\"") : reply;
        }
        int status = status(cause);
        if (status == 500) {
            LOG.warn("Admin API call failed", cause);
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (status == 503) {
            message = "The cluster did not answer in time: " + message;
        }
        return HttpReply.error(status, message);
    }

    private static int status(Throwable cause) {
        if (cause instanceof TimeoutException || cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            return 503;
        }
        if (cause instanceof UnknownTopicOrPartitionException || cause instanceof GroupIdNotFoundException) {
            return 404;
        }
        if (cause instanceof TopicExistsException || cause instanceof GroupNotEmptyException) {
            return 409;
        }
        if (cause instanceof AuthorizationException) {
            return 403;
        }
        if (cause instanceof AuthenticationException) {
            return 401;
        }
        if (cause instanceof InvalidTopicException || cause instanceof InvalidConfigurationException
                || cause instanceof InvalidPartitionsException || cause instanceof InvalidReplicationFactorException
                || cause instanceof InvalidRequestException || cause instanceof PolicyViolationException
                || cause instanceof IllegalArgumentException) {
            return 400;
        }
        if (cause instanceof ApiException) {
            return 502;
        }
        return 500;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof ExecutionException || cause instanceof java.util.concurrent.CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
