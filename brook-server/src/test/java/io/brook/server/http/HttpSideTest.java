package io.brook.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.brook.broker.config.BrokerConfig;
import io.brook.broker.metrics.BrokerMetrics;

class HttpSideTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static BrokerConfig config(Map<String, String> settings) {
        return BrokerConfig.parse(settings);
    }

    @Test
    void shouldAnswerNotReadyWithAReasonWhileTheBrokerHasNotStarted() throws Exception {
        BrokerHolder holder = new BrokerHolder();
        try (HttpSide side = HttpSide.start(config(Map.of(BrokerConfig.HTTP_LISTENERS, "http://127.0.0.1:0")),
                holder)) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
            HttpResponse<String> ready = client.send(HttpRequest.newBuilder(
                    URI.create(side.urls().get(0) + "/health/ready")).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(
                    URI.create(side.urls().get(0) + "/metrics")).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"reason\":\"starting");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("jvm_memory_used_bytes");
        }
        holder.stopping();
        assertThat(holder.readiness().reason()).isEqualTo("stopping");
    }

    @Test
    void shouldRecordNothingAndServeNoMetricsWhenMetricsAreOff() {
        try (HttpSide side = HttpSide.start(config(Map.of(BrokerConfig.HTTP_LISTENERS, "http://127.0.0.1:0",
                BrokerConfig.HTTP_METRICS_ENABLED, "false")), new BrokerHolder())) {
            assertThat(side.metrics()).isSameAs(BrokerMetrics.NONE);
        }
    }

    @Test
    void shouldRunNoServerWhenTheListenersAreEmpty() {
        try (HttpSide side = HttpSide.start(config(Map.of(BrokerConfig.HTTP_LISTENERS, "")), new BrokerHolder())) {
            assertThat(side.urls()).isEmpty();
            assertThat(side.metrics()).isSameAs(BrokerMetrics.NONE);
        }
    }

    @Test
    void shouldFailNamingTheSettingWhenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            BrokerConfig config = config(
                    Map.of(BrokerConfig.HTTP_LISTENERS, "http://127.0.0.1:" + taken.getLocalPort()));

            assertThatThrownBy(() -> HttpSide.start(config, new BrokerHolder()))
                    .isInstanceOf(UncheckedIOException.class).hasMessageContaining("http.listeners");
        }
    }
}
