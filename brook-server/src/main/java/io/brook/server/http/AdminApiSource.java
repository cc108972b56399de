package io.brook.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.Endpoint;
import org.apache.kafka.common.security.auth.SecurityProtocol;

import io.brook.broker.config.BrokerConfig;
import io.brook.http.api.AdminApi;

/**
 * Makes the admin REST API for this node. With a SASL_PLAINTEXT broker listener, callers log in with HTTP Basic as
 * one of the broker's SASL users and the API acts as them through that listener (so ACLs apply); otherwise its
 * clients connect to the first PLAINTEXT broker listener (the first broker listener when none is PLAINTEXT). The
 * address is found when the first call comes, since the HTTP side starts before the broker binds its ports (port 0 is
 * resolved from the running broker). Stateless.
 */
final class AdminApiSource {

    private AdminApiSource() {
    }

    static AdminApi create(BrokerConfig config, BrokerHolder holder) {
        List<Endpoint> endpoints = config.brokerListenerEndpoints();
        if (endpoints.isEmpty()) {
            throw new IllegalStateException("The broker has no Kafka listener for the admin API to use");
        }
        Optional<Endpoint> sasl = endpoints.stream()
                .filter(e -> e.securityProtocol() == SecurityProtocol.SASL_PLAINTEXT).findFirst();
        if (sasl.isPresent()) {
            Endpoint endpoint = sasl.get();
            return AdminApi.withLogin(() -> address(endpoint, holder),
                    Map.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SecurityProtocol.SASL_PLAINTEXT.name),
                    config.saslEnabledMechanisms(endpoint.listener()), version());
        }
        Endpoint endpoint = endpoints.stream().filter(e -> e.securityProtocol() == SecurityProtocol.PLAINTEXT)
                .findFirst().orElse(endpoints.get(0));
        return AdminApi.connectedTo(() -> address(endpoint, holder), Map.of(), version());
    }

    private static String address(Endpoint endpoint, BrokerHolder holder) {
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
