package io.brook.http;

/**
 * Answers one kind of request. Routes run on the HTTP server's worker threads, never on its event loop, so they may
 * block (an admin call, a consumer poll) within their own bounded timeouts. An exception becomes a 500 with its
 * message; a route answers expected failures itself with the right status ({@link HttpReply#error}).
 */
@FunctionalInterface
public interface HttpRoute {

    HttpReply handle(HttpCall call) throws Exception;
}
