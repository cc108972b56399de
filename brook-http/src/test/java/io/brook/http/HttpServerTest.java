package io.brook.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();
    private HttpServer server;

    @BeforeEach
    void start() {
        HttpRoutes routes = new HttpRoutes()
                .get("/hello/{name}", call -> HttpReply.text(200, HttpReply.TEXT_TYPE,
                        "hello " + call.pathParam("name") + call.queryParam("x").map(x -> " " + x).orElse("")))
                .post("/echo", call -> HttpReply.text(200, HttpReply.TEXT_TYPE, call.bodyText()))
                .get("/boom", call -> {
                    throw new IllegalStateException("it broke");
                })
                .get("/who", call -> HttpReply.text(200, HttpReply.TEXT_TYPE, call.user().orElse("anonymous")));
        HttpAuthenticator authenticator = headers -> {
            String auth = headers.get("authorization");
            if (auth == null) {
                return HttpAuthenticator.Result.anonymous();
            }
            return auth.equals("Basic good")
                    ? HttpAuthenticator.Result.user("alice")
                    : HttpAuthenticator.Result.refused("bad password");
        };
        server = HttpServer.start(List.of(new HttpListener("127.0.0.1", 0)), routes, authenticator);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldRunTheMatchingRouteWithPathAndQueryParameters() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/hello/world?x=y%20z")));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello world y z");
        assertThat(response.headers().firstValue("content-type")).contains(HttpReply.TEXT_TYPE);
    }

    @Test
    void shouldAnswer404AsJsonWhenNoRouteHasThePath() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/nowhere")));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).startsWith("{\"error\":");
    }

    @Test
    void shouldAnswer405WithAllowWhenThePathTakesOtherMethods() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/echo")).GET());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("allow")).contains("POST");
    }

    @Test
    void shouldAnswer500WithTheMessageWhenTheRouteThrows() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/boom")));

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).isEqualTo("{\"error\":\"it broke\"}");
    }

    @Test
    void shouldEchoABodyWithinTheBound() throws Exception {
        String body = "x".repeat(100_000);
        HttpResponse<String> response = send(
                HttpRequest.newBuilder(uri("/echo")).POST(HttpRequest.BodyPublishers.ofString(body)));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(body);
    }

    @Test
    void shouldAnswer413WhenTheBodyIsOverOneMebibyte() throws Exception {
        byte[] body = new byte[HttpServer.MAX_BODY_BYTES + 1];
        HttpResponse<String> response = send(
                HttpRequest.newBuilder(uri("/echo")).POST(HttpRequest.BodyPublishers.ofByteArray(body)));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("error");
    }

    @Test
    void shouldAnswerHeadForAGetRouteWithoutABody() throws Exception {
        HttpResponse<String> response = send(
                HttpRequest.newBuilder(uri("/hello/you")).method("HEAD", HttpRequest.BodyPublishers.noBody()));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValue("content-length")).contains("9");
    }

    @Test
    void shouldAnswer401WithAChallengeWhenTheAuthenticatorRefuses() throws Exception {
        HttpResponse<String> refused = send(
                HttpRequest.newBuilder(uri("/who")).header("Authorization", "Basic bad"));
        HttpResponse<String> accepted = send(
                HttpRequest.newBuilder(uri("/who")).header("Authorization", "Basic good"));

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("www-authenticate")).contains("Basic realm=\"brook\"");
        assertThat(accepted.body()).isEqualTo("alice");
    }

    @Test
    void shouldServeSeveralRequestsInOrderOnOneKeptAliveConnection() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            // Pipelined: both requests in one write; the answers must come back in order on the same socket.
            out.write(("GET /hello/one HTTP/1.1\r\nHost: x\r\n\r\nGET /hello/two HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            assertThat(readResponse(in)).isEqualTo(Map.entry("HTTP/1.1 200 OK", "hello one"));
            assertThat(readResponse(in)).isEqualTo(Map.entry("HTTP/1.1 200 OK", "hello two"));
        }
    }

    @Test
    void shouldFailNamingTheSettingWhenThePortIsTaken() {
        HttpListener taken = new HttpListener("127.0.0.1", server.port());

        assertThatThrownBy(() -> HttpServer.start(List.of(taken), new HttpRoutes(), HttpAuthenticator.OPEN))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("http.listeners");
    }

    @Test
    void shouldBindBothLoopbacksForLocalhost() {
        assertThat(HttpListener.parse("http://localhost:0").addresses()).extracting(a -> a.getHostAddress())
                .contains("127.0.0.1");
        assertThat(HttpListener.parseAll(" ")).isEmpty();
        assertThatThrownBy(() -> HttpListener.parse("localhost:8080")).hasMessageContaining("http.listeners");
    }

    /** Reads one response's status line and its body (by content-length). */
    private static Map.Entry<String, String> readResponse(BufferedReader in) throws Exception {
        String status = in.readLine();
        int length = 0;
        for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        char[] body = new char[length];
        int read = 0;
        while (read < length) {
            read += in.read(body, read, length - read);
        }
        return Map.entry(status, new String(body));
    }
}
