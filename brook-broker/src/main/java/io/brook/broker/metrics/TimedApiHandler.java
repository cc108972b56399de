package io.brook.broker.metrics;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.broker.api.WrappingApiHandler;

/**
 * A handler whose requests are timed from dispatch until their response is ready (including a long-poll fetch's
 * wait, as Kafka's TotalTimeMs does), and whose wait before dispatch (since the frame was read) is recorded as the
 * queue time. Thread-safe as the handler it wraps.
 */
public final class TimedApiHandler<R extends AbstractRequest> implements WrappingApiHandler<R> {

    private final ApiHandler<R> handler;
    private final BrokerMetrics metrics;

    private TimedApiHandler(ApiHandler<R> handler, BrokerMetrics metrics) {
        this.handler = handler;
        this.metrics = metrics;
    }

    /** Every handler timed, or the list as it is when metrics are off. */
    public static List<ApiHandler<?>> timeAll(List<? extends ApiHandler<?>> handlers, BrokerMetrics metrics) {
        if (metrics == BrokerMetrics.NONE) {
            return List.copyOf(handlers);
        }
        return handlers.stream().<ApiHandler<?>>map(h -> wrap(h, metrics)).toList();
    }

    private static <R extends AbstractRequest> ApiHandler<R> wrap(ApiHandler<R> handler, BrokerMetrics metrics) {
        return new TimedApiHandler<>(handler, metrics);
    }

    @Override
    public ApiHandler<R> handler() {
        return handler;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, R request) {
        long start = metrics.monotonicNanos();
        if (context != null && context.receivedNanos() != RequestContext.NOT_RECEIVED) {
            // receivedNanos is System.nanoTime(), the scale of the registry's clock outside tests.
            metrics.onRequestQueued(handler.apiKey(), Math.max(0, start - context.receivedNanos()));
        }
        CompletableFuture<AbstractResponse> future = handler.handle(context, request);
        if (future == null) {
            return null;
        }
        if (future.isDone()) {
            metrics.onRequest(handler.apiKey(), metrics.monotonicNanos() - start);
            return future;
        }
        future.whenComplete((response, error) -> metrics.onRequest(handler.apiKey(),
                metrics.monotonicNanos() - start));
        return future;
    }
}
