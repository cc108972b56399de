package io.brook.http.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import com.fasterxml.jackson.databind.JsonNode;

import io.brook.http.HttpCall;
import io.brook.http.HttpReply;
import io.brook.http.HttpRouteSource;
import io.brook.http.HttpRoutes;

/**
 * Topics: list (search + paging), create, delete, describe (partitions with offsets) and configs. Only the page asked
 * for is described, so listing stays cheap on 10,000 topics. Thread-safe.
 */
final class TopicRoutes implements HttpRouteSource {

    private static final int MAX_PAGE_SIZE = 1000;

    private final ClientSource source;

    TopicRoutes(ClientSource source) {
        this.source = source;
    }

    @Override
    public void addRoutes(HttpRoutes routes) {
        routes.get("/api/topics", ApiErrors.guard(this::list));
        routes.post("/api/topics", ApiErrors.guard(this::create));
        routes.get("/api/topics/{name}", ApiErrors.guard(this::describe));
        routes.delete("/api/topics/{name}", ApiErrors.guard(this::delete));
        routes.get("/api/topics/{name}/configs", ApiErrors.guard(this::configs));
        routes.put("/api/topics/{name}/configs", ApiErrors.guard(this::alterConfigs));
    }

    private HttpReply list(HttpCall call) throws Exception {
        KafkaClients clients = source.forCall(call);
        int page = JsonBody.intParam(call, "page", 0, 0, Integer.MAX_VALUE);
        int size = JsonBody.intParam(call, "size", 50, 1, MAX_PAGE_SIZE);
        boolean internal = call.queryParam("internal").map(Boolean::parseBoolean).orElse(false);
        Set<String> names = clients.await(clients.admin().listTopics(new ListTopicsOptions().listInternal(internal))
                .names());
        TopicPage shown = TopicPage.of(names, call.queryParam("search").orElse(""), page, size);
        Map<String, TopicDescription> descriptions = shown.names().isEmpty()
                ? Map.of()
                : clients.await(clients.admin().describeTopics(shown.names()).allTopicNames());
        Map<TopicPartition, Long> sizes = partitionSizes(clients);
        List<Map<String, Object>> topics = new ArrayList<>();
        for (String name : shown.names()) {
            TopicDescription description = descriptions.get(name);
            if (description == null) {
                continue;
            }
            long bytes = 0;
            for (TopicPartitionInfo partition : description.partitions()) {
                bytes += sizes.getOrDefault(new TopicPartition(name, partition.partition()), 0L);
            }
            Map<String, Object> topic = new LinkedHashMap<>();
            topic.put("name", name);
            topic.put("internal", description.isInternal());
            topic.put("partitions", description.partitions().size());
            topic.put("replicationFactor", replicationFactor(description));
            topic.put("sizeBytes", bytes);
            topics.add(topic);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("total", shown.total());
        body.put("page", shown.page());
        body.put("size", shown.size());
        body.put("topics", topics);
        return HttpReply.json(200, body);
    }

    private HttpReply create(HttpCall call) throws Exception {
        KafkaClients clients = source.forCall(call);
        JsonNode body = JsonBody.object(call);
        String name = body.path("name").asText("");
        if (name.isBlank()) {
            throw ApiProblem.badRequest("'name' is required");
        }
        Optional<Integer> partitions = body.hasNonNull("partitions")
                ? Optional.of(body.get("partitions").asInt())
                : Optional.empty();
        Optional<Short> replicas = body.hasNonNull("replicationFactor")
                ? Optional.of((short) body.get("replicationFactor").asInt())
                : Optional.empty();
        NewTopic topic = new NewTopic(name, partitions, replicas);
        Map<String, String> configs = new HashMap<>();
        body.path("configs").properties().forEach(entry -> configs.put(entry.getKey(), entry.getValue().asText()));
        topic.configs(configs);
        clients.await(clients.admin().createTopics(List.of(topic)).all());
        return HttpReply.json(201, Map.of("name", name));
    }

    private HttpReply delete(HttpCall call) throws Exception {
        KafkaClients clients = source.forCall(call);
        String name = call.pathParam("name");
        clients.await(clients.admin().deleteTopics(List.of(name)).all());
        return HttpReply.json(200, Map.of("deleted", name));
    }

    private HttpReply describe(HttpCall call) throws Exception {
        KafkaClients clients = source.forCall(call);
        String name = call.pathParam("name");
        TopicDescription description = describeOne(clients, name);
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (TopicPartitionInfo partition : description.partitions()) {
            TopicPartition tp = new TopicPartition(name, partition.partition());
            earliest.put(tp, OffsetSpec.earliest());
            latest.put(tp, OffsetSpec.latest());
        }
        Map<TopicPartition, ListOffsetsResultInfo> starts = clients
                .await(clients.admin().listOffsets(earliest).all());
        Map<TopicPartition, ListOffsetsResultInfo> ends = clients.await(clients.admin().listOffsets(latest).all());
        Map<TopicPartition, Long> sizes = partitionSizes(clients);
        List<Map<String, Object>> partitions = new ArrayList<>();
        long total = 0;
        for (TopicPartitionInfo partition : description.partitions()) {
            TopicPartition tp = new TopicPartition(name, partition.partition());
            long bytes = sizes.getOrDefault(tp, 0L);
            total += bytes;
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("partition", partition.partition());
            view.put("leader", partition.leader() == null || partition.leader().isEmpty()
                    ? null
                    : partition.leader().id());
            view.put("replicas", ids(partition.replicas()));
            view.put("isr", ids(partition.isr()));
            view.put("startOffset", starts.get(tp).offset());
            view.put("endOffset", ends.get(tp).offset());
            view.put("sizeBytes", bytes);
            partitions.add(view);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("topicId", description.topicId().toString());
        body.put("internal", description.isInternal());
        body.put("replicationFactor", replicationFactor(description));
        body.put("sizeBytes", total);
        body.put("partitions", partitions);
        return HttpReply.json(200, body);
    }

    private HttpReply configs(HttpCall call) throws Exception {
        KafkaClients clients = source.forCall(call);
        String name = call.pathParam("name");
        describeOne(clients, name);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
        Config config = clients.await(clients.admin().describeConfigs(List.of(resource)).all()).get(resource);
        List<Map<String, Object>> entries = new ArrayList<>();
        for (ConfigEntry entry : config.entries().stream()
                .sorted((a, b) -> a.name().compareTo(b.name())).toList()) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("name", entry.name());
            view.put("value", entry.isSensitive() ? null : entry.value());
            view.put("source", entry.source().name());
            view.put("default", entry.isDefault());
            view.put("readOnly", entry.isReadOnly());
            view.put("sensitive", entry.isSensitive());
            entries.add(view);
        }
        return HttpReply.json(200, Map.of("name", name, "configs", entries));
    }

    /** Body {@code {"set": {k: v}, "delete": [k]}}; or a plain object of {@code k: v} (null deletes). */
    private HttpReply alterConfigs(HttpCall call) throws Exception {
        KafkaClients clients = source.forCall(call);
        String name = call.pathParam("name");
        JsonNode body = JsonBody.object(call);
        List<AlterConfigOp> ops = new ArrayList<>();
        boolean structured = body.has("set") || body.has("delete");
        JsonNode sets = structured ? body.path("set") : body;
        sets.properties().forEach(entry -> ops.add(entry.getValue().isNull()
                ? new AlterConfigOp(new ConfigEntry(entry.getKey(), null), AlterConfigOp.OpType.DELETE)
                : new AlterConfigOp(new ConfigEntry(entry.getKey(), entry.getValue().asText()),
                        AlterConfigOp.OpType.SET)));
        for (JsonNode key : body.path("delete")) {
            ops.add(new AlterConfigOp(new ConfigEntry(key.asText(), null), AlterConfigOp.OpType.DELETE));
        }
        if (ops.isEmpty()) {
            throw ApiProblem.badRequest("Nothing to change: give {\"set\": {...}} and/or {\"delete\": [...]}");
        }
        describeOne(clients, name);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
        clients.await(clients.admin().incrementalAlterConfigs(Map.of(resource, ops)).all());
        return configs(call);
    }

    private TopicDescription describeOne(KafkaClients clients, String name) throws Exception {
        try {
            return clients.await(clients.admin().describeTopics(List.of(name)).allTopicNames()).get(name);
        } catch (UnknownTopicOrPartitionException e) {
            throw ApiProblem.notFound("Topic '" + name + "' does not exist");
        }
    }

    /**
     * Each partition's size: the largest of its replicas (a lagging follower holds less). Empty when the caller may
     * not describe the cluster's log dirs (a user without DESCRIBE on the cluster): sizes are then unknown.
     */
    private Map<TopicPartition, Long> partitionSizes(KafkaClients clients) throws Exception {
        Collection<Node> nodes = clients.await(clients.admin().describeCluster().nodes());
        Map<Integer, Map<String, LogDirDescription>> dirs;
        try {
            dirs = clients.await(clients.admin().describeLogDirs(nodes.stream().map(Node::id).toList())
                    .allDescriptions());
        } catch (ClusterAuthorizationException e) {
            return Map.of();
        }
        Map<TopicPartition, Long> sizes = new HashMap<>();
        for (Map<String, LogDirDescription> byPath : dirs.values()) {
            for (LogDirDescription dir : byPath.values()) {
                dir.replicaInfos().forEach((tp, info) -> sizes.merge(tp, info.size(), Math::max));
            }
        }
        return sizes;
    }

    private static int replicationFactor(TopicDescription description) {
        return description.partitions().isEmpty() ? 0 : description.partitions().get(0).replicas().size();
    }

    private static List<Integer> ids(List<Node> nodes) {
        return nodes.stream().map(Node::id).collect(Collectors.toList());
    }

}
