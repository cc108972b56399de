package io.brook.http.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import com.fasterxml.jackson.databind.JsonNode;

import io.brook.http.HttpCall;
import io.brook.http.HttpReply;
import io.brook.http.HttpRouteSource;
import io.brook.http.HttpRoutes;

/**
 * Consumer groups: list, describe (members, assignments, committed offsets, end offsets, lag) and reset offsets of
 * an inactive group - refused with 409 while it has members, as Kafka's tool does. Thread-safe.
 */
final class GroupRoutes implements HttpRouteSource {

    private final ClientSource source;

    GroupRoutes(ClientSource source) {
        this.source = source;
    }

    @Override
    public void addRoutes(HttpRoutes routes) {
        routes.get("/api/groups", ApiErrors.guard(this::list));
        routes.get("/api/groups/{id}", ApiErrors.guard(this::describe));
        routes.post("/api/groups/{id}/reset-offsets", ApiErrors.guard(this::resetOffsets));
    }

    private HttpReply list(HttpCall call) throws Exception {
        KafkaClients clients = source.forCall(call);
        List<Map<String, Object>> groups = new ArrayList<>();
        for (GroupListing listing : clients.await(clients.admin().listGroups(ListGroupsOptions.forConsumerGroups())
                .all()).stream().sorted(Comparator.comparing(GroupListing::groupId)).toList()) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("groupId", listing.groupId());
            view.put("type", listing.type().map(Object::toString).orElse(null));
            view.put("protocol", listing.protocol());
            view.put("state", listing.groupState().map(Object::toString).orElse(null));
            groups.add(view);
        }
        return HttpReply.json(200, Map.of("groups", groups));
    }

    private HttpReply describe(HttpCall call) throws Exception {
        KafkaClients clients = source.forCall(call);
        String id = call.pathParam("id");
        ConsumerGroupDescription group = describeOne(clients, id);
        Map<TopicPartition, OffsetAndMetadata> committed = committed(clients, id);
        Map<TopicPartition, String> owners = new HashMap<>();
        List<Map<String, Object>> members = new ArrayList<>();
        for (MemberDescription member : group.members()) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("memberId", member.consumerId());
            view.put("clientId", member.clientId());
            view.put("host", member.host());
            view.put("groupInstanceId", member.groupInstanceId().orElse(null));
            List<Map<String, Object>> assigned = new ArrayList<>();
            for (TopicPartition tp : sorted(member.assignment().topicPartitions())) {
                owners.put(tp, member.consumerId());
                assigned.add(Map.of("topic", tp.topic(), "partition", tp.partition()));
            }
            view.put("assignment", assigned);
            members.add(view);
        }
        Set<TopicPartition> partitions = new HashSet<>(committed.keySet());
        partitions.addAll(owners.keySet());
        Map<TopicPartition, Long> ends = endOffsets(clients, partitions);
        List<Map<String, Object>> offsets = new ArrayList<>();
        long totalLag = 0;
        for (TopicPartition tp : sorted(partitions)) {
            OffsetAndMetadata offset = committed.get(tp);
            Long end = ends.get(tp);
            Long lag = offset == null || end == null ? null : Math.max(0, end - offset.offset());
            totalLag += lag == null ? 0 : lag;
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("topic", tp.topic());
            view.put("partition", tp.partition());
            view.put("committedOffset", offset == null ? null : offset.offset());
            view.put("endOffset", end);
            view.put("lag", lag);
            view.put("memberId", owners.get(tp));
            offsets.add(view);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("groupId", id);
        body.put("state", group.groupState().toString());
        body.put("type", group.type().toString());
        body.put("assignor", group.partitionAssignor());
        body.put("coordinator", group.coordinator() == null ? null : group.coordinator().id());
        body.put("members", members);
        body.put("offsets", offsets);
        body.put("totalLag", totalLag);
        return HttpReply.json(200, body);
    }

    /**
     * Body {@code {"to": "earliest"|"latest"|"offset"|"timestamp", "offset": n, "timestamp": ms, "topic": t}}; all
     * topics the group has committed offsets for unless {@code topic} narrows it.
     */
    private HttpReply resetOffsets(HttpCall call) throws Exception {
        KafkaClients clients = source.forCall(call);
        String id = call.pathParam("id");
        JsonNode body = JsonBody.object(call);
        String to = body.path("to").asText("");
        ConsumerGroupDescription group = describeOne(clients, id);
        if (group.groupState() != GroupState.EMPTY && group.groupState() != GroupState.DEAD) {
            throw ApiProblem.conflict("Group '" + id + "' is " + group.groupState()
                    + "; offsets can only be reset while it has no members (stop its consumers first)");
        }
        Set<TopicPartition> partitions = new HashSet<>(committed(clients, id).keySet());
        if (body.hasNonNull("topic")) {
            String topic = body.get("topic").asText();
            partitions = allPartitions(clients, topic);
        }
        if (partitions.isEmpty()) {
            throw ApiProblem.badRequest("Group '" + id + "' has no committed offsets; name a 'topic' to reset");
        }
        Map<TopicPartition, OffsetAndMetadata> target = new HashMap<>();
        switch (to) {
            case "earliest", "latest", "timestamp" -> {
                OffsetSpec spec = switch (to) {
                    case "earliest" -> OffsetSpec.earliest();
                    case "latest" -> OffsetSpec.latest();
                    default -> OffsetSpec.forTimestamp(required(body, "timestamp"));
                };
                Map<TopicPartition, OffsetSpec> query = new HashMap<>();
                partitions.forEach(tp -> query.put(tp, spec));
                Map<TopicPartition, ListOffsetsResultInfo> found = clients
                        .await(clients.admin().listOffsets(query).all());
                Map<TopicPartition, Long> ends = endOffsets(clients, partitions);
                found.forEach((tp, info) -> target.put(tp,
                        new OffsetAndMetadata(info.offset() < 0 ? ends.get(tp) : info.offset())));
            }
            case "offset" -> {
                long offset = required(body, "offset");
                partitions.forEach(tp -> target.put(tp, new OffsetAndMetadata(offset)));
            }
            default -> throw ApiProblem.badRequest("'to' must be earliest, latest, offset or timestamp");
        }
        clients.await(clients.admin().alterConsumerGroupOffsets(id, target).all());
        List<Map<String, Object>> reset = new ArrayList<>();
        for (TopicPartition tp : sorted(target.keySet())) {
            reset.add(Map.of("topic", tp.topic(), "partition", tp.partition(), "offset",
                    target.get(tp).offset()));
        }
        return HttpReply.json(200, Map.of("groupId", id, "offsets", reset));
    }

    private ConsumerGroupDescription describeOne(KafkaClients clients, String id) throws Exception {
        ConsumerGroupDescription group = clients
                .await(clients.admin().describeConsumerGroups(List.of(id)).describedGroups().get(id));
        if (group.groupState() == GroupState.DEAD) {
            throw ApiProblem.notFound("Group '" + id + "' does not exist");
        }
        return group;
    }

    private Map<TopicPartition, OffsetAndMetadata> committed(KafkaClients clients, String id) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
        clients.await(clients.admin().listConsumerGroupOffsets(id).partitionsToOffsetAndMetadata())
                .forEach((tp, offset) -> {
                    if (offset != null) {
                        committed.put(tp, offset);
                    }
                });
        return committed;
    }

    private Map<TopicPartition, Long> endOffsets(KafkaClients clients, Set<TopicPartition> partitions)
            throws Exception {
        Map<TopicPartition, Long> ends = new HashMap<>();
        if (partitions.isEmpty()) {
            return ends;
        }
        Map<TopicPartition, OffsetSpec> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, OffsetSpec.latest()));
        // One deleted topic must not hide the lag of the others: ask per partition and skip the failures.
        var result = clients.admin().listOffsets(query);
        for (TopicPartition tp : partitions) {
            try {
                ends.put(tp, clients.await(result.partitionResult(tp)).offset());
            } catch (UnknownTopicOrPartitionException e) {
                // no end offset to show
            }
        }
        return ends;
    }

    private Set<TopicPartition> allPartitions(KafkaClients clients, String topic) throws Exception {
        try {
            TopicDescription description = clients
                    .await(clients.admin().describeTopics(List.of(topic)).allTopicNames()).get(topic);
            Set<TopicPartition> partitions = new HashSet<>();
            for (TopicPartitionInfo info : description.partitions()) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            return partitions;
        } catch (UnknownTopicOrPartitionException e) {
            throw ApiProblem.notFound("Topic '" + topic + "' does not exist");
        }
    }

    private static long required(JsonNode body, String field) {
        if (!body.hasNonNull(field) || !body.get(field).canConvertToLong()) {
            throw ApiProblem.badRequest("'" + field + "' (a number) is required");
        }
        return body.get(field).asLong();
    }

    private static List<TopicPartition> sorted(java.util.Collection<TopicPartition> partitions) {
        return partitions.stream().sorted(Comparator.comparing(TopicPartition::topic)
                .thenComparingInt(TopicPartition::partition)).toList();
    }
}
