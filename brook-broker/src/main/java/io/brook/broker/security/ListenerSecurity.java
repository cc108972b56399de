package io.brook.broker.security;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.network.ConnectionMode;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.utils.Time;

import io.brook.broker.api.ConnectionSession;
import io.brook.broker.config.BrokerConfig;

/**
 * The security of one listener: its protocol, the TLS engines of an SSL or SASL_SSL listener (built from that
 * listener's {@code ssl.*} settings, {@code listener.name.<name>.} overrides first), the SASL mechanisms of a SASL
 * listener (one {@link SaslAuthenticator} per connection), and how a connection's {@link ConnectionSession} is made
 * once its handshake is done.
 *
 * <p>Thread-safe: network threads create engines and sessions while a timer may {@link #reloadIfChanged()}.
 */
public final class ListenerSecurity implements AutoCloseable {

    private final String listenerName;
    private final SecurityProtocol protocol;
    private final ReloadableSslFactory ssl;
    private final SslPrincipalBuilder principals;
    /** The SASL side of a SASL_PLAINTEXT or SASL_SSL listener, else null. */
    private final SaslListener sasl;

    private ListenerSecurity(String listenerName, SecurityProtocol protocol, ReloadableSslFactory ssl,
            SslPrincipalBuilder principals, SaslListener sasl) {
        this.listenerName = listenerName;
        this.protocol = protocol;
        this.ssl = ssl;
        this.principals = principals;
        this.sasl = sasl;
    }

    /** A listener without TLS. */
    public static ListenerSecurity plaintext(String listenerName) {
        return new ListenerSecurity(listenerName, SecurityProtocol.PLAINTEXT, null, null, null);
    }

    /** What a SASL listener needs to make each connection's {@link SaslAuthenticator}. */
    private record SaslListener(SaslServers servers, Time time, long maxReauthMs, long failedAuthenticationDelayMs) {
    }

    /**
     * The security of {@code listenerName} with {@code protocol}; loads the key and trust stores of an SSL listener and
     * throws a {@link ConfigException} naming the listener when they do not load.
     */
    public static ListenerSecurity create(BrokerConfig config, String listenerName, SecurityProtocol protocol) {
        return create(config, listenerName, protocol, ScramCredentialSource.NONE, Time.SYSTEM);
    }

    /**
     * As {@link #create(BrokerConfig, String, SecurityProtocol)}; a SASL listener finds SCRAM users in
     * {@code scramCredentials} and times sessions and failure delays with {@code time}.
     */
    public static ListenerSecurity create(BrokerConfig config, String listenerName, SecurityProtocol protocol,
            ScramCredentialSource scramCredentials, Time time) {
        if (protocol == SecurityProtocol.PLAINTEXT) {
            return plaintext(listenerName);
        }
        SaslListener sasl = null;
        if (protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL) {
            List<String> mechanisms = config.saslEnabledMechanisms(listenerName);
            PlainUsers plain = mechanisms.contains("PLAIN")
                    ? config.saslJaasConfig(listenerName, "PLAIN").map(j -> PlainUsers.fromJaas(listenerName, j))
                            .orElse(null)
                    : null;
            sasl = new SaslListener(new SaslServers(mechanisms, plain, scramCredentials), time,
                    config.connectionsMaxReauthMs(), config.connectionFailedAuthenticationDelayMs());
            if (protocol == SecurityProtocol.SASL_PLAINTEXT) {
                return new ListenerSecurity(listenerName, protocol, null, null, sasl);
            }
        }
        var settings = config.sslSettings(listenerName);
        try {
            ReloadableSslFactory factory = new ReloadableSslFactory(listenerName, ConnectionMode.SERVER, settings);
            return new ListenerSecurity(listenerName, protocol, factory,
                    new SslPrincipalBuilder((String) settings.get(BrokerConfig.SSL_PRINCIPAL_MAPPING_RULES)), sasl);
        } catch (KafkaException | IllegalArgumentException e) {
            throw new ConfigException("Listener " + listenerName + " (" + protocol + "): " + e.getMessage());
        }
    }

    /** The SASL conversation of a new connection from {@code clientAddress}, or empty on a listener without SASL. */
    public Optional<SaslAuthenticator> newSaslAuthenticator(InetAddress clientAddress) {
        return sasl == null
                ? Optional.empty()
                : Optional.of(new SaslAuthenticator(sasl.servers(), sasl.time(), clientAddress, sasl.maxReauthMs(),
                        sasl.failedAuthenticationDelayMs()));
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
        if (sasl != null) {
            // On SASL_SSL the principal is the one SASL authenticates, as in Kafka.
            return initialSession(clientAddress);
        }
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
