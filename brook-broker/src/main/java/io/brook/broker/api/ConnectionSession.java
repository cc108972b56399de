package io.brook.broker.api;

import java.net.InetAddress;

import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * Who is on the other end of a connection, as far as the broker knows: the listener it arrived on, that listener's
 * security protocol, the peer's address, and the authenticated principal ({@link KafkaPrincipal#ANONYMOUS} on a
 * PLAINTEXT listener or an SSL one without a client certificate; the principal mapped from the client certificate by
 * {@code ssl.principal.mapping.rules} with mutual TLS). Authentication that happens later on the connection (SASL)
 * replaces the session with {@link #withPrincipal}; authorization reads {@link #principal()}.
 *
 * <p>Immutable; one per connection, shared by every request on it.
 *
 * @param listenerName the listener the connection arrived on
 * @param securityProtocol that listener's protocol (listener.security.protocol.map)
 * @param clientAddress the peer's address
 * @param principal the authenticated principal
 */
public record ConnectionSession(String listenerName, SecurityProtocol securityProtocol, InetAddress clientAddress,
        KafkaPrincipal principal) {

    /** A session before (or without) authentication. */
    public static ConnectionSession anonymous(String listenerName, SecurityProtocol securityProtocol,
            InetAddress clientAddress) {
        return new ConnectionSession(listenerName, securityProtocol, clientAddress, KafkaPrincipal.ANONYMOUS);
    }

    public ConnectionSession withPrincipal(KafkaPrincipal authenticated) {
        return new ConnectionSession(listenerName, securityProtocol, clientAddress, authenticated);
    }

    /** Whether traffic on this connection is encrypted (SSL or SASL_SSL). */
    public boolean encrypted() {
        return securityProtocol == SecurityProtocol.SSL || securityProtocol == SecurityProtocol.SASL_SSL;
    }
}
