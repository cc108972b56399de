package io.brook.broker.security;

import java.net.InetAddress;
import java.util.Optional;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.network.ConnectionMode;
import org.apache.kafka.common.security.auth.SecurityProtocol;

import io.brook.broker.api.ConnectionSession;
import io.brook.broker.config.BrokerConfig;

/**
 * The security of one listener: its protocol, the TLS engines of an SSL listener (built from that listener's
 * {@code ssl.*} settings, {@code listener.name.<name>.} overrides first), and how a connection's
 * {@link ConnectionSession} is made once its handshake is done.
 *
 * <p>Thread-safe: network threads create engines and sessions while a timer may {@link #reloadIfChanged()}.
 */
public final class ListenerSecurity implements AutoCloseable {

    private final String listenerName;
    private final SecurityProtocol protocol;
    private final ReloadableSslFactory ssl;
    private final SslPrincipalBuilder principals;

    private ListenerSecurity(String listenerName, SecurityProtocol protocol, ReloadableSslFactory ssl,
            SslPrincipalBuilder principals) {
        this.listenerName = listenerName;
        this.protocol = protocol;
        this.ssl = ssl;
        this.principals = principals;
    }

    /** A listener without TLS. */
    public static ListenerSecurity plaintext(String listenerName) {
        return new ListenerSecurity(listenerName, SecurityProtocol.PLAINTEXT, null, null);
    }

    /**
     * The security of {@code listenerName} with {@code protocol}; loads the key and trust stores of an SSL listener and
     * throws a {@link ConfigException} naming the listener when they do not load.
     */
    public static ListenerSecurity create(BrokerConfig config, String listenerName, SecurityProtocol protocol) {
        if (protocol == SecurityProtocol.PLAINTEXT) {
            return plaintext(listenerName);
        }
        if (protocol != SecurityProtocol.SSL) {
            throw new ConfigException("Listener " + listenerName + ": security protocol " + protocol
                    + " is not implemented");
        }
        var settings = config.sslSettings(listenerName);
        try {
            ReloadableSslFactory factory = new ReloadableSslFactory(listenerName, ConnectionMode.SERVER, settings);
            return new ListenerSecurity(listenerName, protocol, factory,
                    new SslPrincipalBuilder((String) settings.get(BrokerConfig.SSL_PRINCIPAL_MAPPING_RULES)));
        } catch (KafkaException | IllegalArgumentException e) {
            throw new ConfigException("Listener " + listenerName + " (SSL): " + e.getMessage());
        }
    }

    public String listenerName() {
        return listenerName;
    }

    public SecurityProtocol protocol() {
        return protocol;
    }

    public boolean usesTls() {
        return ssl != null;
    }

    /** A server engine for a new connection from {@code peerHost}, or empty on a listener without TLS. */
    public Optional<SSLEngine> newServerEngine(String peerHost, int peerPort) {
        return ssl == null ? Optional.empty() : Optional.of(ssl.newEngine(peerHost, peerPort));
    }

    /** The session of a connection before its handshake (and for good, on a PLAINTEXT listener). */
    public ConnectionSession initialSession(InetAddress clientAddress) {
        return ConnectionSession.anonymous(listenerName, protocol, clientAddress);
    }

    /** The session of a connection whose TLS handshake completed with {@code sslSession}. */
    public ConnectionSession tlsSession(InetAddress clientAddress, SSLSession sslSession) {
        return new ConnectionSession(listenerName, protocol, clientAddress,
                principals.principal(sslSession, clientAddress, listenerName));
    }

    /** Re-reads the key and trust stores if their files changed; a no-op without TLS. */
    public void reloadIfChanged() {
        if (ssl != null) {
            ssl.reloadIfChanged();
        }
    }

    @Override
    public void close() {
        if (ssl != null) {
            ssl.close();
        }
    }
}
