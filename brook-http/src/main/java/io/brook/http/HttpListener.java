package io.brook.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code http://host:port} entry of {@code http.listeners}.
 *
 * @param host the host as written, IPv6 in brackets; empty, {@code 0.0.0.0} or {@code ::} mean every interface
 * @param port the port; 0 means ephemeral
 */
public record HttpListener(String host, int port) {

    /** The setting that lists the HTTP listeners. */
    public static final String SETTING = "http.listeners";

    private static final Pattern FORMAT = Pattern.compile("^http://(\\[[^\\]]*\\]|[^:/\\[\\]]*):(\\d{1,5})/?$");

    /** Parses a comma-separated list; blank entries are skipped, so an empty value means no HTTP server. */
    public static List<HttpListener> parseAll(String value) {
        List<HttpListener> listeners = new ArrayList<>();
        for (String entry : value.split(",")) {
            String trimmed = entry.trim();
            if (!trimmed.isEmpty()) {
                listeners.add(parse(trimmed));
            }
        }
        return listeners;
    }

    /** Parses one entry; throws {@link IllegalArgumentException} naming the setting when it is malformed. */
    public static HttpListener parse(String entry) {
        Matcher matcher = FORMAT.matcher(entry.toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException(
                    SETTING + ": expected http://host:port, e.g. http://localhost:8080, but got " + entry);
        }
        int port = Integer.parseInt(matcher.group(2));
        if (port > 65535) {
            throw new IllegalArgumentException(SETTING + ": port must be between 0 and 65535 in " + entry);
        }
        return new HttpListener(matcher.group(1), port);
    }

    /** Whether the listener binds every interface. */
    public boolean isWildcard() {
        return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    /** The host without IPv6 brackets. */
    public String bareHost() {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /**
     * The addresses to bind; a single {@code null} stands for the wildcard address. {@code localhost} takes both
     * loopback addresses, as the Kafka listener does, since a browser may resolve it to either.
     */
    List<InetAddress> addresses() {
        List<InetAddress> addresses = new ArrayList<>();
        if (isWildcard()) {
            addresses.add(null);
            return addresses;
        }
        try {
            addresses.addAll(List.of(InetAddress.getAllByName(bareHost())));
            if (bareHost().equals("localhost")) {
                for (String loopback : List.of("127.0.0.1", "::1")) {
                    InetAddress address = InetAddress.getByName(loopback);
                    if (!addresses.contains(address)) {
                        addresses.add(address);
                    }
                }
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(SETTING + ": unknown host " + bareHost(), e);
        }
        return addresses;
    }

    @Override
    public String toString() {
        return "http://" + host + ":" + port;
    }
}
