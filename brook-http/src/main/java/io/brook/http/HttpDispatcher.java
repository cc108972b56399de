package io.brook.http;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * One connection's requests: copies each aggregated request into an {@link HttpCall}, answers it on a worker thread
 * (authenticate, route, run) and writes the reply back. Requests are answered one at a time, in order; reading pauses
 * while one is in progress, so a pipelining caller cannot queue unbounded work. Its state is touched only on the
 * connection's event loop.
 */
final class HttpDispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(HttpDispatcher.class);

    private final HttpRoutes routes;
    private final HttpAuthenticator authenticator;
    private final Executor workers;
    private final Queue<Pending> pending = new ArrayDeque<>();
    private boolean busy;

    HttpDispatcher(HttpRoutes routes, HttpAuthenticator authenticator, Executor workers) {
        this.routes = routes;
        this.authenticator = authenticator;
        this.workers = workers;
    }

    /** A request copied out of Netty's buffers, with what the reply needs to know about it. */
    private record Pending(HttpCall call, boolean keepAlive, HttpVersion version, boolean badRequest) {
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (request.decoderResult().isFailure()) {
            pending.add(new Pending(null, false, HttpVersion.HTTP_1_1, true));
        } else {
            pending.add(new Pending(toCall(request), keepAlive, request.protocolVersion(), false));
        }
        ctx.channel().config().setAutoRead(false);
        next(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("HTTP connection {} failed; closing it", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }

    private void next(ChannelHandlerContext ctx) {
        if (busy) {
            return;
        }
        Pending request = pending.poll();
        if (request == null) {
            ctx.channel().config().setAutoRead(true);
            return;
        }
        busy = true;
        if (request.badRequest()) {
            write(ctx, request, HttpReply.error(400, "Malformed HTTP request"));
            return;
        }
        try {
            workers.execute(() -> {
                HttpReply reply = answer(request.call());
                try {
                    ctx.executor().execute(() -> write(ctx, request, reply));
                } catch (RejectedExecutionException e) {
                    // the server is closing: its event loop takes no more work and the connection goes with it
                    LOG.debug("HTTP reply dropped: the server is closing");
                }
            });
        } catch (RejectedExecutionException e) {
            write(ctx, request, HttpReply.error(503, "The HTTP server is busy"));
        }
    }

    private void write(ChannelHandlerContext ctx, Pending request, HttpReply reply) {
        boolean head = request.call() != null && request.call().method().equals("HEAD");
        boolean keepAlive = request.keepAlive() && !request.badRequest();
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(reply.status()),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(reply.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
        reply.headers().forEach((name, value) -> response.headers().set(name, value));
        HttpUtil.setContentLength(response, reply.body().length);
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (request.version().equals(HttpVersion.HTTP_1_0)) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) future -> {
            if (!future.isSuccess() || !keepAlive) {
                ctx.close();
                return;
            }
            busy = false;
            next(ctx);
        });
    }

    /** Authenticates, routes and runs one call; runs on a worker thread and never throws. */
    HttpReply answer(HttpCall call) {
        try {
            HttpAuthenticator.Result who = authenticator.authenticate(call.headers());
            if (who.refused()) {
                LOG.debug("HTTP {} {} refused: {}", call.method(), call.path(), who.reason());
                return HttpReply.error(401, "Authentication required")
                        .withHeader("WWW-Authenticate", "Basic realm=\"brook\"");
            }
            HttpCall authenticated = new HttpCall(call.method(), call.path(), call.pathParams(), call.query(),
                    call.headers(), call.body(), who.user());
            Optional<HttpRoutes.Match> match = routes.match(call.method(), call.path());
            if (match.isEmpty() && call.method().equals("HEAD")) {
                match = routes.match("GET", call.path());
            }
            if (match.isEmpty()) {
                return notRouted(call);
            }
            return match.get().handle(authenticated);
        } catch (Exception e) {
            LOG.warn("HTTP {} {} failed", call.method(), call.path(), e);
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return HttpReply.error(500, message);
        }
    }

    private HttpReply notRouted(HttpCall call) {
        List<String> allowed = routes.allowedMethods(call.path());
        if (allowed.isEmpty()) {
            return HttpReply.error(404, "No such resource: " + call.path());
        }
        StringBuilder allow = new StringBuilder(String.join(", ", allowed));
        if (allowed.contains("GET") && !allowed.contains("HEAD")) {
            allow.append(", HEAD");
        }
        return HttpReply.error(405, call.method() + " is not allowed on " + call.path())
                .withHeader("Allow", allow.toString());
    }

    private static HttpCall toCall(FullHttpRequest request) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        Map<String, String> headers = new HashMap<>();
        for (Map.Entry<String, String> header : request.headers()) {
            headers.put(header.getKey().toLowerCase(Locale.ROOT), header.getValue());
        }
        byte[] body = ByteBufUtil.getBytes(request.content());
        return new HttpCall(request.method().name().toUpperCase(Locale.ROOT), uri.path(), Map.of(),
                uri.parameters(), headers, body, Optional.empty());
    }
}
