package io.brook.broker.quota;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.apache.kafka.common.utils.Time;

import io.brook.metadata.ClientQuotaEntity;

/**
 * One kind of client quota (a quota key such as {@code producer_byte_rate}): records each client's usage in a
 * {@link SampledRate} shared by the clients the quota applies to together ({@link QuotaResolver}), and answers the
 * throttle time Kafka would: when the measured rate {@code O} exceeds the quota {@code T} over the rate's window
 * {@code W}, the client must stay silent for {@code (O - T) / T * W} so that the rate falls back to the quota. The
 * request quota caps that at one window ({@code maxThrottleMs}); byte rates are not capped, as in Kafka.
 *
 * <p>Thread-safe: usage is recorded from whichever thread completes a request; each rate is guarded by itself. The
 * quotas are read from the current metadata image on every call, so a change applies at the next request.
 */
public final class ClientQuotaManager {

    private final String quotaKey;
    private final int samples;
    private final long windowMs;
    private final long maxThrottleMs;
    private final Time time;
    private final Supplier<Map<ClientQuotaEntity, Map<String, Double>>> quotas;
    private final Map<String, SampledRate> rates = new ConcurrentHashMap<>();

    ClientQuotaManager(String quotaKey, int samples, long windowMs, long maxThrottleMs, Time time,
            Supplier<Map<ClientQuotaEntity, Map<String, Double>>> quotas) {
        this.quotaKey = quotaKey;
        this.samples = samples;
        this.windowMs = windowMs;
        this.maxThrottleMs = maxThrottleMs;
        this.time = time;
        this.quotas = quotas;
    }

    /**
     * Records {@code value} (bytes, or percent-seconds of a thread) for the client and returns how long it must be
     * throttled, 0 when it is within its quota or has none.
     */
    public int recordAndGetThrottleTimeMs(String user, String clientId, double value) {
        QuotaResolver.Resolved quota = QuotaResolver.resolve(quotas.get(), quotaKey, user, clientId);
        if (quota == null) {
            return 0;
        }
        long now = time.milliseconds();
        SampledRate rate = rates.computeIfAbsent(quota.sharedBy(), k -> new SampledRate(samples, windowMs));
        synchronized (rate) {
            rate.record(value, now);
            double observed = rate.measure(now);
            if (observed <= quota.bound()) {
                return 0;
            }
            return (int) Math.min(Integer.MAX_VALUE, Math.min(maxThrottleMs,
                    throttleTimeMs(observed, quota.bound(), rate.windowSizeMs(now))));
        }
    }

    /** Kafka's throttle time: how long, added to the window, brings the observed rate down to the bound. */
    static long throttleTimeMs(double observed, double bound, long windowSizeMs) {
        if (bound <= 0) {
            // a zero quota: stay silent for a whole window each time (the formula would divide by zero)
            return windowSizeMs;
        }
        return Math.round((observed - bound) / bound * windowSizeMs);
    }

    /**
     * The most the client may use in one measurement span ({@code quota * (samples - 1) * window}), or
     * {@link Long#MAX_VALUE} without a quota: Kafka caps a consumer's fetch size with it, so that one fetch cannot take
     * many windows' worth of the quota at once.
     */
    public long maxValueInQuotaWindow(String user, String clientId) {
        QuotaResolver.Resolved quota = QuotaResolver.resolve(quotas.get(), quotaKey, user, clientId);
        if (quota == null) {
            return Long.MAX_VALUE;
        }
        return (long) Math.min(Long.MAX_VALUE, quota.bound() * (samples - 1) * windowMs / 1000.0);
    }

    /** The quota key this manager enforces. */
    public String quotaKey() {
        return quotaKey;
    }
}
