package io.brook.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * What a route answers: a status, a content type, the body bytes and extra headers. The server adds
 * {@code content-length} and the connection headers itself.
 */
public record HttpReply(int status, String contentType, byte[] body, Map<String, String> headers) {

    /** Jackson for every JSON reply; thread-safe once configured. */
    public static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    public static final String JSON_TYPE = "application/json";
    public static final String TEXT_TYPE = "text/plain; charset=utf-8";

    public HttpReply {
        headers = Map.copyOf(headers);
    }

    /** {@code value} as JSON (records, maps, lists and scalars serialize as Jackson does). */
    public static HttpReply json(int status, Object value) {
        try {
            return new HttpReply(status, JSON_TYPE, JSON.writeValueAsBytes(value), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    /** A UTF-8 text body with the given content type. */
    public static HttpReply text(int status, String contentType, String body) {
        return new HttpReply(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** An error as the REST API answers every error: {@code {"error": message}}. */
    public static HttpReply error(int status, String message) {
        return json(status, Map.of("error", message));
    }

    /** The same reply with one more header. */
    public HttpReply withHeader(String name, String value) {
        Map<String, String> more = new java.util.HashMap<>(headers);
        more.put(name, value);
        return new HttpReply(status, contentType, body, more);
    }
}
