package io.brook.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as a route sees it: fully read (the server bounds the body), decoded, immutable.
 *
 * @param method the method in upper case ({@code GET}, {@code POST}, ...)
 * @param path the decoded path without the query string, e.g. {@code /api/topics/orders}
 * @param pathParams the values of the route template's {@code {name}} segments, decoded
 * @param query the decoded query parameters, each with its values in order
 * @param headers the request headers, names in lower case (the last value wins)
 * @param body the request body, empty when there is none
 * @param user the authenticated user when the server authenticates callers, else empty
 */
public record HttpCall(String method, String path, Map<String, String> pathParams, Map<String, List<String>> query,
        Map<String, String> headers, byte[] body, Optional<String> user) {

    public HttpCall {
        pathParams = Map.copyOf(pathParams);
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
    }

    /** The first value of a query parameter. */
    public Optional<String> queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** A path parameter the route template names; routes only ask for names their template has. */
    public String pathParam(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalArgumentException("The route template has no {" + name + "} segment");
        }
        return value;
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The same call with the path parameters of the matched template. */
    HttpCall withPathParams(Map<String, String> params) {
        return new HttpCall(method, path, params, query, headers, body, user);
    }
}
