package io.brook.broker.security;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.network.ConnectionMode;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.security.ssl.SslFactory;

import io.brook.broker.config.BrokerConfig;
import io.brook.metadata.quorum.QuorumTls;

/**
 * The TLS of the metadata quorum's Raft traffic, from the {@code ssl.*} settings of the controller listener (the first
 * name in {@code controller.listener.names}, {@code listener.name.<name>.} overrides first), when
 * {@code listener.security.protocol.map} maps that name to SSL.
 *
 * <p>Voters and broker-only nodes read it alike: a broker-only node need not list the controller listener in
 * {@code listeners}, and then takes the settings of the name it gives in {@code controller.listener.names}, as a Kafka
 * broker configures its controller client. Every quorum member runs a Raft server (a broker-only node follows the log
 * as a Raft listener the leader pushes to), so every member needs a key store. {@code ssl.client.auth=required} means
 * mutual TLS between all members.
 *
 * <p>The stores are loaded by kafka-clients' {@link SslFactory} (JKS, PKCS12 and PEM, files or inline), so they are
 * read and checked exactly as for a Kafka listener; only the key and trust managers are handed to Ratis. They are
 * loaded once, at start-up: a changed key store file is not reloaded for the Raft traffic. Stateless.
 */
public final class ControllerTls {

    private ControllerTls() {
    }

    /**
     * The quorum's TLS, or empty when the controller listener is not mapped to SSL (or no controller listener is
     * named). Throws a {@link ConfigException} naming the listener when its stores do not load.
     */
    public static Optional<QuorumTls> from(BrokerConfig config) {
        if (config.controllerListenerNames().isEmpty()) {
            return Optional.empty();
        }
        String name = config.controllerListenerNames().get(0);
        SecurityProtocol protocol = config.listenerSecurityProtocolMap().get(name);
        if (protocol != SecurityProtocol.SSL) {
            return Optional.empty();
        }
        return Optional.of(from(name, config.sslSettings(name)));
    }

    /** The quorum's TLS from one listener's parsed {@code ssl.*} settings (as {@link BrokerConfig#sslSettings}). */
    public static QuorumTls from(String listenerName, Map<String, Object> ssl) {
        if (ssl.get(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG) == null
                && ssl.get(SslConfigs.SSL_KEYSTORE_KEY_CONFIG) == null) {
            throw new ConfigException("Controller listener " + listenerName + " (SSL) has no key store: every"
                    + " metadata quorum member runs a Raft server, so set " + SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG
                    + " (or " + SslConfigs.SSL_KEYSTORE_KEY_CONFIG + ") for it, on broker-only nodes too");
        }
        SslFactory factory = new SslFactory(ConnectionMode.SERVER);
        try {
            // SslFactory keeps and may add to the map it is given.
            factory.configure(new HashMap<>(ssl));
            KeyStore keys = factory.sslEngineFactory().keystore();
            KeyStore trusted = factory.sslEngineFactory().truststore();
            boolean mutual = "required".equalsIgnoreCase(String.valueOf(ssl.get(
                    BrokerConfig.SSL_CLIENT_AUTH)));
            return new QuorumTls(keyManager(keys, ssl), trustManager(trusted, ssl), mutual);
        } catch (KafkaException | GeneralSecurityException | IllegalArgumentException e) {
            throw new ConfigException("Controller listener " + listenerName + " (SSL): " + e.getMessage());
        } finally {
            factory.close();
        }
    }

    private static KeyManager keyManager(KeyStore keys, Map<String, Object> ssl) throws GeneralSecurityException {
        String algorithm = (String) ssl.get(SslConfigs.SSL_KEYMANAGER_ALGORITHM_CONFIG);
        KeyManagerFactory factory = KeyManagerFactory.getInstance(
                algorithm != null ? algorithm : KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, keyPassword(ssl));
        return factory.getKeyManagers()[0];
    }

    /** As kafka-clients: the key password, else the key store's; a PEM key without one was stored with none. */
    private static char[] keyPassword(Map<String, Object> ssl) {
        Object key = ssl.get(SslConfigs.SSL_KEY_PASSWORD_CONFIG);
        if (key instanceof Password p) {
            return p.value().toCharArray();
        }
        Object store = ssl.get(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG);
        if (store instanceof Password p && ssl.get(SslConfigs.SSL_KEYSTORE_KEY_CONFIG) == null) {
            return p.value().toCharArray();
        }
        return new char[0];
    }

    private static TrustManager trustManager(KeyStore trusted, Map<String, Object> ssl)
            throws GeneralSecurityException {
        String algorithm = (String) ssl.get(SslConfigs.SSL_TRUSTMANAGER_ALGORITHM_CONFIG);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(
                algorithm != null ? algorithm : TrustManagerFactory.getDefaultAlgorithm());
        // Without a trust store, the JDK's default CAs, as kafka-clients does.
        factory.init(trusted);
        return factory.getTrustManagers()[0];
    }
}
