package io.brook.server.cli;

import java.io.PrintWriter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The one JSON mapper of the commands and how they print JSON. Thread-safe. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    /** Prints {@code node} indented, for a command's one JSON result. */
    public static void print(JsonNode node, PrintWriter out) {
        out.println(write(PRETTY, node));
        out.flush();
    }

    /** Prints {@code node} on one line, for streams of JSON objects (one per line). */
    public static void printLine(JsonNode node, PrintWriter out) {
        out.println(write(MAPPER, node));
    }

    private static String write(ObjectMapper mapper, JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
