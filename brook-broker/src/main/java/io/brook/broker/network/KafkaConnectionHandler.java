package io.brook.broker.network;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLException;

import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.ConnectionSession;
import io.brook.broker.api.RequestContext;
import io.brook.broker.registry.ApiRegistry;
import io.brook.broker.security.ListenerSecurity;
import io.brook.broker.security.SaslAuthenticator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * One client connection: parses each frame, dispatches it to its handler in arrival order, and writes the responses
 * strictly in request order whatever order the handlers' futures complete in (Kafka's per-connection contract).
 *
 * <p>Backpressure: at most {@value #MAX_IN_FLIGHT} requests are dispatched and unanswered at once. Frames beyond that
 * (one socket read can hold many small ones) wait, already framed, in arrival order, and reading from the socket
 * stops; it resumes once fewer than {@value #RESUME_BELOW} are pending and the socket is writable again (a slow reader
 * of large responses also stops reading). A future completing with {@code null} (acks=0 produce) sends nothing and
 * does not hold back later responses.
 *
 * <p>Every method runs on the channel's event loop; futures completed on other threads hop back onto it.
 */
final class KafkaConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaConnectionHandler.class);
    /** Kafka itself keeps one request in flight per connection; 100 lets clients pipeline without unbounded memory. */
    static final int MAX_IN_FLIGHT = 100;
    static final int RESUME_BELOW = 50;
    private static final AtomicLong CONNECTION_SEQUENCE = new AtomicLong();

    private final ApiRegistry registry;
    private final ListenerSecurity security;
    private final ArrayDeque<PendingResponse> pending = new ArrayDeque<>();
    /** Frames read but not dispatched yet because {@link #MAX_IN_FLIGHT} requests are pending. */
    private final ArrayDeque<WaitingFrame> waiting = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private String connectionId = "unconnected";
    /** Who the peer is: anonymous until a TLS handshake (or, later, SASL) says otherwise. */
    private ConnectionSession session;
    /** The SASL conversation on a SASL listener, else null. */
    private SaslAuthenticator sasl;
    /** Authentication failed: nothing more is read or dispatched; the connection closes after its delayed answer. */
    private boolean authenticationFailed;
    private boolean closing;
    /** Until when (nanoTime) the connection is muted after a throttled response (KIP-219); 0 when it is not. */
    private long throttledUntilNanos;

    KafkaConnectionHandler(ApiRegistry registry, String listenerName) {
        this(registry, ListenerSecurity.plaintext(listenerName));
    }

    KafkaConnectionHandler(ApiRegistry registry, ListenerSecurity security) {
        this.registry = registry;
        this.security = security;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) throws Exception {
        this.ctx = context;
        Channel channel = context.channel();
        connectionId = address(channel.localAddress()) + "-" + address(channel.remoteAddress()) + "-"
                + CONNECTION_SEQUENCE.getAndIncrement();
        session = security.initialSession(((InetSocketAddress) channel.remoteAddress()).getAddress());
        sasl = security.newSaslAuthenticator(session.clientAddress()).orElse(null);
        super.channelActive(context);
    }

    /** The TLS handshake's outcome; the SslHandler passes no request on before it succeeded. */
    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            closeIfIdle(context);
            return;
        }
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                SslHandler tls = context.pipeline().get(SslHandler.class);
                session = security.tlsSession(session.clientAddress(), tls.engine().getSession());
                LOG.debug("Connection {} on listener {} authenticated as {} ({})", connectionId,
                        security.listenerName(), session.principal(), tls.engine().getSession().getProtocol());
            } else {
                // Kafka logs failed TLS handshakes at INFO too: a misconfigured client is worth seeing.
                LOG.info("TLS handshake failed on connection {} (listener {}): {}", connectionId,
                        security.listenerName(), handshake.cause().toString());
                closing = true;
                context.close();
            }
        }
        super.userEventTriggered(context, event);
    }

    /**
     * {@code connections.max.idle.ms} passed without a complete request or a response. A request still being handled
     * (a long-poll fetch) keeps the connection; the next idle period is checked again. Kafka logs idle closes at
     * DEBUG: they are routine.
     */
    private void closeIfIdle(ChannelHandlerContext context) {
        if (closing || !pending.isEmpty() || !waiting.isEmpty()) {
            return;
        }
        LOG.debug("Closing idle connection {} (connections.max.idle.ms)", connectionId);
        closing = true;
        context.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (!(msg instanceof ByteBuffer frame)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (closing || authenticationFailed) {
            return;
        }
        waiting.add(new WaitingFrame(frame, System.nanoTime()));
        dispatchWaiting();
        writeReadyResponses(false);
        updateAutoRead();
    }

    /** Dispatches waiting frames, in order, while fewer than {@link #MAX_IN_FLIGHT} requests are pending. */
    private void dispatchWaiting() {
        while (!closing && !authenticationFailed && throttledUntilNanos == 0 && !waiting.isEmpty()
                && pending.size() < MAX_IN_FLIGHT) {
            WaitingFrame next = waiting.poll();
            ByteBuffer frame = next.frame();
            if (sasl != null && sasl.expectsRawToken()) {
                onRawSaslToken(frame);
                continue;
            }
            DecodedRequest decoded;
            try {
                decoded = RequestDecoder.decode(frame);
            } catch (MalformedRequestException e) {
                // The message names the parse error; a stack trace per hostile frame would only flood the log.
                closeWithReason(e.getMessage(), null);
                LOG.debug("Malformed request on connection {}", connectionId, e);
                return;
            }
            dispatch(decoded, next.receivedNanos());
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        context.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) throws Exception {
        updateAutoRead();
        super.channelWritabilityChanged(context);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
        closing = true;
        pending.clear();
        waiting.clear();
        super.channelInactive(context);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        if (cause instanceof IOException || cause.getCause() instanceof SSLException) {
            // A peer that went away, or bad TLS input (a failed handshake is logged by userEventTriggered).
            LOG.debug("Connection {} failed: {}", connectionId, cause.toString());
        } else {
            LOG.warn("Unexpected error on connection {}, closing it", connectionId, cause);
        }
        closing = true;
        context.close();
    }

    private void dispatch(DecodedRequest decoded, long receivedNanos) {
        RequestHeader header = decoded.header();
        AbstractRequest request = decoded.request();
        ApiKeys apiKey = header.apiKey();
        if (sasl != null) {
            SaslAuthenticator.Outcome outcome = sasl.onRequest(header, request);
            if (!(outcome instanceof SaslAuthenticator.Proceed)) {
                onSaslOutcome(decoded, outcome);
                return;
            }
        }
        RequestContext requestContext = new RequestContext(header, session.clientAddress(), security.listenerName(),
                connectionId, session, receivedNanos);
        CompletableFuture<AbstractResponse> future;
        var handler = registry.handler(apiKey);
        if (handler.isEmpty() || !registry.accepts(apiKey, request.version())) {
            // Answered in the API's own error shape, built when the response is written.
            future = CompletableFuture.failedFuture(new UnsupportedVersionException(
                    "Brook does not support " + apiKey + " version " + request.version()));
        } else {
            future = invoke(handler.get(), requestContext, request);
        }
        enqueue(decoded, future, false);
    }

    private void enqueue(DecodedRequest decoded, CompletableFuture<AbstractResponse> future, boolean closeAfter) {
        pending.add(new PendingResponse(decoded.header(), decoded.request(), decoded.responseVersion(), future,
                closeAfter));
        if (!future.isDone()) {
            future.whenComplete((response, error) -> ctx.executor().execute(() -> writeReadyResponses(true)));
        }
    }

    /** Carries out what the SASL conversation decided about a request that does not go to its handler. */
    private void onSaslOutcome(DecodedRequest decoded, SaslAuthenticator.Outcome outcome) {
        if (outcome instanceof SaslAuthenticator.Respond respond) {
            enqueue(decoded, CompletableFuture.completedFuture(respond.response()), false);
            adoptSaslPrincipal();
        } else if (outcome instanceof SaslAuthenticator.Fail fail) {
            failAuthentication(fail, decoded);
        } else if (outcome instanceof SaslAuthenticator.Close close) {
            closeWithReason(close.reason(), null);
        }
    }

    /** A frame after a v0 SaslHandshake: a bare SASL token, answered by a bare token frame. */
    private void onRawSaslToken(ByteBuffer frame) {
        SaslAuthenticator.Outcome outcome = sasl.onRawToken(frame);
        if (outcome instanceof SaslAuthenticator.RespondRaw raw) {
            writeCompletedPrefix();
            if (!pending.isEmpty()) {
                closeWithReason("a raw SASL token arrived while requests were unanswered", null);
                return;
            }
            ByteBuf token = ctx.alloc().buffer(4 + raw.token().length).writeInt(raw.token().length)
                    .writeBytes(raw.token());
            ctx.write(token, ctx.voidPromise());
            adoptSaslPrincipal();
        } else if (outcome instanceof SaslAuthenticator.Fail fail) {
            failAuthentication(fail, null);
        } else if (outcome instanceof SaslAuthenticator.Close close) {
            closeWithReason(close.reason(), null);
        }
    }

    /**
     * Stops dispatching, then after the delay sends the failure answer (when there is one and a request to answer) and
     * closes: a client cannot try passwords faster than one per delay on a connection.
     */
    private void failAuthentication(SaslAuthenticator.Fail fail, DecodedRequest decoded) {
        authenticationFailed = true;
        waiting.clear();
        // Reading goes on, discarding what arrives: closing a socket with unread input would reset the connection
        // and could destroy the answer before the client reads it.
        ctx.channel().config().setAutoRead(true);
        if (fail.response() != null && decoded != null) {
            CompletableFuture<AbstractResponse> answer = new CompletableFuture<>();
            ctx.executor().schedule(() -> answer.complete(fail.response()), fail.delayMs(), TimeUnit.MILLISECONDS);
            enqueue(decoded, answer, true);
        } else {
            ctx.executor().schedule(() -> {
                writeCompletedPrefix();
                closing = true;
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }, fail.delayMs(), TimeUnit.MILLISECONDS);
        }
    }

    /** After a successful (re-)authentication the session carries the SASL principal. */
    private void adoptSaslPrincipal() {
        if (sasl.principal() != null && !sasl.principal().equals(session.principal())) {
            session = session.withPrincipal(sasl.principal());
        }
    }

    @SuppressWarnings("unchecked")
    private static CompletableFuture<AbstractResponse> invoke(ApiHandler<?> handler, RequestContext context,
            AbstractRequest request) {
        try {
            // The codec built the request class that belongs to the handler's api key.
            CompletableFuture<AbstractResponse> future = ((ApiHandler<AbstractRequest>) handler).handle(context,
                    request);
            return future != null
                    ? future
                    : CompletableFuture.failedFuture(new IllegalStateException(
                            handler.getClass().getName() + " returned no future"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Writes the completed prefix of the pending queue, in order. On an asynchronous completion ({@code flush}) it
     * also dispatches frames that waited for room, and flushes.
     */
    private void writeReadyResponses(boolean flush) {
        boolean wrote = false;
        while (true) {
            wrote |= writeCompletedPrefix();
            if (closing || !flush || waiting.isEmpty() || pending.size() >= MAX_IN_FLIGHT) {
                break;
            }
            int waitingBefore = waiting.size();
            dispatchWaiting();
            if (waiting.size() == waitingBefore) {
                break; // nothing could go (a throttled or failed connection): the mute's end dispatches them
            }
        }
        if (closing || !flush) {
            return;
        }
        if (wrote) {
            ctx.flush();
        }
        updateAutoRead();
    }

    private boolean writeCompletedPrefix() {
        boolean wrote = false;
        while (!closing && !pending.isEmpty() && pending.peek().future().isDone()) {
            PendingResponse next = pending.poll();
            AbstractResponse response;
            try {
                response = responseOf(next);
            } catch (RuntimeException e) {
                closeWithReason("could not build the error response to " + next.header().apiKey(), e);
                return wrote;
            }
            if (response != null) {
                wrote |= write(next, response);
            }
            if (next.closeAfter()) {
                closing = true;
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                return wrote;
            }
        }
        return wrote;
    }

    private AbstractResponse responseOf(PendingResponse entry) {
        try {
            return entry.future().join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (!(cause instanceof ApiException)) {
                LOG.error("Handler for {} failed on connection {}", entry.header().apiKey(), connectionId, cause);
            }
            return entry.request().getErrorResponse(cause);
        }
    }

    private boolean write(PendingResponse entry, AbstractResponse response) {
        short version = entry.responseVersion();
        ApiKeys apiKey = entry.header().apiKey();
        ResponseHeader responseHeader = new ResponseHeader(entry.header().correlationId(),
                apiKey.responseHeaderVersion(version));
        List<Object> messages;
        try {
            messages = SendWriter.toMessages(response.toSend(responseHeader, version));
        } catch (IOException | RuntimeException e) {
            closeWithReason("could not encode " + apiKey + " v" + version + " response", e);
            return false;
        }
        for (Object message : messages) {
            ctx.write(message, ctx.voidPromise());
        }
        int throttleMs = response.throttleTimeMs();
        if (throttleMs > 0) {
            muteFor(throttleMs);
        }
        return true;
    }

    /**
     * A client over its quota got a throttle time: nothing more is read or dispatched for that long after its response
     * (KIP-219; the client waits as well). A later throttle extends the mute.
     */
    private void muteFor(int throttleMs) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(throttleMs);
        if (throttledUntilNanos != 0 && until - throttledUntilNanos <= 0) {
            return;
        }
        throttledUntilNanos = until;
        ctx.channel().config().setAutoRead(false);
        ctx.executor().schedule(() -> {
            if (throttledUntilNanos == until) {
                throttledUntilNanos = 0;
                dispatchWaiting();
                writeReadyResponses(true);
            }
        }, throttleMs, TimeUnit.MILLISECONDS);
    }

    private void updateAutoRead() {
        if (closing || authenticationFailed) {
            return;
        }
        Channel channel = ctx.channel();
        boolean reading = channel.config().isAutoRead();
        boolean shouldRead = channel.isWritable() && waiting.isEmpty() && throttledUntilNanos == 0
                && pending.size() < (reading ? MAX_IN_FLIGHT : RESUME_BELOW);
        if (shouldRead != reading) {
            channel.config().setAutoRead(shouldRead);
        }
    }

    private void closeWithReason(String reason, Throwable cause) {
        closing = true;
        if (cause != null) {
            LOG.warn("Closing connection {} from {}: {}", connectionId, ctx.channel().remoteAddress(), reason,
                    cause);
        } else {
            LOG.warn("Closing connection {} from {}: {}", connectionId, ctx.channel().remoteAddress(), reason);
        }
        ctx.close();
    }

    private static String address(java.net.SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    /** @param closeAfter close the connection once this response is written (a failed authentication's answer) */
    private record PendingResponse(RequestHeader header, AbstractRequest request, short responseVersion,
            CompletableFuture<AbstractResponse> future, boolean closeAfter) {
    }

    /** A frame read off the connection, not dispatched yet; the read time starts the request's queue time. */
    private record WaitingFrame(ByteBuffer frame, long receivedNanos) {
    }
}
