package io.brook.http.api;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;

import io.brook.http.HttpCall;
import io.brook.http.HttpReply;

/** Reads request bodies and parameters, refusing bad input with a 400. Stateless. */
final class JsonBody {

    private JsonBody() {
    }

    /** The body as a JSON object; an empty body is an empty object. */
    static JsonNode object(HttpCall call) {
        if (call.body().length == 0) {
            return HttpReply.JSON.createObjectNode();
        }
        try {
            JsonNode node = HttpReply.JSON.readTree(call.body());
            if (node == null || !node.isObject()) {
                throw ApiProblem.badRequest("The body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw ApiProblem.badRequest("The body is not valid JSON: " + e.getMessage());
        }
    }

    /** An optional integer query parameter, 400 when not a number or out of range. */
    static int intParam(HttpCall call, String name, int defaultValue, int min, int max) {
        String text = call.queryParam(name).orElse("");
        if (text.isBlank()) {
            return defaultValue;
        }
        long value = longValue(name, text);
        if (value < min || value > max) {
            throw ApiProblem.badRequest("'" + name + "' must be between " + min + " and " + max);
        }
        return (int) value;
    }

    static long longValue(String name, String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("'" + name + "' must be a number, not '" + text + "'");
        }
    }
}
