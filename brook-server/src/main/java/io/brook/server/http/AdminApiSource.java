package io.brook.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.Endpoint;
import org.apache.kafka.common.security.auth.SecurityProtocol;

import io.brook.broker.config.BrokerConfig;
import io.brook.http.api.AdminApi;

/**
 * Makes the admin REST API for this node: its Kafka clients connect to the node's own first PLAINTEXT broker listener
 * (the first broker listener when none is PLAINTEXT), found when the first call comes, since the HTTP side starts
 * before the broker binds its ports (port 0 is resolved from the running broker). Stateless.
 */
final class AdminApiSource {

    private AdminApiSource() {
    }

    static AdminApi create(BrokerConfig config, BrokerHolder holder) {
        return AdminApi.connectedTo(() -> bootstrap(config, holder), Map.of(), version());
    }

    private static String bootstrap(BrokerConfig config, BrokerHolder holder) {
        List<Endpoint> endpoints = config.brokerListenerEndpoints();
        if (endpoints.isEmpty()) {
            throw new IllegalStateException("The broker has no Kafka listener for the admin API to use");
        }
        Endpoint endpoint = endpoints.stream().filter(e -> e.securityProtocol() == SecurityProtocol.PLAINTEXT)
                .findFirst().orElse(endpoints.get(0));
        int port = endpoint.port();
        if (port == 0) {
            port = holder.broker().orElseThrow(() -> new IllegalStateException("The broker has not started yet"))
                    .boundPort(endpoint.listener());
        }
        String host = endpoint.host() == null || endpoint.host().isBlank() || endpoint.host().equals("0.0.0.0")
                ? "localhost"
                : endpoint.host();
        return host + ":" + port;
    }

    /** The version the build writes into the server's resources, as {@code brook --version} shows it. */
    private static String version() {
        try (InputStream in = AdminApiSource.class.getResourceAsStream("/brook-version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
