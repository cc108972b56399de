package io.brook.broker.api;

import java.net.InetAddress;

import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * What a handler knows about the request besides its body.
 *
 * @param header the parsed request header (api key, version, correlation id, client id)
 * @param clientAddress the peer's address
 * @param listenerName the listener the connection arrived on
 * @param connectionId a unique id of the connection (for fetch sessions and logs)
 * @param session the connection's security session: protocol and authenticated principal
 * @param receivedNanos when the request's frame was read off the connection ({@link System#nanoTime()}), or
 *        {@link #NOT_RECEIVED} for a request that did not come from a connection
 */
public record RequestContext(RequestHeader header, InetAddress clientAddress, String listenerName,
        String connectionId, ConnectionSession session, long receivedNanos) {

    /** The {@link #receivedNanos} of a request made up by a test or an internal caller. */
    public static final long NOT_RECEIVED = Long.MIN_VALUE;

    /** A context whose receipt time is not known (tests and internal callers). */
    public RequestContext(RequestHeader header, InetAddress clientAddress, String listenerName, String connectionId,
            ConnectionSession session) {
        this(header, clientAddress, listenerName, connectionId, session, NOT_RECEIVED);
    }

    /** A context on a PLAINTEXT connection with the anonymous principal (tests and internal callers). */
    public RequestContext(RequestHeader header, InetAddress clientAddress, String listenerName, String connectionId) {
        this(header, clientAddress, listenerName, connectionId,
                ConnectionSession.anonymous(listenerName, SecurityProtocol.PLAINTEXT, clientAddress));
    }

    public short apiVersion() {
        return header.apiVersion();
    }

    public String clientId() {
        return header.clientId();
    }

    /** The principal the connection authenticated as ({@link KafkaPrincipal#ANONYMOUS} when it did not). */
    public KafkaPrincipal principal() {
        return session.principal();
    }
}
