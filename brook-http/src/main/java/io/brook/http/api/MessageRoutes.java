package io.brook.http.api;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.internals.RecordHeaders;

import com.fasterxml.jackson.databind.JsonNode;

import io.brook.http.HttpCall;
import io.brook.http.HttpReply;
import io.brook.http.HttpRouteSource;
import io.brook.http.HttpRoutes;

/**
 * The message browser ({@code GET /api/topics/{name}/messages?partition=&offset=|timestamp=&limit=}) and the test
 * producer ({@code POST}). Each browse uses its own short-lived consumer, assigned (no group), bounded in time.
 * Thread-safe.
 */
final class MessageRoutes implements HttpRouteSource {

    private static final int MAX_LIMIT = 500;

    private final ClientSource source;

    MessageRoutes(ClientSource source) {
        this.source = source;
    }

    @Override
    public void addRoutes(HttpRoutes routes) {
        routes.get("/api/topics/{name}/messages", ApiErrors.guard(this::browse));
        routes.post("/api/topics/{name}/messages", ApiErrors.guard(this::produce));
    }

    private HttpReply browse(HttpCall call) throws Exception {
        KafkaClients clients = source.forCall(call);
        String name = call.pathParam("name");
        int partitions = partitionCount(clients, name);
        int partition = JsonBody.intParam(call, "partition", 0, 0, Integer.MAX_VALUE);
        if (partition >= partitions) {
            throw ApiProblem.notFound("Topic '" + name + "' has no partition " + partition + " (it has "
                    + partitions + ")");
        }
        int limit = JsonBody.intParam(call, "limit", 20, 1, MAX_LIMIT);
        TopicPartition tp = new TopicPartition(name, partition);
        List<Map<String, Object>> messages = new ArrayList<>();
        long start;
        long end;
        try (KafkaConsumer<byte[], byte[]> consumer = clients.newConsumer()) {
            consumer.assign(List.of(tp));
            Duration timeout = clients.timeout();
            long earliest = consumer.beginningOffsets(List.of(tp), timeout).get(tp);
            end = consumer.endOffsets(List.of(tp), timeout).get(tp);
            start = startOffset(call, consumer, tp, earliest, end);
            consumer.seek(tp, start);
            long deadline = System.nanoTime() + timeout.toNanos();
            long position = start;
            while (messages.size() < limit && position < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (messages.size() < limit) {
                        messages.add(MessageView.of(record));
                    }
                }
                position = consumer.position(tp, timeout);
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("topic", name);
        body.put("partition", partition);
        body.put("from", start);
        body.put("endOffset", end);
        body.put("messages", messages);
        return HttpReply.json(200, body);
    }

    private static long startOffset(HttpCall call, KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp,
            long earliest, long end) {
        if (call.queryParam("timestamp").filter(t -> !t.isBlank()).isPresent()) {
            long timestamp = JsonBody.longValue("timestamp", call.queryParam("timestamp").get());
            OffsetAndTimestamp found = consumer.offsetsForTimes(Map.of(tp, timestamp)).get(tp);
            return found == null ? end : found.offset();
        }
        String offset = call.queryParam("offset").orElse("");
        if (offset.isBlank() || offset.equals("earliest")) {
            return earliest;
        }
        if (offset.equals("latest")) {
            return end;
        }
        long value = JsonBody.longValue("offset", offset);
        // A negative offset counts back from the end, so the browser can show the newest messages.
        long wanted = value < 0 ? end + value : value;
        return Math.max(earliest, Math.min(wanted, end));
    }

    /** Body {@code {"key", "value", "partition", "headers": {k: v}, "base64": false}}. */
    private HttpReply produce(HttpCall call) throws Exception {
        KafkaClients clients = source.forCall(call);
        String name = call.pathParam("name");
        partitionCount(clients, name);
        JsonNode body = JsonBody.object(call);
        boolean base64 = body.path("base64").asBoolean(false);
        byte[] key = bytes(body.get("key"), base64);
        byte[] value = bytes(body.get("value"), base64);
        Integer partition = body.hasNonNull("partition") ? body.get("partition").asInt() : null;
        RecordHeaders headers = new RecordHeaders();
        body.path("headers").properties().forEach(entry -> headers.add(entry.getKey(),
                bytes(entry.getValue(), base64)));
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(name, partition, null, key, value, headers);
        RecordMetadata written = clients.producer().send(record).get(clients.timeout().toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("topic", name);
        reply.put("partition", written.partition());
        reply.put("offset", written.offset());
        reply.put("timestamp", written.timestamp());
        return HttpReply.json(201, reply);
    }

    private static byte[] bytes(JsonNode node, boolean base64) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        String text = node.isTextual() ? node.asText() : node.toString();
        if (!base64) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("'base64' is true but a value is not base64: " + e.getMessage());
        }
    }

    private int partitionCount(KafkaClients clients, String name) throws Exception {
        try {
            TopicDescription description = clients
                    .await(clients.admin().describeTopics(List.of(name)).allTopicNames()).get(name);
            return description.partitions().size();
        } catch (UnknownTopicOrPartitionException e) {
            throw ApiProblem.notFound("Topic '" + name + "' does not exist");
        }
    }
}
