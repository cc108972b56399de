package io.brook.http;

/**
 * A part of the HTTP side (metrics, health, admin API, console) that adds its routes to the server's table at start.
 */
@FunctionalInterface
public interface HttpRouteSource {

    void addRoutes(HttpRoutes routes);
}
