package io.brook.server.cli.io;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.brook.server.cli.Json;

/**
 * Prints consumed records: as text (the value, optionally preceded by timestamp, headers and key, tab-separated) or
 * as one JSON object per line (topic, partition, offset, timestamp, key, value, headers). Keys, values and headers are
 * decoded as UTF-8; a null key or value prints as {@code null}. Stateless apart from its settings; not thread-safe.
 */
final class RecordFormatter {

    /** Consumer output formats. */
    enum Format {
        TEXT, JSON
    }

    private final Format format;
    private final boolean printKey;
    private final boolean printHeaders;
    private final boolean printTimestamp;

    RecordFormatter(Format format, boolean printKey, boolean printHeaders, boolean printTimestamp) {
        this.format = format;
        this.printKey = printKey;
        this.printHeaders = printHeaders;
        this.printTimestamp = printTimestamp;
    }

    void print(ConsumerRecord<byte[], byte[]> record, PrintWriter out) {
        if (format == Format.JSON) {
            Json.printLine(json(record), out);
        } else {
            out.println(text(record));
        }
    }

    String text(ConsumerRecord<byte[], byte[]> record) {
        StringBuilder line = new StringBuilder();
        if (printTimestamp) {
            line.append(record.timestampType()).append(':').append(record.timestamp()).append('\t');
        }
        if (printHeaders) {
            StringBuilder headers = new StringBuilder();
            for (Header header : record.headers()) {
                if (headers.length() > 0) {
                    headers.append(',');
                }
                headers.append(header.key()).append(':').append(utf8(header.value()));
            }
            line.append(headers.length() == 0 ? "NO_HEADERS" : headers).append('\t');
        }
        if (printKey) {
            line.append(utf8(record.key())).append('\t');
        }
        return line.append(utf8(record.value())).toString();
    }

    static ObjectNode json(ConsumerRecord<byte[], byte[]> record) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("topic", record.topic());
        node.put("partition", record.partition());
        node.put("offset", record.offset());
        node.put("timestamp", record.timestamp());
        node.put("key", record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8));
        node.put("value", record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8));
        ArrayNode headers = node.putArray("headers");
        for (Header header : record.headers()) {
            headers.addObject().put("key", header.key()).put("value",
                    header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        return node;
    }

    private static String utf8(byte[] bytes) {
        return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
    }
}
