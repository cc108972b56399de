package io.brook.broker.quota;

import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.utils.Time;

import io.brook.metadata.MetadataStore;
import io.brook.metadata.cluster.ClientQuotaControl;

/**
 * The broker's client quota managers: produce and fetch byte rates and request handling time, sampled with
 * {@code quota.window.num} windows of {@code quota.window.size.seconds}, each reading the quotas of the current
 * metadata image. Immutable holder; the managers are thread-safe.
 */
public final class ClientQuotas {

    private final ClientQuotaManager produce;
    private final ClientQuotaManager fetch;
    private final ClientQuotaManager request;
    private final Time time;

    public ClientQuotas(int windowNum, int windowSizeSeconds, Time time, MetadataStore metadata) {
        long windowMs = TimeUnit.SECONDS.toMillis(windowSizeSeconds);
        this.time = time;
        this.produce = new ClientQuotaManager(ClientQuotaControl.PRODUCER_BYTE_RATE, windowNum, windowMs,
                Long.MAX_VALUE, time, () -> metadata.image().clientQuotas());
        this.fetch = new ClientQuotaManager(ClientQuotaControl.CONSUMER_BYTE_RATE, windowNum, windowMs, Long.MAX_VALUE,
                time, () -> metadata.image().clientQuotas());
        this.request = new ClientQuotaManager(ClientQuotaControl.REQUEST_PERCENTAGE, windowNum, windowMs, windowMs,
                time, () -> metadata.image().clientQuotas());
    }

    public ClientQuotaManager produce() {
        return produce;
    }

    public ClientQuotaManager fetch() {
        return fetch;
    }

    public ClientQuotaManager request() {
        return request;
    }

    Time time() {
        return time;
    }
}
