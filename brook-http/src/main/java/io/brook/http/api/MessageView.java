package io.brook.http.api;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import com.fasterxml.jackson.databind.JsonNode;

import io.brook.http.HttpReply;

/**
 * How the API shows a record's bytes: always base64 of the raw bytes, plus a best-effort decoded form - JSON when
 * the bytes parse as JSON, text when they are valid UTF-8 without control characters, else hex. Pure, stateless.
 */
public final class MessageView {

    private MessageView() {
    }

    /** A record as the message browser shows it. */
    public static Map<String, Object> of(ConsumerRecord<byte[], byte[]> record) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("partition", record.partition());
        view.put("offset", record.offset());
        view.put("timestamp", record.timestamp());
        view.put("timestampType", record.timestampType().name);
        view.put("key", bytes(record.key()));
        view.put("value", bytes(record.value()));
        List<Map<String, Object>> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("key", header.key());
            one.put("value", bytes(header.value()));
            headers.add(one);
        }
        view.put("headers", headers);
        return view;
    }

    /**
     * {@code null} for null bytes, else {@code {"base64", "format": "json"|"text"|"hex", "text"}} and, for JSON, the
     * parsed value under {@code "json"}.
     */
    public static Map<String, Object> bytes(byte[] data) {
        if (data == null) {
            return null;
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("base64", Base64.getEncoder().encodeToString(data));
        view.put("size", data.length);
        String text = utf8(data);
        JsonNode json = text == null ? null : json(text);
        if (json != null) {
            view.put("format", "json");
            view.put("text", text);
            view.put("json", json);
        } else if (text != null && printable(text)) {
            view.put("format", "text");
            view.put("text", text);
        } else {
            view.put("format", "hex");
            view.put("text", HexFormat.ofDelimiter(" ").formatHex(data));
        }
        return view;
    }

    private static String utf8(byte[] data) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Only objects and arrays count as JSON: a bare number or word is better shown as text. */
    private static JsonNode json(String text) {
        String trimmed = text.trim();
        if (!(trimmed.startsWith("{") || trimmed.startsWith("["))) {
            return null;
        }
        try {
            return HttpReply.JSON.readTree(trimmed);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static boolean printable(String text) {
        return text.chars().noneMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t');
    }
}
