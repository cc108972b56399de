package io.brook.broker.network;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.ConfigException;

/**
 * One {@code NAME://host:port} entry of {@code listeners} or {@code advertised.listeners}.
 *
 * @param name the listener name (its security protocol comes from listener.security.protocol.map)
 * @param host the host as written; empty means every interface
 * @param port the port; 0 means ephemeral (bound port chosen by the OS)
 */
public record ListenerSpec(String name, String host, int port) {

    private static final Pattern FORMAT = Pattern.compile("^([A-Za-z0-9_]+)://(\\[[^\\]]*\\]|[^:\\[\\]]*):(\\d+)$");

    /** Whether this listener binds every interface (empty host, 0.0.0.0 or ::). */
    public boolean isWildcard() {
        return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    /** The host without IPv6 brackets. */
    public String bareHost() {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    @Override
    public String toString() {
        return name + "://" + host + ":" + port;
    }

    /**
     * Parses the entries of {@code setting}; throws {@link ConfigException} naming the setting for a malformed entry
     * or a duplicate name. Security protocols are checked by {@code BrokerConfig} through
     * {@code listener.security.protocol.map}.
     */
    public static List<ListenerSpec> parseAll(String setting, List<String> entries) {
        List<ListenerSpec> result = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String entry : entries) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            ListenerSpec spec = parse(setting, trimmed);
            if (!names.add(spec.name())) {
                throw new ConfigException(setting, String.join(",", entries),
                        "Each listener must have a different name; " + spec.name() + " appears twice");
            }
            result.add(spec);
        }
        if (result.isEmpty()) {
            throw new ConfigException(setting, String.join(",", entries), "At least one listener is required");
        }
        return result;
    }

    static ListenerSpec parse(String setting, String entry) {
        Matcher matcher = FORMAT.matcher(entry);
        if (!matcher.matches()) {
            throw new ConfigException(setting, entry, "Expected NAME://host:port, e.g. PLAINTEXT://localhost:9092");
        }
        String name = matcher.group(1).toUpperCase(Locale.ROOT);
        int port;
        try {
            port = Integer.parseInt(matcher.group(3));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException(setting, entry, "Port must be between 0 and 65535");
        }
        return new ListenerSpec(name, matcher.group(2), port);
    }
}
