package io.brook.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class BrokerMetricsTest {

    private final MockClock clock = new MockClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
    private final BrokerMetrics metrics = new BrokerMetrics(registry);

    @Test
    void shouldCountBytesAndMessagesPerTopicAndForTheBrokerWhenProducedAndFetched() {
        metrics.onProduce("a", 100, 3);
        metrics.onProduce("b", 50, 1);
        metrics.onProduce("a", 10, 2);
        metrics.onFetch("a", 70);
        metrics.onFetch("a", 0);

        assertThat(registry.get("kafka.server.topic.messages.in").tag("topic", "a").counter().count()).isEqualTo(5);
        assertThat(registry.get("kafka.server.topic.bytes.in").tag("topic", "a").counter().count()).isEqualTo(110);
        assertThat(registry.get("kafka.server.bytes.in").counter().count()).isEqualTo(160);
        assertThat(registry.get("kafka.server.messages.in").counter().count()).isEqualTo(6);
        assertThat(registry.get("kafka.server.topic.bytes.out").tag("topic", "a").counter().count()).isEqualTo(70);
        assertThat(registry.get("kafka.server.topic.bytes.out").tag("topic", "b").counter().count()).isZero();
    }

    @Test
    void shouldForgetATopicsMetersWhenItIsDeleted() {
        metrics.onProduce("gone", 1, 1);

        metrics.onTopicDeleted("gone");

        assertThat(registry.find("kafka.server.topic.bytes.in").tag("topic", "gone").counter()).isNull();
    }

    @Test
    void shouldTimeARequestUntilItsFutureCompletesWhenTheHandlerAnswersLater() {
        CompletableFuture<AbstractResponse> answer = new CompletableFuture<>();
        ApiHandler<ApiVersionsRequest> slow = new ApiHandler<>() {
            @Override
            public ApiKeys apiKey() {
                return ApiKeys.API_VERSIONS;
            }

            @Override
            public CompletableFuture<AbstractResponse> handle(RequestContext context, ApiVersionsRequest request) {
                return answer;
            }
        };
        @SuppressWarnings("unchecked")
        ApiHandler<ApiVersionsRequest> timed = (ApiHandler<ApiVersionsRequest>) TimedApiHandler
                .timeAll(List.of(slow), metrics).get(0);

        timed.handle(null, new ApiVersionsRequest.Builder().build());
        clock.add(250, TimeUnit.MILLISECONDS);
        answer.complete(new ApiVersionsResponse(new org.apache.kafka.common.message.ApiVersionsResponseData()));

        var timer = registry.get("kafka.network.request.time").tag("request", "ApiVersions").timer();
        assertThat(timer.count()).isEqualTo(1);
        assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(250);
        assertThat(timed.minVersion()).isEqualTo(slow.minVersion());
    }

    @Test
    void shouldRecordQueueTimeFromReceiptToHandlerWhenTheRequestCameFromAConnection() throws Exception {
        ApiHandler<ApiVersionsRequest> handler = new ApiHandler<>() {
            @Override
            public ApiKeys apiKey() {
                return ApiKeys.API_VERSIONS;
            }

            @Override
            public CompletableFuture<AbstractResponse> handle(RequestContext context, ApiVersionsRequest request) {
                return CompletableFuture.completedFuture(null);
            }
        };
        @SuppressWarnings("unchecked")
        ApiHandler<ApiVersionsRequest> timed = (ApiHandler<ApiVersionsRequest>) TimedApiHandler
                .timeAll(List.of(handler), metrics).get(0);
        RequestHeader header = new RequestHeader(ApiKeys.API_VERSIONS, (short) 3, "c", 1);
        RequestContext anonymous = new RequestContext(header, InetAddress.getLoopbackAddress(), "PLAINTEXT", "c1");
        long received = clock.monotonicTime();
        clock.add(40, TimeUnit.MILLISECONDS);

        timed.handle(new RequestContext(header, anonymous.clientAddress(), "PLAINTEXT", "c1", anonymous.session(),
                received), new ApiVersionsRequest.Builder().build());
        timed.handle(anonymous, new ApiVersionsRequest.Builder().build());

        var timer = registry.get("kafka.network.request.queue.time").tag("request", "ApiVersions").timer();
        assertThat(timer.count()).isEqualTo(1);
        assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(40);
    }

    @Test
    void shouldLeaveHandlersUnwrappedWhenMetricsAreOff() {
        ApiHandler<ApiVersionsRequest> plain = new ApiHandler<>() {
            @Override
            public ApiKeys apiKey() {
                return ApiKeys.API_VERSIONS;
            }

            @Override
            public CompletableFuture<AbstractResponse> handle(RequestContext context, ApiVersionsRequest request) {
                return CompletableFuture.completedFuture(null);
            }
        };

        assertThat(TimedApiHandler.timeAll(List.of(plain), BrokerMetrics.NONE)).containsExactly(plain);
        BrokerMetrics.NONE.onProduce("t", 10, 1);
        assertThat(BrokerMetrics.NONE.registry().find("kafka.server.topic.bytes.in").counters()).isEmpty();
    }
}
