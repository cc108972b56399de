package io.brook.http.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.ClusterAuthorizationException;

import io.brook.http.HttpReply;
import io.brook.http.HttpRouteSource;
import io.brook.http.HttpRoutes;

/** {@code GET /api/cluster}: brokers, controller, version and log dirs with their sizes. Thread-safe. */
final class ClusterRoutes implements HttpRouteSource {

    private final ClientSource source;
    private final String version;

    ClusterRoutes(ClientSource source, String version) {
        this.source = source;
        this.version = version;
    }

    @Override
    public void addRoutes(HttpRoutes routes) {
        routes.get("/api/cluster", ApiErrors.guard(call -> HttpReply.json(200, cluster(source.forCall(call)))));
    }

    private Map<String, Object> cluster(KafkaClients clients) throws Exception {
        DescribeClusterResult described = clients.admin().describeCluster();
        String clusterId = clients.await(described.clusterId());
        Node controller = clients.await(described.controller());
        Collection<Node> nodes = clients.await(described.nodes());
        List<Integer> ids = nodes.stream().map(Node::id).sorted().toList();
        Map<Integer, Map<String, LogDirDescription>> dirs;
        try {
            dirs = clients.await(clients.admin().describeLogDirs(ids).allDescriptions());
        } catch (ClusterAuthorizationException e) {
            dirs = Map.of(); // a user without DESCRIBE on the cluster sees no log dirs
        }

        List<Map<String, Object>> brokers = new ArrayList<>();
        long totalBytes = 0;
        for (Node node : nodes.stream().sorted((a, b) -> Integer.compare(a.id(), b.id())).toList()) {
            List<Map<String, Object>> logDirs = new ArrayList<>();
            for (Map.Entry<String, LogDirDescription> dir : dirs.getOrDefault(node.id(), Map.of()).entrySet()) {
                long size = dir.getValue().replicaInfos().values().stream().mapToLong(ReplicaInfo::size).sum();
                totalBytes += size;
                Map<String, Object> view = new LinkedHashMap<>();
                view.put("path", dir.getKey());
                view.put("sizeBytes", size);
                view.put("replicas", dir.getValue().replicaInfos().size());
                dir.getValue().totalBytes().ifPresent(bytes -> view.put("totalBytes", bytes));
                dir.getValue().usableBytes().ifPresent(bytes -> view.put("usableBytes", bytes));
                view.put("error", dir.getValue().error() == null ? null : dir.getValue().error().getMessage());
                logDirs.add(view);
            }
            Map<String, Object> broker = new LinkedHashMap<>();
            broker.put("id", node.id());
            broker.put("host", node.host());
            broker.put("port", node.port());
            broker.put("rack", node.rack());
            broker.put("controller", controller != null && controller.id() == node.id());
            broker.put("logDirs", logDirs);
            brokers.add(broker);
        }
        Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("clusterId", clusterId);
        cluster.put("version", version);
        cluster.put("controller", controller == null || controller.isEmpty() ? null : controller.id());
        cluster.put("brokers", brokers);
        cluster.put("totalSizeBytes", totalBytes);
        return cluster;
    }
}
