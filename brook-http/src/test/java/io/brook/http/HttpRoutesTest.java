package io.brook.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class HttpRoutesTest {

    private static HttpRoute answering(String text) {
        return call -> HttpReply.text(200, HttpReply.TEXT_TYPE, text + call.pathParams());
    }

    private static String run(HttpRoutes routes, String method, String path) throws Exception {
        HttpCall call = new HttpCall(method, path, Map.of(), Map.of(), Map.of(), new byte[0], Optional.empty());
        return new String(routes.match(method, path).orElseThrow().handle(call).body());
    }

    @Test
    void shouldBindPathParametersOfTheMatchingTemplate() throws Exception {
        HttpRoutes routes = new HttpRoutes().get("/api/topics/{name}/partitions/{partition}", answering("p"));

        assertThat(run(routes, "GET", "/api/topics/orders/partitions/3")).contains("name=orders")
                .contains("partition=3");
        assertThat(routes.match("GET", "/api/topics/orders")).isEmpty();
    }

    @Test
    void shouldPreferLiteralSegmentsOverParameters() throws Exception {
        HttpRoutes routes = new HttpRoutes()
                .get("/api/topics/{name}", answering("one"))
                .get("/api/topics/_search", answering("search"));

        assertThat(run(routes, "GET", "/api/topics/_search")).startsWith("search");
        assertThat(run(routes, "GET", "/api/topics/orders")).startsWith("one");
    }

    @Test
    void shouldTakeTheRestOfThePathInAStarParameter() throws Exception {
        HttpRoutes routes = new HttpRoutes().get("/console/{file*}", answering("f"));

        assertThat(run(routes, "GET", "/console/js/app.js")).contains("file=js/app.js");
        assertThat(run(routes, "GET", "/console")).contains("file=");
    }

    @Test
    void shouldTellAWrongMethodFromAMissingPath() {
        HttpRoutes routes = new HttpRoutes().get("/metrics", answering("m")).post("/api/topics", answering("c"));

        assertThat(routes.match("POST", "/metrics")).isEmpty();
        assertThat(routes.allowedMethods("/metrics")).isEqualTo(List.of("GET"));
        assertThat(routes.allowedMethods("/nothing")).isEmpty();
    }

    @Test
    void shouldRefuseTwoRoutesForTheSameMethodAndTemplate() {
        HttpRoutes routes = new HttpRoutes().get("/metrics", answering("m"));

        assertThatThrownBy(() -> routes.get("/metrics/", answering("again")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldWriteErrorsAsJson() {
        HttpReply reply = HttpReply.error(404, "topic 'x' does not exist");

        assertThat(reply.contentType()).isEqualTo(HttpReply.JSON_TYPE);
        assertThat(new String(reply.body())).isEqualTo("{\"error\":\"topic 'x' does not exist\"}");
    }
}
