package io.brook.server.http;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.broker.config.BrokerConfig;
import io.brook.broker.metrics.BrokerMetrics;
import io.brook.http.HttpAuthenticator;
import io.brook.http.HttpListener;
import io.brook.http.HttpRouteSource;
import io.brook.http.HttpRoutes;
import io.brook.http.HttpServer;
import io.brook.http.api.AdminApi;
import io.brook.http.console.ConsoleRoutes;
import io.brook.http.health.HealthRoutes;
import io.brook.http.metrics.MetricsRoutes;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The broker's HTTP side, assembled in one place: the route sources (health, metrics, and on a node with the broker
 * role the admin API and console) and the
 * server on {@code http.listeners}. Started before the broker, closed after it. Not thread-safe: started and closed by
 * the launcher's thread.
 */
public final class HttpSide implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpSide.class);

    private final HttpServer server;
    private final List<String> urls;
    private final BrokerMetrics metrics;
    private final List<AutoCloseable> binders;

    private HttpSide(HttpServer server, List<String> urls, BrokerMetrics metrics, List<AutoCloseable> binders) {
        this.server = server;
        this.urls = List.copyOf(urls);
        this.metrics = metrics;
        this.binders = binders;
    }

    /** Every part of the HTTP side; a new part adds its source here. */
    static List<HttpRouteSource> routeSources(BrokerConfig config, BrokerHolder broker, BrokerMetrics metrics) {
        List<HttpRouteSource> sources = new ArrayList<>();
        sources.add(new HealthRoutes(broker::readiness));
        if (metrics.registry() instanceof PrometheusMeterRegistry prometheus) {
            sources.add(new MetricsRoutes(prometheus, metrics::beforeScrape));
        }
        if (config.isBroker()) {
            // A controller-only node has no Kafka listener for the admin API's clients: health and metrics only.
            sources.add(AdminApiSource.create(config, broker));
            sources.add(new ConsoleRoutes());
        }
        return sources;
    }

    /**
     * Binds every {@code http.listeners} address (none: a side without a server); fails naming the setting when a
     * port is taken.
     */
    public static HttpSide start(BrokerConfig config, BrokerHolder broker) {
        List<HttpListener> listeners = HttpListener.parseAll(String.join(",", config.httpListeners()));
        if (listeners.isEmpty()) {
            LOG.info("No HTTP server: {} is empty", BrokerConfig.HTTP_LISTENERS);
            return new HttpSide(null, List.of(), BrokerMetrics.NONE, List.of());
        }
        BrokerMetrics metrics = BrokerMetrics.NONE;
        List<AutoCloseable> binders = new ArrayList<>();
        if (config.httpMetricsEnabled()) {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            binders.addAll(JvmBinders.bindTo(registry));
            metrics = new BrokerMetrics(registry);
        }
        HttpRoutes routes = new HttpRoutes();
        List<HttpRouteSource> sources = routeSources(config, broker, metrics);
        for (HttpRouteSource source : sources) {
            source.addRoutes(routes);
            if (source instanceof AutoCloseable closeable) {
                binders.add(closeable); // the admin API's Kafka clients, closed with the side
            }
        }
        HttpServer server = new HttpServer(routes, authenticator(sources));
        List<String> urls = new ArrayList<>();
        try {
            for (HttpListener listener : listeners) {
                int port = server.bind(listener);
                String host = listener.isWildcard() ? "0.0.0.0" : listener.host();
                urls.add("http://" + host + ":" + port);
            }
        } catch (RuntimeException e) {
            server.close();
            JvmBinders.closeAll(binders);
            throw e;
        }
        for (String url : urls) {
            LOG.info("Brook HTTP side at {} (readiness {}/health/ready, Prometheus {}/metrics)", url, url, url);
        }
        return new HttpSide(server, urls, metrics, binders);
    }

    /** The admin API decides who may call: everyone, or the broker's SASL users when its listener needs SASL. */
    private static HttpAuthenticator authenticator(List<HttpRouteSource> sources) {
        return sources.stream().filter(AdminApi.class::isInstance).map(s -> ((AdminApi) s).authenticator())
                .findFirst().orElse(HttpAuthenticator.OPEN);
    }

    /** What the broker records into: a Prometheus registry behind /metrics, or nothing when metrics are off. */
    public BrokerMetrics metrics() {
        return metrics;
    }

    /** The base URLs, e.g. {@code http://localhost:8080}, with the bound ports. */
    public List<String> urls() {
        return urls;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        JvmBinders.closeAll(binders);
    }
}
