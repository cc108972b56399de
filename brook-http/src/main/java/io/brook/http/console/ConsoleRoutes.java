package io.brook.http.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import io.brook.http.HttpCall;
import io.brook.http.HttpReply;
import io.brook.http.HttpRouteSource;
import io.brook.http.HttpRoutes;

/**
 * The web console: static HTML, CSS and JS from the resources under {@code /io/brook/http/console/}, served at
 * {@code /console/} (and {@code /} redirects there; {@code /console} is the same page). No build step, nothing fetched from the internet; the page talks
 * to the admin API under {@code /api/}. Stateless, thread-safe.
 */
public final class ConsoleRoutes implements HttpRouteSource {

    private static final String ROOT = "/io/brook/http/console/";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "json", HttpReply.JSON_TYPE);

    @Override
    public void addRoutes(HttpRoutes routes) {
        routes.get("/", call -> redirect());
        routes.get("/console/{file*}", this::file);
    }

    private static HttpReply redirect() {
        return HttpReply.text(302, HttpReply.TEXT_TYPE, "").withHeader("location", "/console/");
    }

    private HttpReply file(HttpCall call) {
        String file = call.pathParam("file");
        if (file.isEmpty()) {
            file = "index.html";
        }
        // Only plain names of our own files: no way out of the resource folder.
        if (!file.matches("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*\\.[a-z]+")) {
            return HttpReply.error(404, "No such console file");
        }
        String extension = file.substring(file.lastIndexOf('.') + 1);
        String type = TYPES.get(extension);
        byte[] body = read(ROOT + file);
        if (type == null || body == null) {
            return HttpReply.error(404, "No such console file: " + file);
        }
        return new HttpReply(200, type, body, Map.of("cache-control", "no-cache"));
    }

    private static byte[] read(String resource) {
        try (InputStream in = ConsoleRoutes.class.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
