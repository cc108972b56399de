package io.brook.broker.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.brook.broker.testing.ManualTime;
import io.brook.metadata.ClientQuotaEntity;

class ClientQuotaManagerTest {

    private final ManualTime time = new ManualTime();
    private final Map<ClientQuotaEntity, Map<String, Double>> quotas = new HashMap<>();
    private final ClientQuotaManager produce = new ClientQuotaManager("producer_byte_rate", 11, 1000, Long.MAX_VALUE,
            time, () -> quotas);

    @Test
    void shouldNotThrottleWithoutQuota() {
        assertThat(produce.recordAndGetThrottleTimeMs("alice", "app", 1e9)).isZero();
    }

    @Test
    void shouldThrottleByKafkasFormulaWhenOverQuota() {
        quotas.put(ClientQuotaEntity.of(ClientQuotaEntity.CLIENT_ID, "app"), Map.of("producer_byte_rate", 100.0));

        // 500 bytes at once: the window is 10 s (samples - 1), so 50 B/s: within the quota
        assertThat(produce.recordAndGetThrottleTimeMs("alice", "app", 500)).isZero();
        // 2000 more: 250 B/s over a 10 s window, (250 - 100) / 100 * 10,000 ms
        assertThat(produce.recordAndGetThrottleTimeMs("alice", "app", 2000)).isEqualTo(15_000);
        // another client id is not throttled
        assertThat(produce.recordAndGetThrottleTimeMs("alice", "other", 2000)).isZero();
    }

    @Test
    void shouldShareAUserQuotaAcrossClientIds() {
        quotas.put(ClientQuotaEntity.of(ClientQuotaEntity.USER, "alice"), Map.of("producer_byte_rate", 100.0));

        assertThat(produce.recordAndGetThrottleTimeMs("alice", "a", 1000)).isZero();
        assertThat(produce.recordAndGetThrottleTimeMs("alice", "b", 1000)).isEqualTo(10_000);
        assertThat(produce.recordAndGetThrottleTimeMs("bob", "b", 1000)).isZero();
    }

    @Test
    void shouldCapTheRequestQuotaThrottleAtOneWindow() {
        ClientQuotaManager request = new ClientQuotaManager("request_percentage", 11, 1000, 1000, time, () -> quotas);
        quotas.put(ClientQuotaEntity.of(ClientQuotaEntity.USER, null), Map.of("request_percentage", 1.0));

        assertThat(request.recordAndGetThrottleTimeMs("alice", "a", 500)).isEqualTo(1000);
    }

    @Test
    void shouldNotThrottleOnceTheBurstLeftTheSampledWindows() {
        quotas.put(ClientQuotaEntity.of(ClientQuotaEntity.CLIENT_ID, null), Map.of("producer_byte_rate", 100.0));
        int throttle = produce.recordAndGetThrottleTimeMs("u", "c", 2000);
        assertThat(throttle).isPositive();

        // the burst's window is forgotten after samples * window = 11 s
        time.sleep(11_000);

        assertThat(produce.recordAndGetThrottleTimeMs("u", "c", 1)).isZero();
    }
}
