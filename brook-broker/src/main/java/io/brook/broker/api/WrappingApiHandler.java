package io.brook.broker.api;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;

/**
 * A handler that stands in front of another (authorization, quotas, timing): it serves the same API and versions
 * as the handler it wraps and only adds to {@link #handle}.
 *
 * @param <R> the request type
 */
public interface WrappingApiHandler<R extends AbstractRequest> extends ApiHandler<R> {

    /** The handler this one wraps. */
    ApiHandler<R> handler();

    @Override
    default ApiKeys apiKey() {
        return handler().apiKey();
    }

    @Override
    default short minVersion() {
        return handler().minVersion();
    }

    @Override
    default short maxVersion() {
        return handler().maxVersion();
    }
}
