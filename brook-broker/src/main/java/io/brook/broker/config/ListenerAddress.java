package io.brook.broker.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.ConfigException;

/**
 * One entry of {@code listeners} or {@code advertised.listeners}: {@code NAME://host:port}, where the host may be
 * empty (every interface) or an IPv6 literal in brackets. Immutable.
 *
 * @param name the listener name, upper-cased as Kafka does
 * @param host the host, without brackets; empty for every interface
 * @param port the port, 0 for any free port
 */
record ListenerAddress(String name, String host, int port) {

    private static final Pattern FORMAT = Pattern
            .compile("^([A-Za-z0-9_\\-]+)://(\\[[0-9a-fA-F:.%\\w]*]|[^:\\[\\]/]*):(\\d+)$");

    static ListenerAddress parse(String setting, String entry) {
        Matcher m = FORMAT.matcher(entry.trim());
        if (!m.matches()) {
            throw new ConfigException(setting, entry, "expected NAME://host:port (IPv6 hosts in brackets)");
        }
        String host = m.group(2);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(m.group(3));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException(setting, entry, "port must be between 0 and 65535");
        }
        return new ListenerAddress(m.group(1).toUpperCase(Locale.ROOT), host, port);
    }
}
