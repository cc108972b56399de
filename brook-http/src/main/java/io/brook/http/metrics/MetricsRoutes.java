package io.brook.http.metrics;

import java.io.ByteArrayOutputStream;
import java.util.Map;

import io.brook.http.HttpCall;
import io.brook.http.HttpReply;
import io.brook.http.HttpRouteSource;
import io.brook.http.HttpRoutes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * {@code GET /metrics}: the Prometheus scrape, in the text format 0.0.4 or OpenMetrics as the {@code Accept} header
 * asks (anything else, protobuf included, gets the text format). Scrape-time gauges are brought up to date first. Thread-safe: scrapes may run
 * concurrently on the server's workers.
 */
public final class MetricsRoutes implements HttpRouteSource {

    private final PrometheusMeterRegistry registry;
    private final Runnable beforeScrape;
    static final String TEXT_004 = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    public MetricsRoutes(PrometheusMeterRegistry registry, Runnable beforeScrape) {
        this.registry = registry;
        this.beforeScrape = beforeScrape;
    }

    @Override
    public void addRoutes(HttpRoutes routes) {
        routes.get("/metrics", this::scrape);
    }

    private HttpReply scrape(HttpCall call) throws Exception {
        beforeScrape.run();
        String accept = call.headers().getOrDefault("accept", "");
        String contentType = accept.contains("application/openmetrics-text") ? OPEN_METRICS : TEXT_004;
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        registry.scrape(out, contentType);
        return new HttpReply(200, contentType, out.toByteArray(), Map.of());
    }
}
