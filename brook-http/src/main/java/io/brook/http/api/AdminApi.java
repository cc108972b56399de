package io.brook.http.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.brook.http.HttpAuthenticator;
import io.brook.http.HttpReply;
import io.brook.http.HttpRouteSource;
import io.brook.http.HttpRoutes;

/**
 * The admin REST API under {@code /api/}: cluster, topics, messages, groups, ACLs and users, plus its OpenAPI 3
 * document at {@code /api/openapi.json}. Works through {@link KafkaClients} connected to the node's own Kafka
 * listener; {@link #close} closes them. Thread-safe.
 */
public final class AdminApi implements HttpRouteSource, AutoCloseable {

    /** The bound of every Kafka call the API makes when the caller does not choose one. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** Where the OpenAPI document lives in the resources. */
    public static final String OPENAPI_RESOURCE = "/io/brook/http/api/openapi.json";

    private final List<HttpRouteSource> parts;
    private final AutoCloseable clients;
    private final HttpAuthenticator authenticator;

    /**
     * @param clients the Kafka clients the routes call through
     * @param version the broker's version, shown by {@code GET /api/cluster}
     */
    public AdminApi(KafkaClients clients, String version) {
        this(call -> clients, clients, HttpAuthenticator.OPEN, version);
    }

    private AdminApi(ClientSource source, AutoCloseable clients, HttpAuthenticator authenticator, String version) {
        this.clients = clients;
        this.authenticator = authenticator;
        this.parts = List.of(new ClusterRoutes(source, version), new TopicRoutes(source),
                new MessageRoutes(source), new GroupRoutes(source), new SecurityRoutes(source));
    }

    /**
     * The API for a broker whose listener needs SASL: callers log in with HTTP Basic as one of the broker's SASL
     * users ({@link #authenticator()}), and the API acts as that user through their own clients, so ACLs apply.
     *
     * @param bootstrap the node's SASL listener, {@code host:port}
     * @param clientSettings that listener's client settings ({@code security.protocol})
     * @param mechanisms the listener's SASL mechanisms, tried in order at login
     */
    public static AdminApi withLogin(Supplier<String> bootstrap, Map<String, Object> clientSettings,
            List<String> mechanisms, String version) {
        UserClients users = new UserClients(bootstrap, clientSettings, mechanisms, DEFAULT_TIMEOUT);
        return new AdminApi(users, users, new BasicAuthenticator(users), version);
    }

    /** Who may call: everyone ({@link HttpAuthenticator#OPEN}) unless made {@link #withLogin}. */
    public HttpAuthenticator authenticator() {
        return authenticator;
    }

    /**
     * The API on its own clients, which {@link #close} closes: what the broker's HTTP side starts.
     *
     * @param bootstrap the node's own Kafka listener, {@code host:port}, asked when the first client is made
     * @param clientSettings more client settings for that listener (security protocol, TLS, SASL), may be empty
     * @param version the broker's version
     */
    public static AdminApi connectedTo(Supplier<String> bootstrap, Map<String, Object> clientSettings,
            String version) {
        return new AdminApi(new KafkaClients(bootstrap, clientSettings, DEFAULT_TIMEOUT), version);
    }

    /** Closes the Kafka clients. */
    @Override
    public void close() {
        try {
            clients.close();
        } catch (Exception e) {
            throw new IllegalStateException("Could not close the admin API's clients", e);
        }
    }

    @Override
    public void addRoutes(HttpRoutes routes) {
        parts.forEach(part -> part.addRoutes(routes));
        byte[] openApi = openApiDocument();
        routes.get("/api/openapi.json",
                call -> new HttpReply(200, HttpReply.JSON_TYPE, openApi, Map.of()));
    }

    /** The OpenAPI document's bytes, read from the resources. */
    public static byte[] openApiDocument() {
        try (InputStream in = AdminApi.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + OPENAPI_RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
