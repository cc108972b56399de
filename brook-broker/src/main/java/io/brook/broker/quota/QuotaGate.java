package io.brook.broker.quota;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ProduceRequest;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.broker.api.WrappingApiHandler;

/**
 * Applies client quotas to requests, as Kafka's request handler does: Produce records the bytes of its records
 * against {@code producer_byte_rate}, a consumer's Fetch the bytes of records it returns against
 * {@code consumer_byte_rate} (followers are never throttled), and every request but the exempt ones the time its
 * handler ran on the event loop against {@code request_percentage}. The longest throttle time goes into the
 * response's {@code throttle_time_ms}; the connection then reads nothing for that long after sending it (KIP-219,
 * done by the network layer for any response with a throttle time).
 *
 * <p>Stateless apart from the thread-safe {@link ClientQuotas}; thread-safe.
 */
public final class QuotaGate {

    /** Not counted against request_percentage: inter-broker, authentication and version negotiation (as Kafka). */
    private static final Set<ApiKeys> EXEMPT = EnumSet.of(ApiKeys.API_VERSIONS, ApiKeys.SASL_HANDSHAKE,
            ApiKeys.SASL_AUTHENTICATE, ApiKeys.WRITE_TXN_MARKERS, ApiKeys.ALTER_PARTITION,
            ApiKeys.ALLOCATE_PRODUCER_IDS, ApiKeys.BROKER_HEARTBEAT, ApiKeys.BROKER_REGISTRATION);

    private static final double NANOS_TO_PERCENT = 100.0 / 1_000_000_000L;

    private QuotaGate() {
    }

    /** The handlers, each behind the quotas. */
    public static List<ApiHandler<?>> wrap(List<? extends ApiHandler<?>> handlers, ClientQuotas quotas) {
        return handlers.stream().<ApiHandler<?>>map(h -> EXEMPT.contains(h.apiKey()) ? h : new Throttled<>(h, quotas))
                .toList();
    }

    /** A handler whose responses carry the throttle time of its client's quotas. */
    private record Throttled<R extends AbstractRequest>(ApiHandler<R> handler, ClientQuotas quotas)
            implements
                WrappingApiHandler<R> {

        @Override
        public CompletableFuture<AbstractResponse> handle(RequestContext context, R request) {
            boolean follower = request instanceof FetchRequest fetch && fetch.replicaId() >= 0;
            if (follower) {
                return handler.handle(context, request);
            }
            String user = context.principal().getName();
            String clientId = context.clientId() == null ? "" : context.clientId();
            if (request instanceof FetchRequest fetch) {
                capFetchSize(fetch, quotas.fetch().maxValueInQuotaWindow(user, clientId));
            }
            long start = quotas.time().nanoseconds();
            CompletableFuture<AbstractResponse> response = handler.handle(context, request);
            double percent = (quotas.time().nanoseconds() - start) * NANOS_TO_PERCENT;
            int requestThrottle = quotas.request().recordAndGetThrottleTimeMs(user, clientId, percent);
            int produceThrottle = request instanceof ProduceRequest produce
                    ? quotas.produce().recordAndGetThrottleTimeMs(user, clientId, recordBytes(produce.data()))
                    : 0;
            if (response == null) {
                return null;
            }
            return response.thenApply(r -> {
                if (r == null) {
                    return null; // acks=0: no response to carry a throttle time
                }
                int fetchThrottle = r instanceof FetchResponse fetched
                        ? quotas.fetch().recordAndGetThrottleTimeMs(user, clientId, recordBytes(fetched.data()))
                        : 0;
                int throttle = Math.max(requestThrottle, Math.max(produceThrottle, fetchThrottle));
                if (throttle > 0) {
                    r.maybeSetThrottleTimeMs(throttle);
                }
                return r;
            });
        }
    }

    /** A consumer fetches at most what its quota allows over the sampled windows (but always something). */
    private static void capFetchSize(FetchRequest fetch, long maxValueInQuotaWindow) {
        if (maxValueInQuotaWindow < fetch.data().maxBytes()) {
            fetch.data().setMaxBytes((int) Math.max(1, maxValueInQuotaWindow));
        }
    }

    static long recordBytes(ProduceRequestData data) {
        long bytes = 0;
        for (var topic : data.topicData()) {
            for (var partition : topic.partitionData()) {
                var records = partition.records();
                bytes += records == null ? 0 : records.sizeInBytes();
            }
        }
        return bytes;
    }

    static long recordBytes(FetchResponseData data) {
        long bytes = 0;
        for (var topic : data.responses()) {
            for (var partition : topic.partitions()) {
                var records = partition.records();
                bytes += records == null ? 0 : records.sizeInBytes();
            }
        }
        return bytes;
    }
}
