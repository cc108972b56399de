package io.brook.server;

import java.util.List;
import java.util.stream.Collectors;

import org.apache.kafka.common.Endpoint;

import io.brook.broker.config.BrokerConfig;

/**
 * The block {@code brook server} prints on stdout once serving: version, node and role, listeners with their security
 * protocols, data directories, cluster id, where the console and metrics are, then the warnings. The first line keeps
 * its historical form ("Brook started in N ms, listening on ..."), which scripts wait for. Stateless.
 */
final class StartupBlock {

    private StartupBlock() {
    }

    /**
     * @param listening the Kafka-protocol listeners as bound, e.g. "PLAINTEXT://localhost:9092"
     * @param clusterId the cluster id, or null when unknown
     */
    static String text(BrokerConfig config, String version, long startedMs, String listening, String clusterId,
            List<String> httpUrls, List<String> warnings) {
        StringBuilder text = new StringBuilder();
        text.append("Brook started in ").append(startedMs).append(" ms, listening on ").append(listening)
                .append('\n');
        line(text, "Version", version);
        line(text, "Node", config.nodeId() + " (" + role(config) + ")");
        line(text, "Cluster id", clusterId == null ? "(unknown)" : clusterId);
        String listeners = config.brokerListenerEndpoints().stream().map(StartupBlock::protocolOf)
                .collect(Collectors.joining(", "));
        if (config.isController()) {
            String controller = config.controllerListener().map(e -> e.listener() + " (metadata quorum, port "
                    + e.port() + ")").orElse("");
            listeners = listeners.isEmpty() ? controller : listeners + ", " + controller;
        }
        line(text, "Listeners", listeners);
        line(text, "Log dirs", String.join(", ", config.logDirs()));
        line(text, "Metadata dir", config.metadataLogDir());
        line(text, config.isBroker() ? "Console" : "HTTP", httpUrls.isEmpty()
                ? "off (http.listeners is empty)"
                : String.join(", ", httpUrls) + (config.isBroker() ? "" : " (health and metrics)"));
        if (!httpUrls.isEmpty()) {
            line(text, "Metrics", config.httpMetricsEnabled()
                    ? httpUrls.get(0) + "/metrics"
                    : "off (http.metrics.enabled)");
        }
        for (String warning : warnings) {
            text.append("  WARNING: ").append(warning).append('\n');
        }
        return text.toString();
    }

    private static String role(BrokerConfig config) {
        if (config.isBroker() && config.isController()) {
            return "broker and controller";
        }
        return config.isController() ? "controller" : "broker";
    }

    private static String protocolOf(Endpoint endpoint) {
        return endpoint.listener() + " (" + endpoint.securityProtocol().name + ")";
    }

    private static void line(StringBuilder text, String name, String value) {
        text.append("  ").append(String.format("%-14s", name + ":")).append(value).append('\n');
    }
}
