package io.brook.broker.api;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;

/**
 * Handles one Kafka API. One small class per API (or API family), registered by {@link ApiKeys} in the
 * {@code ApiRegistry}; the advertised version range is {@link #minVersion()}..{@link #maxVersion()}.
 *
 * <p>{@link #handle} is called on the connection's event-loop thread, in the order requests arrived on that
 * connection. It must not block: quick work (a page-cache append, a metadata lookup) is done inline; anything that
 * waits (fsync for acks=all, long-poll fetch) completes the future later from another thread. The network layer
 * writes responses back in request order whatever order the futures complete in.
 *
 * <p>A future that completes with {@code null} sends no response (acks=0 produce). A future that completes
 * exceptionally, or a throw, is answered with {@code request.getErrorResponse(e)}: the API's own error shape with the
 * error code Kafka maps the exception to.
 *
 * @param <R> the request type
 */
public interface ApiHandler<R extends AbstractRequest> {

    ApiKeys apiKey();

    /** Lowest version advertised in ApiVersions. */
    default short minVersion() {
        return apiKey().oldestVersion();
    }

    /** Highest version advertised in ApiVersions. */
    default short maxVersion() {
        return apiKey().latestVersion();
    }

    CompletableFuture<AbstractResponse> handle(RequestContext context, R request);
}
