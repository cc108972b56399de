package io.brook.it.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.it.harness.BrookCluster;
import io.brook.it.harness.BrookClusterTest;
import io.brook.it.harness.ClusterNode;

/** Every node of a cluster serves its own HTTP side: ready, and exactly one reports itself the active controller. */
@BrookClusterTest(nodes = 3)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterHealthTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private HttpResponse<String> get(ClusterNode node, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + path)).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldAnswerReadyOnEveryNodeWithOneActiveController(BrookCluster cluster) throws Exception {
        Set<Integer> ports = new HashSet<>();
        for (ClusterNode node : cluster.nodes()) {
            ports.add(node.httpPort());
            HttpResponse<String> ready = get(node, "/health/ready");
            assertThat(ready.statusCode()).as("node %s: %s", node.id(), ready.body()).isEqualTo(200);
        }
        assertThat(ports).hasSize(cluster.nodes().size());

        Awaitility.await("one active controller").atMost(TIMEOUT).untilAsserted(() -> {
            double active = 0;
            for (ClusterNode node : cluster.nodes()) {
                for (String line : get(node, "/metrics").body().split("\n")) {
                    if (line.startsWith("kafka_controller_active_controller_count ")) {
                        active += Double.parseDouble(line.substring(line.indexOf(' ') + 1));
                    }
                }
            }
            assertThat(active).isEqualTo(1.0);
        });
    }
}
