package io.brook.broker.registry;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersionCollection;
import org.apache.kafka.common.protocol.ApiKeys;

import io.brook.broker.api.ApiHandler;

/**
 * The API handlers of this broker, keyed by {@link ApiKeys}, and the single place that decides which versions are
 * advertised in ApiVersions and which are accepted.
 *
 * <p>A handler's range is clamped to kafka-clients' stable range (an unstable latest version is never advertised).
 * One deliberate exception, as Kafka 4.4 makes it: Produce is advertised from v0 even though v0–v2 are rejected,
 * because librdkafka's feature detection needs a v0 in the range (KAFKA-18659).
 *
 * <p>Registration happens before the server starts (single thread); afterwards the registry is only read. The
 * event loops see it through the happens-before edge of the Netty bootstrap.
 */
public final class ApiRegistry {

    private final Map<ApiKeys, ApiHandler<?>> handlers = new EnumMap<>(ApiKeys.class);

    public ApiRegistry register(ApiHandler<?> handler) {
        ApiKeys key = handler.apiKey();
        ApiHandler<?> previous = handlers.putIfAbsent(key, handler);
        if (previous != null) {
            throw new IllegalStateException("Two handlers for " + key + ": " + previous.getClass().getName()
                    + " and " + handler.getClass().getName());
        }
        if (acceptedRange(key).isEmpty()) {
            handlers.remove(key);
            throw new IllegalStateException("Handler " + handler.getClass().getName() + " for " + key + " range "
                    + handler.minVersion() + ".." + handler.maxVersion() + " is outside kafka-clients' "
                    + key.oldestVersion() + ".." + stableLatest(key));
        }
        return this;
    }

    public ApiRegistry registerAll(List<? extends ApiHandler<?>> list) {
        list.forEach(this::register);
        return this;
    }

    /** The handler for {@code key}, if this broker implements it. */
    public Optional<ApiHandler<?>> handler(ApiKeys key) {
        return Optional.ofNullable(handlers.get(key));
    }

    public Map<ApiKeys, ApiHandler<?>> handlers() {
        return Collections.unmodifiableMap(handlers);
    }

    /** Whether a request of this version is handled (as opposed to answered with UNSUPPORTED_VERSION). */
    public boolean accepts(ApiKeys key, short version) {
        return acceptedRange(key).map(r -> version >= r.minVersion() && version <= r.maxVersion()).orElse(false);
    }

    /** The versions handled: the handler's range clamped to kafka-clients' stable range. */
    public Optional<ApiVersion> acceptedRange(ApiKeys key) {
        ApiHandler<?> handler = handlers.get(key);
        if (handler == null) {
            return Optional.empty();
        }
        short min = (short) Math.max(handler.minVersion(), key.oldestVersion());
        short max = (short) Math.min(handler.maxVersion(), stableLatest(key));
        if (min > max) {
            return Optional.empty();
        }
        return Optional.of(new ApiVersion().setApiKey(key.id).setMinVersion(min).setMaxVersion(max));
    }

    /** The range advertised in ApiVersions; differs from {@link #acceptedRange} only for Produce. */
    public Optional<ApiVersion> advertisedRange(ApiKeys key) {
        return acceptedRange(key).map(range -> {
            if (key == ApiKeys.PRODUCE) {
                range.setMinVersion(ApiKeys.PRODUCE_API_VERSIONS_RESPONSE_MIN_VERSION);
            }
            return range;
        });
    }

    /** Every advertised range, in api-key order. */
    public ApiVersionCollection advertisedVersions() {
        ApiVersionCollection collection = new ApiVersionCollection();
        for (ApiKeys key : handlers.keySet()) {
            advertisedRange(key).ifPresent(collection::add);
        }
        return collection;
    }

    private static short stableLatest(ApiKeys key) {
        return key.latestVersion(false);
    }
}
