package io.brook.broker.security;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.network.ConnectionMode;
import org.apache.kafka.common.security.auth.SecurityProtocol;

import io.brook.broker.config.BrokerConfig;

/**
 * Opens the blocking sockets a broker uses to reach other brokers on the inter-broker listener: plain TCP, or TLS when
 * that listener is SSL or SASL_SSL, authenticated with the broker's own SASL login ({@link SaslClientLogin}) when it
 * is SASL_PLAINTEXT or SASL_SSL, with the same {@code ssl.*} settings (that listener's overrides first) for the client side,
 * including {@code ssl.endpoint.identification.algorithm} (https by default: the peer's certificate must name the host
 * it is reached at). Every broker-to-broker client (replica fetchers, transaction markers and verification) connects
 * through this class.
 *
 * <p>Thread-safe.
 */
public final class InterBrokerSockets implements AutoCloseable {

    private final SecurityProtocol protocol;
    private final ReloadableSslFactory ssl;
    /** The broker's SASL login when the inter-broker listener is SASL_PLAINTEXT or SASL_SSL, else null. */
    private final SaslClientLogin sasl;

    private InterBrokerSockets(SecurityProtocol protocol, ReloadableSslFactory ssl, SaslClientLogin sasl) {
        this.protocol = protocol;
        this.ssl = ssl;
        this.sasl = sasl;
    }

    /** Plain TCP sockets. */
    public static InterBrokerSockets plaintext() {
        return new InterBrokerSockets(SecurityProtocol.PLAINTEXT, null, null);
    }

    /** Sockets for the inter-broker listener of {@code config}; loads its SSL settings when it is SSL. */
    public static InterBrokerSockets from(BrokerConfig config) {
        SecurityProtocol protocol = config.interBrokerSecurityProtocol();
        if (protocol == SecurityProtocol.PLAINTEXT) {
            return plaintext();
        }
        String listener = config.replicationListenerName();
        SaslClientLogin sasl = null;
        if (protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL) {
            String mechanism = config.saslMechanismInterBrokerProtocol();
            sasl = SaslClientLogin.fromJaas(listener, mechanism, config.saslJaasConfig(listener, mechanism)
                    .orElseThrow(() -> new ConfigException("Inter-broker listener " + listener + " has no "
                            + mechanism + " JAAS config")));
            if (protocol == SecurityProtocol.SASL_PLAINTEXT) {
                return new InterBrokerSockets(protocol, null, sasl);
            }
        }
        try {
            return new InterBrokerSockets(protocol,
                    new ReloadableSslFactory(listener, ConnectionMode.CLIENT, config.sslSettings(listener)), sasl);
        } catch (KafkaException e) {
            throw new ConfigException("Inter-broker listener " + listener + " (SSL, client side): "
                    + e.getMessage());
        }
    }

    public SecurityProtocol protocol() {
        return protocol;
    }

    /**
     * Connects to {@code host:port} within {@code timeoutMs}, completes the TLS handshake when the protocol is SSL,
     * and sets {@code timeoutMs} as the read timeout.
     */
    public BrokerSocket connect(String host, int port, int timeoutMs) throws IOException {
        Socket tcp = new Socket();
        try {
            tcp.setTcpNoDelay(true);
            tcp.connect(new InetSocketAddress(host, port), timeoutMs);
            tcp.setSoTimeout(timeoutMs);
            if (ssl == null) {
                authenticate(tcp, host);
                return new BrokerSocket(tcp, tcp);
            }
            // The engine carries the configured protocols, cipher suites and host name check: give them to the socket.
            SSLEngine engine = ssl.newEngine(host, port);
            SSLSocket tls = (SSLSocket) ssl.sslContext().getSocketFactory().createSocket(tcp, host, port, true);
            tls.setSSLParameters(engine.getSSLParameters());
            tls.setUseClientMode(true);
            tls.startHandshake();
            authenticate(tls, host);
            return new BrokerSocket(tls, tcp);
        } catch (IOException | RuntimeException e) {
            tcp.close();
            throw e;
        }
    }

    /** On a SASL inter-broker listener, logs in before the socket is handed out. */
    private void authenticate(Socket streams, String host) throws IOException {
        if (sasl != null) {
            sasl.authenticate(streams.getInputStream(), streams.getOutputStream(), host);
        }
    }

    /** Re-reads the trust and key stores if their files changed. */
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

    /**
     * A connected socket: {@code streams} to read and write (TLS or not), {@code transport} the TCP socket under it.
     * {@link #close()} closes the TCP socket first, so a thread blocked reading is released at once, without waiting
     * for a TLS close_notify exchange.
     */
    public record BrokerSocket(Socket streams, Socket transport) implements Closeable {

        public InputStream in() throws IOException {
            return streams.getInputStream();
        }

        public OutputStream out() throws IOException {
            return streams.getOutputStream();
        }

        @Override
        public void close() throws IOException {
            try {
                transport.close();
            } finally {
                if (streams != transport) {
                    closeTls();
                }
            }
        }

        private void closeTls() {
            try {
                streams.close();
            } catch (IOException e) {
                // The TCP socket is closed already: the TLS socket has nothing left to say.
            }
        }
    }
}
