package io.brook.broker.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.security.auth.login.AppConfigurationEntry;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.security.plain.PlainLoginModule;

/**
 * The SASL/PLAIN users of one listener, from its {@code listener.name.<name>.plain.sasl.jaas.config}: Kafka's
 * {@code PlainLoginModule} with one {@code user_<name>="<password>"} option per user (kafka-clients parses the JAAS
 * text). Passwords are compared in constant time and never printed.
 *
 * <p>Immutable and thread-safe.
 */
public final class PlainUsers {

    private static final String USER_PREFIX = "user_";

    private final Map<String, byte[]> passwords;

    private PlainUsers(Map<String, byte[]> passwords) {
        this.passwords = Map.copyOf(passwords);
    }

    /** Parses the JAAS text; throws {@link ConfigException} (without the secret) when it is not a PlainLoginModule. */
    public static PlainUsers fromJaas(String listenerName, Password jaasConfig) {
        List<AppConfigurationEntry> entries;
        try {
            entries = JaasContext.loadServerContext(new ListenerName(listenerName), "PLAIN",
                    Map.of("plain.sasl.jaas.config", jaasConfig)).configurationEntries();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Listener " + listenerName + ": the PLAIN JAAS config does not parse");
        }
        Map<String, byte[]> passwords = new HashMap<>();
        for (AppConfigurationEntry entry : entries) {
            if (!entry.getLoginModuleName().equals(PlainLoginModule.class.getName())) {
                throw new ConfigException("Listener " + listenerName + ": the PLAIN JAAS config must use "
                        + PlainLoginModule.class.getName());
            }
            entry.getOptions().forEach((key, value) -> {
                if (key.startsWith(USER_PREFIX) && value instanceof String password) {
                    passwords.put(key.substring(USER_PREFIX.length()), password.getBytes(StandardCharsets.UTF_8));
                }
            });
        }
        return new PlainUsers(passwords);
    }

    /** Whether {@code user} exists with exactly {@code password}. */
    public boolean matches(String user, char[] password) {
        byte[] expected = passwords.get(user);
        byte[] given = new String(password).getBytes(StandardCharsets.UTF_8);
        return expected != null && MessageDigest.isEqual(expected, given);
    }

    public int size() {
        return passwords.size();
    }

    @Override
    public String toString() {
        return "PlainUsers[" + passwords.size() + " users]";
    }
}
