package io.brook.http.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.brook.http.HttpCall;
import io.brook.http.HttpReply;
import io.brook.http.HttpRoutes;

class ConsoleRoutesTest {

    private final HttpRoutes routes = new HttpRoutes();

    ConsoleRoutesTest() {
        new ConsoleRoutes().addRoutes(routes);
    }

    private HttpReply get(String path) throws Exception {
        HttpCall call = new HttpCall("GET", path, Map.of(), Map.of(), Map.of(), new byte[0], Optional.empty());
        return routes.match("GET", path).orElseThrow().handle(call);
    }

    @Test
    void shouldServeTheConsolePageAndItsScript() throws Exception {
        assertThat(get("/console/").contentType()).startsWith("text/html");
        assertThat(new String(get("/console/").body())).contains("app.js");
        assertThat(get("/console/app.js").contentType()).startsWith("text/javascript");
        assertThat(get("/console/style.css").status()).isEqualTo(200);
    }

    @Test
    void shouldRedirectTheRootToTheConsole() throws Exception {
        HttpReply reply = get("/");

        assertThat(reply.status()).isEqualTo(302);
        assertThat(reply.headers()).containsEntry("location", "/console/");
    }

    @Test
    void shouldRefuseNamesThatLeaveTheConsoleFolder() throws Exception {
        assertThat(get("/console/../api/openapi.json").status()).isEqualTo(404);
        assertThat(get("/console/nothing.html").status()).isEqualTo(404);
    }
}
