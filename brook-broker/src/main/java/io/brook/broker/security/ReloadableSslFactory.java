package io.brook.broker.security;

import java.security.KeyStore;
import java.util.HashMap;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.network.ConnectionMode;
import org.apache.kafka.common.security.ssl.DefaultSslEngineFactory;
import org.apache.kafka.common.security.ssl.SslFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kafka-clients' {@link SslFactory} for one listener, in server or client mode, made safe to share: engines are
 * created while another thread may reload the key store.
 *
 * <p>{@link #reloadIfChanged()} hands the same settings back to the factory, which rebuilds itself only when a key or
 * trust store file changed on disk (kafka-clients compares modification times) and refuses a new certificate whose
 * distinguished name or subject alternative names differ unless {@code ssl.allow.dn.changes} /
 * {@code ssl.allow.san.changes} allow it, as Kafka does for a dynamic key store update. Connections already open keep
 * their old certificate.
 *
 * <p>Thread-safe: every method synchronizes on this object (engine creation is cheap next to a handshake).
 */
final class ReloadableSslFactory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReloadableSslFactory.class);

    private final String listenerName;
    private final Map<String, Object> settings;
    private final SslFactory factory;

    /** Builds the factory; a missing or unreadable store, or a wrong password, throws a {@link KafkaException}. */
    ReloadableSslFactory(String listenerName, ConnectionMode mode, Map<String, Object> settings) {
        this.listenerName = listenerName;
        this.settings = new HashMap<>(settings);
        this.factory = new SslFactory(mode);
        // SslFactory keeps and may add to the map it is given.
        factory.configure(new HashMap<>(settings));
    }

    synchronized SSLEngine newEngine(String peerHost, int peerPort) {
        return factory.createSslEngine(peerHost, peerPort);
    }

    /** The SSLContext of kafka-clients' default engine factory (for blocking client sockets). */
    synchronized SSLContext sslContext() {
        if (factory.sslEngineFactory() instanceof DefaultSslEngineFactory defaults) {
            return defaults.sslContext();
        }
        throw new IllegalStateException("Not kafka-clients' default SSL engine factory");
    }

    /** The key store in use (for tests and diagnostics). */
    synchronized KeyStore keystore() {
        return factory.sslEngineFactory().keystore();
    }

    /** Rebuilds the factory when a store file changed; a store that no longer loads keeps the old one. */
    synchronized void reloadIfChanged() {
        try {
            Object before = factory.sslEngineFactory();
            factory.reconfigure(new HashMap<>(settings));
            if (factory.sslEngineFactory() != before) {
                LOG.info("Listener {}: reloaded its SSL key and trust stores", listenerName);
            }
        } catch (KafkaException e) {
            LOG.warn("Listener {}: changed SSL stores not loaded, keeping the previous ones: {}", listenerName,
                    e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        factory.close();
    }
}
