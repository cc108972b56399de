package io.brook.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.brook.http.HttpReply;
import io.brook.http.HttpRoutes;

class OpenApiDocumentTest {

    /** Every template the API serves; a route added without documenting it must be added here and to the doc. */
    private static final List<String> SERVED = List.of("GET /api/cluster", "GET /api/topics", "POST /api/topics",
            "GET /api/topics/{name}", "DELETE /api/topics/{name}", "GET /api/topics/{name}/configs",
            "PUT /api/topics/{name}/configs", "GET /api/topics/{name}/messages", "POST /api/topics/{name}/messages",
            "GET /api/groups", "GET /api/groups/{id}", "POST /api/groups/{id}/reset-offsets", "GET /api/acls",
            "GET /api/users", "GET /api/openapi.json");

    private final HttpRoutes routes = new HttpRoutes();

    OpenApiDocumentTest() {
        KafkaClients clients = new KafkaClients("localhost:1", Map.of(), Duration.ofSeconds(1));
        new AdminApi(clients, "test").addRoutes(routes);
    }

    @Test
    void shouldDocumentEveryRouteAndServeEveryDocumentedOne() throws Exception {
        JsonNode doc = HttpReply.JSON.readTree(AdminApi.openApiDocument());
        List<String> documented = new ArrayList<>();
        doc.path("paths").properties().forEach(path -> path.getValue().properties()
                .forEach(op -> documented.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey())));

        assertThat(doc.path("openapi").asText()).startsWith("3.");
        assertThat(documented).containsExactlyInAnyOrderElementsOf(SERVED);
        for (String route : SERVED) {
            String[] parts = route.split(" ");
            String concrete = parts[1].replace("{name}", "orders").replace("{id}", "g1");
            assertThat(routes.match(parts[0], concrete)).as(route).isPresent();
            List<String> methods = routes.allowedMethods(concrete);
            assertThat(methods).as("methods served on " + parts[1]).allSatisfy(
                    method -> assertThat(SERVED).contains(method + " " + parts[1]));
        }
    }
}
