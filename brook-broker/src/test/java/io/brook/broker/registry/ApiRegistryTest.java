package io.brook.broker.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.junit.jupiter.api.Test;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;

class ApiRegistryTest {

    @Test
    void shouldRejectASecondHandlerForTheSameApi() {
        ApiRegistry registry = new ApiRegistry().register(handler(ApiKeys.FETCH, 4, 18));

        assertThatThrownBy(() -> registry.register(handler(ApiKeys.FETCH, 4, 18)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("FETCH");
    }

    @Test
    void shouldAdvertiseProduceFromVersionZeroButAcceptOnlyTheHandlersRange() {
        ApiRegistry registry = new ApiRegistry().register(handler(ApiKeys.PRODUCE, 3, 13));

        assertThat(registry.advertisedRange(ApiKeys.PRODUCE)).hasValueSatisfying(range -> {
            assertThat(range.minVersion()).isZero();
            assertThat(range.maxVersion()).isEqualTo((short) 13);
        });
        assertThat(registry.accepts(ApiKeys.PRODUCE, (short) 2)).isFalse();
        assertThat(registry.accepts(ApiKeys.PRODUCE, (short) 3)).isTrue();
    }

    @Test
    void shouldNotAdvertiseAnUnstableLatestVersion() {
        ApiRegistry registry = new ApiRegistry().register(new TestHandler(ApiKeys.INIT_PRODUCER_ID,
                ApiKeys.INIT_PRODUCER_ID.oldestVersion(), ApiKeys.INIT_PRODUCER_ID.latestVersion()));

        assertThat(registry.advertisedRange(ApiKeys.INIT_PRODUCER_ID)).hasValueSatisfying(
                range -> assertThat(range.maxVersion()).isEqualTo(ApiKeys.INIT_PRODUCER_ID.latestVersion(false)));
    }

    @Test
    void shouldRejectAHandlerWhoseRangeIsOutsideKafkaClients() {
        assertThatThrownBy(() -> new ApiRegistry().register(handler(ApiKeys.FETCH, 40, 50)))
                .isInstanceOf(IllegalStateException.class);
    }

    private static ApiHandler<AbstractRequest> handler(ApiKeys key, int min, int max) {
        return new TestHandler(key, (short) min, (short) max);
    }

    private record TestHandler(ApiKeys apiKey, short minVersion,
            short maxVersion) implements ApiHandler<AbstractRequest> {
        @Override
        public CompletableFuture<AbstractResponse> handle(RequestContext context, AbstractRequest request) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }
    }
}
