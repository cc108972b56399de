package io.brook.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The route table: method + path template ({@code /api/topics/{name}}; a last segment {@code {rest*}} takes the rest
 * of the path, slashes included) to a {@link HttpRoute}. Literal segments win over parameters, so
 * {@code /api/topics/_search} can sit beside {@code /api/topics/{name}}. Built at start, read-only afterwards: not
 * thread-safe while routes are added, safe to match from any thread after.
 */
public final class HttpRoutes {

    private final List<Entry> entries = new ArrayList<>();

    /** Adds a route; a second route for the same method and template is a programming error. */
    public HttpRoutes add(String method, String template, HttpRoute route) {
        String upper = method.toUpperCase(Locale.ROOT);
        List<String> segments = segments(template);
        for (Entry entry : entries) {
            if (entry.method.equals(upper) && entry.segments.equals(segments)) {
                throw new IllegalArgumentException("Two routes for " + upper + " " + template);
            }
        }
        entries.add(new Entry(upper, template, segments, route));
        return this;
    }

    public HttpRoutes get(String template, HttpRoute route) {
        return add("GET", template, route);
    }

    public HttpRoutes post(String template, HttpRoute route) {
        return add("POST", template, route);
    }

    public HttpRoutes put(String template, HttpRoute route) {
        return add("PUT", template, route);
    }

    public HttpRoutes delete(String template, HttpRoute route) {
        return add("DELETE", template, route);
    }

    /**
     * The route for a call, or empty; {@link #allowedMethods} tells a 405 from a 404. Of several matching templates
     * the one with the most literal segments before its first parameter wins.
     */
    public Optional<Match> match(String method, String path) {
        String upper = method.toUpperCase(Locale.ROOT);
        List<String> actual = segments(path);
        Match best = null;
        int bestScore = -1;
        for (Entry entry : entries) {
            if (!entry.method.equals(upper)) {
                continue;
            }
            Map<String, String> params = entry.bind(actual);
            if (params != null && entry.score() > bestScore) {
                best = new Match(entry.route, params, entry.template);
                bestScore = entry.score();
            }
        }
        return Optional.ofNullable(best);
    }

    /** The methods some route takes for this path (empty: no such path at all). */
    public List<String> allowedMethods(String path) {
        List<String> actual = segments(path);
        List<String> methods = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry.bind(actual) != null && !methods.contains(entry.method)) {
                methods.add(entry.method);
            }
        }
        return methods;
    }

    /** A matched route with the values of its template's parameters. */
    public record Match(HttpRoute route, Map<String, String> pathParams, String template) {

        /** Runs the route with the call's path parameters set. */
        public HttpReply handle(HttpCall call) throws Exception {
            return route.handle(call.withPathParams(pathParams));
        }
    }

    private static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        return segments;
    }

    private record Entry(String method, String template, List<String> segments, HttpRoute route) {

        /** The parameters bound by this template, or null when the path does not fit it. */
        Map<String, String> bind(List<String> actual) {
            Map<String, String> params = new HashMap<>();
            for (int i = 0; i < segments.size(); i++) {
                String pattern = segments.get(i);
                if (pattern.startsWith("{") && pattern.endsWith("*}") && i == segments.size() - 1) {
                    if (actual.size() < i) {
                        return null;
                    }
                    params.put(pattern.substring(1, pattern.length() - 2),
                            String.join("/", actual.subList(i, actual.size())));
                    return params;
                }
                if (i >= actual.size()) {
                    return null;
                }
                if (pattern.startsWith("{") && pattern.endsWith("}")) {
                    params.put(pattern.substring(1, pattern.length() - 1), actual.get(i));
                } else if (!pattern.equals(actual.get(i))) {
                    return null;
                }
            }
            return actual.size() == segments.size() ? params : null;
        }

        /** Literal segments before the first parameter: the more, the more specific. */
        int score() {
            int literals = 0;
            for (String segment : segments) {
                if (segment.startsWith("{")) {
                    break;
                }
                literals++;
            }
            return literals;
        }
    }
}
