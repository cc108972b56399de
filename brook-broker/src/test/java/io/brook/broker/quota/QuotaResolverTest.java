package io.brook.broker.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.brook.metadata.ClientQuotaEntity;

class QuotaResolverTest {

    private static final String KEY = "producer_byte_rate";
    private final Map<ClientQuotaEntity, Map<String, Double>> quotas = new HashMap<>();

    @Test
    void shouldFollowKafkasPrecedenceFromMostToLeastSpecific() {
        set(ClientQuotaEntity.of(ClientQuotaEntity.CLIENT_ID, null), 8);
        assertThat(resolve()).isEqualTo(new QuotaResolver.Resolved(8, "", "app"));
        set(ClientQuotaEntity.of(ClientQuotaEntity.CLIENT_ID, "app"), 7);
        assertThat(resolve()).isEqualTo(new QuotaResolver.Resolved(7, "", "app"));
        set(ClientQuotaEntity.of(ClientQuotaEntity.USER, null), 6);
        assertThat(resolve()).isEqualTo(new QuotaResolver.Resolved(6, "alice", ""));
        set(ClientQuotaEntity.userAndClient(null, null), 5);
        assertThat(resolve()).isEqualTo(new QuotaResolver.Resolved(5, "alice", "app"));
        set(ClientQuotaEntity.userAndClient(null, "app"), 4);
        assertThat(resolve()).isEqualTo(new QuotaResolver.Resolved(4, "alice", "app"));
        set(ClientQuotaEntity.of(ClientQuotaEntity.USER, "alice"), 3);
        assertThat(resolve()).isEqualTo(new QuotaResolver.Resolved(3, "alice", ""));
        set(ClientQuotaEntity.userAndClient("alice", null), 2);
        assertThat(resolve()).isEqualTo(new QuotaResolver.Resolved(2, "alice", "app"));
        set(ClientQuotaEntity.userAndClient("alice", "app"), 1);
        assertThat(resolve()).isEqualTo(new QuotaResolver.Resolved(1, "alice", "app"));
    }

    @Test
    void shouldIgnoreEntitiesWithoutTheKey() {
        quotas.put(ClientQuotaEntity.of(ClientQuotaEntity.USER, "alice"), Map.of("consumer_byte_rate", 1.0));

        assertThat(resolve()).isNull();
    }

    @Test
    void shouldApplyTheDefaultUserToAnonymous() {
        set(ClientQuotaEntity.of(ClientQuotaEntity.USER, null), 6);

        assertThat(QuotaResolver.resolve(quotas, KEY, "ANONYMOUS", "x"))
                .isEqualTo(new QuotaResolver.Resolved(6, "ANONYMOUS", ""));
    }

    private void set(ClientQuotaEntity entity, double value) {
        quotas.put(entity, Map.of(KEY, value));
    }

    private QuotaResolver.Resolved resolve() {
        return QuotaResolver.resolve(quotas, KEY, "alice", "app");
    }
}
