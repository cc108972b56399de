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
 */
public record RequestContext(RequestHeader header, InetAddress clientAddress, String listenerName,
        String connectionId, ConnectionSession session) {

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
