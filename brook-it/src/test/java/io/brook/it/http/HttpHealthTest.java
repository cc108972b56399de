package io.brook.it.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.brook.it.harness.BrookBroker;
import io.brook.it.harness.BrookTest;

/** The HTTP side of a real broker process: its health checks on the port the harness gave it. */
@BrookTest
class HttpHealthTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private HttpResponse<String> get(BrookBroker broker, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(broker.httpUrl() + path)).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldAnswerLiveAndReadyWhenTheBrokerServes(BrookBroker broker) throws Exception {
        HttpResponse<String> live = get(broker, "/health/live");
        HttpResponse<String> ready = get(broker, "/health/ready");

        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"status\":\"ready\"}");
    }

    @Test
    void shouldAnswer404AsJsonWhenThePathIsUnknown(BrookBroker broker) throws Exception {
        HttpResponse<String> missing = get(broker, "/no/such/thing");

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("content-type")).contains("application/json");
    }
}
