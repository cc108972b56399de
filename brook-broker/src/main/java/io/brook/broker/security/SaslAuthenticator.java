package io.brook.broker.security;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Objects;

import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SASL conversation of one connection on a SASL_PLAINTEXT or SASL_SSL listener, as a state machine without I/O:
 * the connection feeds it each request (or, after a v0 handshake, each raw token frame) and does what the
 * {@link Outcome} says.
 *
 * <pre>
 *              ApiVersions (passes)
 *               ┌──────┐
 *               ▼      │
 *   ──────▶ HANDSHAKE ─┘──SaslHandshake v1──▶ AUTHENTICATE ──SaslAuthenticate…──┐
 *               │                                                              ▼
 *               └───────SaslHandshake v0──▶ RAW_TOKEN ──raw token frames…──▶ AUTHENTICATED ◀─┐
 *                                                                              │            │
 *                                                   SaslHandshake (KIP-368) ───┘            │
 *                                                              ▼                            │
 *                                                         REAUTHENTICATE ──SaslAuthenticate…┘
 *   any failure ──▶ FAILED (answer delayed by connection.failed.authentication.delay.ms, then close)
 * </pre>
 *
 * Before authentication only ApiVersions, SaslHandshake and SaslAuthenticate are accepted, as in Kafka; any other
 * request closes the connection. Once authenticated, requests pass to their handlers until the session lifetime
 * ({@code connections.max.reauth.ms}) has run out; a request after that closes the connection unless it starts a
 * re-authentication, which must keep the mechanism and the principal.
 *
 * <p>Not thread-safe: used by the connection's event loop only. Secrets (tokens, passwords) are never logged.
 */
public final class SaslAuthenticator {

    private static final Logger LOG = LoggerFactory.getLogger(SaslAuthenticator.class);

    enum State {
        HANDSHAKE, AUTHENTICATE, RAW_TOKEN, AUTHENTICATED, REAUTHENTICATE, FAILED
    }

    /** What the connection must do with a request or token. */
    public sealed interface Outcome {
    }

    /** Hand the request to its API handler (the connection is authenticated, or it is ApiVersions). */
    public record Proceed() implements Outcome {
    }

    /** Answer with {@code response}; the connection stays open. */
    public record Respond(AbstractResponse response) implements Outcome {
    }

    /** Answer a raw (v0 handshake) token with {@code token} as a size-prefixed frame without a Kafka header. */
    public record RespondRaw(byte[] token) implements Outcome {
    }

    /**
     * Authentication failed: after {@code delayMs}, send {@code response} (null: nothing to send) and close. Nothing
     * else is read from the connection meanwhile.
     */
    public record Fail(AbstractResponse response, long delayMs, String reason) implements Outcome {
    }

    /** Close now, without an answer (a request that has no place in the SASL conversation). */
    public record Close(String reason) implements Outcome {
    }

    private static final Proceed PROCEED = new Proceed();

    private final SaslServers servers;
    private final Time time;
    private final InetAddress clientAddress;
    private final long maxReauthMs;
    private final long failedAuthenticationDelayMs;
    private State state = State.HANDSHAKE;
    private String mechanism;
    private short handshakeVersion;
    private SaslServer server;
    private KafkaPrincipal principal;
    /** When the session ends (ms, {@link Time#milliseconds()}), or {@link Long#MAX_VALUE} without re-authentication. */
    private long sessionExpiresAtMs = Long.MAX_VALUE;

    /**
     * @param maxReauthMs {@code connections.max.reauth.ms}: the session lifetime, 0 for none
     * @param failedAuthenticationDelayMs {@code connection.failed.authentication.delay.ms}
     */
    public SaslAuthenticator(SaslServers servers, Time time, InetAddress clientAddress, long maxReauthMs,
            long failedAuthenticationDelayMs) {
        this.servers = servers;
        this.time = time;
        this.clientAddress = clientAddress;
        this.maxReauthMs = maxReauthMs;
        this.failedAuthenticationDelayMs = failedAuthenticationDelayMs;
    }

    /** Whether the next frame is a raw SASL token rather than a Kafka request (after a v0 handshake). */
    public boolean expectsRawToken() {
        return state == State.RAW_TOKEN;
    }

    /** The authenticated principal, or null before the first successful authentication. */
    public KafkaPrincipal principal() {
        return principal;
    }

    State state() {
        return state;
    }

    /** What to do with a decoded request. */
    public Outcome onRequest(RequestHeader header, AbstractRequest request) {
        ApiKeys api = header.apiKey();
        switch (state) {
            case HANDSHAKE :
                if (api == ApiKeys.API_VERSIONS) {
                    return PROCEED;
                }
                if (request instanceof SaslHandshakeRequest handshake) {
                    return handshake(handshake, false);
                }
                return refuseOutOfOrder(api, request);
            case AUTHENTICATE :
            case REAUTHENTICATE :
                if (request instanceof SaslAuthenticateRequest authenticate) {
                    return authenticate(authenticate);
                }
                return refuseOutOfOrder(api, request);
            case AUTHENTICATED :
                if (request instanceof SaslHandshakeRequest handshake && handshakeVersion >= 1) {
                    return handshake(handshake, true);
                }
                if (time.milliseconds() >= sessionExpiresAtMs) {
                    state = State.FAILED;
                    return new Close("its SASL session of " + principal + " expired without re-authentication");
                }
                // A SaslHandshake or SaslAuthenticate here reaches its handler, which answers ILLEGAL_SASL_STATE.
                return PROCEED;
            case RAW_TOKEN :
            case FAILED :
            default :
                state = State.FAILED;
                return new Close("unexpected " + api + " request in SASL state " + state);
        }
    }

    /** What to do with a raw token frame (only while {@link #expectsRawToken()}). */
    public Outcome onRawToken(ByteBuffer frame) {
        if (state != State.RAW_TOKEN) {
            state = State.FAILED;
            return new Close("unexpected raw SASL token");
        }
        byte[] token = new byte[frame.remaining()];
        frame.get(token);
        try {
            byte[] challenge = server.evaluateResponse(token);
            if (server.isComplete()) {
                complete();
            }
            return new RespondRaw(challenge == null ? new byte[0] : challenge);
        } catch (SaslException | AuthenticationException e) {
            return failed(null, e);
        }
    }

    private Outcome handshake(SaslHandshakeRequest request, boolean reauthentication) {
        String requested = request.data().mechanism();
        SaslHandshakeResponseData data = new SaslHandshakeResponseData().setMechanisms(servers.enabledMechanisms());
        if (!servers.enabledMechanisms().contains(requested)
                || (reauthentication && !Objects.equals(requested, mechanism))) {
            data.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code());
            state = State.FAILED;
            LOG.info("Failed authentication with {}: unsupported SASL mechanism {}{}", clientAddress.getHostAddress(),
                    printable(requested), reauthentication ? " for re-authentication" : "");
            return new Fail(new SaslHandshakeResponse(data), failedAuthenticationDelayMs,
                    "unsupported SASL mechanism");
        }
        try {
            server = servers.create(requested);
        } catch (SaslException e) {
            data.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code());
            state = State.FAILED;
            return new Fail(new SaslHandshakeResponse(data), failedAuthenticationDelayMs, e.getMessage());
        }
        mechanism = requested;
        if (!reauthentication) {
            handshakeVersion = request.version();
        }
        state = reauthentication
                ? State.REAUTHENTICATE
                : request.version() >= 1 ? State.AUTHENTICATE : State.RAW_TOKEN;
        return new Respond(new SaslHandshakeResponse(data));
    }

    private Outcome authenticate(SaslAuthenticateRequest request) {
        try {
            byte[] challenge = server.evaluateResponse(request.data().authBytes());
            SaslAuthenticateResponseData data = new SaslAuthenticateResponseData()
                    .setAuthBytes(challenge == null ? new byte[0] : challenge);
            if (server.isComplete()) {
                KafkaPrincipal previous = principal;
                boolean reauthentication = state == State.REAUTHENTICATE;
                KafkaPrincipal next = new KafkaPrincipal(KafkaPrincipal.USER_TYPE, server.getAuthorizationID());
                if (reauthentication && !next.equals(previous)) {
                    return failed(request, new SaslException("the principal changed during re-authentication"));
                }
                complete();
                if (request.version() >= 1 && maxReauthMs > 0) {
                    data.setSessionLifetimeMs(maxReauthMs);
                }
            }
            return new Respond(new SaslAuthenticateResponse(data));
        } catch (SaslException | AuthenticationException e) {
            return failed(request, e);
        }
    }

    private void complete() {
        principal = new KafkaPrincipal(KafkaPrincipal.USER_TYPE, server.getAuthorizationID());
        sessionExpiresAtMs = maxReauthMs > 0 ? time.milliseconds() + maxReauthMs : Long.MAX_VALUE;
        state = State.AUTHENTICATED;
        disposeServer();
        LOG.debug("Client {} authenticated as {} with {}", clientAddress.getHostAddress(), principal, mechanism);
    }

    /** A failed exchange: Kafka's generic message to the client, the mechanism's reason (no secrets) in the log. */
    private Outcome failed(SaslAuthenticateRequest request, Exception cause) {
        state = State.FAILED;
        disposeServer();
        LOG.info("Failed authentication with {} (SASL mechanism {}): {}", clientAddress.getHostAddress(), mechanism,
                cause.getMessage());
        AbstractResponse response = null;
        if (request != null) {
            response = new SaslAuthenticateResponse(new SaslAuthenticateResponseData()
                    .setErrorCode(Errors.SASL_AUTHENTICATION_FAILED.code())
                    .setErrorMessage("Authentication failed during authentication due to invalid credentials with"
                            + " SASL mechanism " + mechanism));
        }
        return new Fail(response, failedAuthenticationDelayMs, "failed authentication");
    }

    /** SaslAuthenticate where none is expected gets ILLEGAL_SASL_STATE; anything else closes the connection. */
    private Outcome refuseOutOfOrder(ApiKeys api, AbstractRequest request) {
        State was = state;
        state = State.FAILED;
        disposeServer();
        if (request instanceof SaslAuthenticateRequest) {
            return new Fail(new SaslAuthenticateResponse(new SaslAuthenticateResponseData()
                    .setErrorCode(Errors.ILLEGAL_SASL_STATE.code())
                    .setErrorMessage("Unexpected SaslAuthenticate request during SASL state " + was)), 0,
                    "SaslAuthenticate in state " + was);
        }
        return new Close("unexpected " + api + " request during SASL " + was.name().toLowerCase(java.util.Locale.ROOT));
    }

    private void disposeServer() {
        if (server != null) {
            try {
                server.dispose();
            } catch (SaslException e) {
                LOG.debug("Disposing the SASL server failed", e);
            }
        }
    }

    /** A client-chosen mechanism name, cut short so a hostile one cannot flood the log. */
    private static String printable(String requested) {
        if (requested == null) {
            return "(none)";
        }
        return requested.length() > 40 ? requested.substring(0, 40) + "..." : requested;
    }
}
