package io.brook.http.health;

import java.util.Map;
import java.util.function.Supplier;

import io.brook.http.HttpReply;
import io.brook.http.HttpRouteSource;
import io.brook.http.HttpRoutes;

/**
 * {@code GET /health/live} (200 as long as the process answers HTTP) and {@code GET /health/ready} (200 once the
 * broker serves, else 503 with the reason), for load balancers and Kubernetes probes. Stateless: readiness is asked of
 * the supplier on every call, from the server's worker threads.
 */
public final class HealthRoutes implements HttpRouteSource {

    private final Supplier<Readiness> readiness;

    public HealthRoutes(Supplier<Readiness> readiness) {
        this.readiness = readiness;
    }

    /** Whether the broker serves, and if not, why (for the operator reading the probe's answer). */
    public record Readiness(boolean ready, String reason) {

        public static Readiness serving() {
            return new Readiness(true, "");
        }

        public static Readiness notReady(String reason) {
            return new Readiness(false, reason);
        }
    }

    @Override
    public void addRoutes(HttpRoutes routes) {
        routes.get("/health/live", call -> HttpReply.json(200, Map.of("status", "live")));
        routes.get("/health/ready", call -> {
            Readiness now = readiness.get();
            return now.ready()
                    ? HttpReply.json(200, Map.of("status", "ready"))
                    : HttpReply.json(503, Map.of("status", "not ready", "reason", now.reason()));
        });
    }
}
