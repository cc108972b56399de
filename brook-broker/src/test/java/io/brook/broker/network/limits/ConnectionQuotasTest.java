package io.brook.broker.network.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.brook.broker.testing.ManualTime;

class ConnectionQuotasTest {

    private static final int MAX = Integer.MAX_VALUE;
    private final ManualTime time = new ManualTime();
    private final InetAddress client = address("10.0.0.1");
    private final InetAddress other = address("10.0.0.2");

    @Test
    void shouldRefuseTheConnectionAfterTheLastWhenAnAddressIsAtItsPerIpLimit() {
        ConnectionQuotas quotas = quotas(new ConnectionLimits(MAX, 2, Map.of(), MAX, Map.of(), Map.of()));

        assertThat(quotas.admit("PLAINTEXT", client)).isTrue();
        assertThat(quotas.admit("PLAINTEXT", client)).isTrue();
        assertThat(quotas.admit("PLAINTEXT", client)).isFalse();
        assertThat(quotas.admit("PLAINTEXT", other)).isTrue();
        assertThat(quotas.count(client)).isEqualTo(2);
        assertThat(quotas.total()).isEqualTo(3);

        quotas.release("PLAINTEXT", client);
        assertThat(quotas.admit("PLAINTEXT", client)).isTrue();
    }

    @Test
    void shouldApplyAPerAddressOverrideInsteadOfTheDefault() {
        ConnectionQuotas quotas = quotas(new ConnectionLimits(MAX, 0, Map.of(client, 1), MAX, Map.of(), Map.of()));

        assertThat(quotas.admit("PLAINTEXT", other)).isFalse();
        assertThat(quotas.admit("PLAINTEXT", client)).isTrue();
        assertThat(quotas.admit("PLAINTEXT", client)).isFalse();
    }

    @Test
    void shouldLeaveNoCountBehindAfterManyOpenAndCloseCycles() {
        ConnectionQuotas quotas = quotas(new ConnectionLimits(5, 3, Map.of(), MAX, Map.of(), Map.of()));

        for (int i = 0; i < 10_000; i++) {
            assertThat(quotas.admit("PLAINTEXT", client)).isTrue();
            assertThat(quotas.admit("PLAINTEXT", client)).isTrue();
            quotas.release("PLAINTEXT", client);
            quotas.release("PLAINTEXT", client);
        }

        assertThat(quotas.total()).isZero();
        assertThat(quotas.count(client)).isZero();
        assertThat(quotas.count("PLAINTEXT")).isZero();
        assertThat(quotas.slotAvailable("PLAINTEXT")).isTrue();
    }

    @Test
    void shouldHaveNoSlotWhenTheBrokerWideLimitIsReachedExceptOnTheProtectedListener() {
        ConnectionQuotas quotas = quotas(new ConnectionLimits(2, MAX, Map.of(), MAX, Map.of(), Map.of()));
        quotas.addListener("EXTERNAL");
        quotas.addListener("INTERNAL");

        quotas.admit("EXTERNAL", client);
        quotas.admit("EXTERNAL", other);

        assertThat(quotas.slotAvailable("EXTERNAL")).isFalse();
        assertThat(quotas.slotAvailable("INTERNAL")).isTrue();
        quotas.release("EXTERNAL", other);
        assertThat(quotas.slotAvailable("EXTERNAL")).isTrue();
    }

    @Test
    void shouldNotProtectTheInterBrokerListenerWhenItIsTheOnlyOne() {
        ConnectionQuotas quotas = new ConnectionQuotas(new ConnectionLimits(1, MAX, Map.of(), MAX, Map.of(),
                Map.of()), "INTERNAL", time);
        quotas.addListener("INTERNAL");

        quotas.admit("INTERNAL", client);

        assertThat(quotas.slotAvailable("INTERNAL")).isFalse();
    }

    @Test
    void shouldHaveNoSlotWhenAListenerIsAtItsOwnLimit() {
        ConnectionQuotas quotas = quotas(new ConnectionLimits(MAX, MAX, Map.of(), MAX, Map.of("INTERNAL", 1),
                Map.of()));

        quotas.admit("INTERNAL", client);

        assertThat(quotas.slotAvailable("INTERNAL")).isFalse();
        assertThat(quotas.slotAvailable("EXTERNAL")).isTrue();
    }

    @Test
    void shouldDelayConnectionsAboveTheCreationRateAndAcceptThemOnceTheRateFalls() {
        ConnectionQuotas quotas = quotas(new ConnectionLimits(MAX, MAX, Map.of(), 2, Map.of(), Map.of()));

        // A fresh window counts as 10 s, so 20 connections at once are within 2/s.
        for (int i = 0; i < 20; i++) {
            assertThat(quotas.recordCreationAndThrottleMs("EXTERNAL")).isZero();
        }
        long throttleMs = quotas.recordCreationAndThrottleMs("EXTERNAL");
        assertThat(throttleMs).isPositive().isLessThanOrEqualTo(1_000);

        // The window is 11 samples of 1 s: once they have passed, the burst is forgotten.
        time.sleep(12_000);
        assertThat(quotas.recordCreationAndThrottleMs("EXTERNAL")).isZero();
    }

    @Test
    void shouldThrottleOnTheListenerRateAndExemptTheProtectedListenerFromTheBrokerRate() {
        ConnectionQuotas quotas = quotas(new ConnectionLimits(MAX, MAX, Map.of(), 1, Map.of(),
                Map.of("INTERNAL", 1)));
        quotas.addListener("EXTERNAL");
        quotas.addListener("INTERNAL");

        for (int i = 0; i < 10; i++) {
            assertThat(quotas.recordCreationAndThrottleMs("EXTERNAL")).isZero();
        }
        assertThat(quotas.recordCreationAndThrottleMs("EXTERNAL")).isPositive();
        for (int i = 0; i < 10; i++) {
            assertThat(quotas.recordCreationAndThrottleMs("INTERNAL")).isZero();
        }
        assertThat(quotas.recordCreationAndThrottleMs("INTERNAL")).isPositive();
    }

    @Test
    void shouldKeepOpenConnectionsWhenTheLimitsAreLowered() {
        ConnectionQuotas quotas = quotas(ConnectionLimits.UNLIMITED);
        quotas.admit("PLAINTEXT", client);
        quotas.admit("PLAINTEXT", client);

        quotas.updateLimits(new ConnectionLimits(MAX, 1, Map.of(), MAX, Map.of(), Map.of()));

        assertThat(quotas.admit("PLAINTEXT", client)).isFalse();
        quotas.release("PLAINTEXT", client);
        assertThat(quotas.admit("PLAINTEXT", client)).isFalse();
        quotas.release("PLAINTEXT", client);
        assertThat(quotas.admit("PLAINTEXT", client)).isTrue();
    }

    private ConnectionQuotas quotas(ConnectionLimits limits) {
        ConnectionQuotas quotas = new ConnectionQuotas(limits, "INTERNAL", time);
        quotas.addListener("EXTERNAL");
        return quotas;
    }

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
