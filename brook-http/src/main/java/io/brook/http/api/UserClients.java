package io.brook.http.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.http.HttpCall;

/**
 * Per-user Kafka clients for an HTTP side that logs callers in: a user's clients log in to the node's SASL listener
 * with the credentials the caller gave (HTTP Basic), so the broker authenticates them and its ACLs apply to what the
 * API does for them. A login is checked by a DescribeCluster through the new clients, trying the listener's
 * mechanisms in order; the clients are then kept for the user (at most {@link #MAX_USERS}, least recently used
 * closed first) and reused while the same password comes. Thread-safe: the map is guarded by this object's lock,
 * logins talk to the broker outside it.
 */
public final class UserClients implements ClientSource, AutoCloseable {

    /** Users whose clients are kept; each holds an Admin (and maybe a producer) with their connections. */
    public static final int MAX_USERS = 32;

    private static final Logger LOG = LoggerFactory.getLogger(UserClients.class);

    private final Supplier<String> bootstrap;
    private final Map<String, Object> settings;
    private final List<String> mechanisms;
    private final Duration timeout;
    private final Map<String, Login> byUser = new LinkedHashMap<>(16, 0.75f, true);
    private boolean closed;

    /**
     * @param bootstrap the node's SASL listener, {@code host:port}
     * @param settings the listener's client settings ({@code security.protocol}, TLS trust)
     * @param mechanisms the SASL mechanisms to try, in order
     */
    public UserClients(Supplier<String> bootstrap, Map<String, Object> settings, List<String> mechanisms,
            Duration timeout) {
        this.bootstrap = bootstrap;
        this.settings = Map.copyOf(settings);
        this.mechanisms = List.copyOf(mechanisms);
        this.timeout = timeout;
    }

    /** Whether the broker accepts these credentials; on success the user's clients are kept for their calls. */
    public boolean login(String user, String password) {
        byte[] digest = digest(password);
        synchronized (this) {
            Login known = byUser.get(user);
            if (known != null && MessageDigest.isEqual(known.digest, digest)) {
                return true;
            }
        }
        for (String mechanism : mechanisms) {
            KafkaClients clients = new KafkaClients(bootstrap, clientSettings(mechanism, user, password), timeout);
            try {
                clients.await(clients.admin().describeCluster().clusterId());
                keep(user, new Login(digest, clients));
                return true;
            } catch (AuthenticationException e) {
                clients.close();
            } catch (Exception e) {
                clients.close();
                LOG.warn("Could not check the HTTP login of user {} with {}: {}", user, mechanism, e.toString());
                return false;
            }
        }
        return false;
    }

    @Override
    public KafkaClients forCall(HttpCall call) {
        String user = call.user().orElseThrow(() -> new ApiProblem(401, "Log in with the broker's SASL user"));
        synchronized (this) {
            Login login = byUser.get(user);
            if (login == null) {
                throw new ApiProblem(401, "Log in again: user " + user + " has no session");
            }
            return login.clients;
        }
    }

    @Override
    public void close() {
        List<Login> logins;
        synchronized (this) {
            closed = true;
            logins = List.copyOf(byUser.values());
            byUser.clear();
        }
        logins.forEach(login -> login.clients.close());
    }

    private void keep(String user, Login login) {
        Login replaced;
        Login evicted = null;
        synchronized (this) {
            if (closed) {
                login.clients.close();
                return;
            }
            replaced = byUser.put(user, login);
            if (byUser.size() > MAX_USERS) {
                String eldest = byUser.keySet().iterator().next();
                evicted = byUser.remove(eldest);
            }
        }
        if (replaced != null) {
            replaced.clients.close();
        }
        if (evicted != null) {
            evicted.clients.close();
        }
    }

    private Map<String, Object> clientSettings(String mechanism, String user, String password) {
        Map<String, Object> all = new HashMap<>(settings);
        all.put(SaslConfigs.SASL_MECHANISM, mechanism);
        String module = mechanism.equals("PLAIN")
                ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        all.put(SaslConfigs.SASL_JAAS_CONFIG, module + " required username=\"" + quoted(user) + "\" password=\""
                + quoted(password) + "\";");
        return all;
    }

    private static String quoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static byte[] digest(String password) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** A user's checked password (as a digest, never kept in clear here) and clients. */
    private record Login(byte[] digest, KafkaClients clients) {
    }
}
