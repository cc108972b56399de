package io.brook.metadata.quorum;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The static set of voters, as Kafka's {@code controller.quorum.voters} gives it: {@code id@host:port} entries
 * separated by commas, e.g. {@code 1@localhost:9093,2@localhost:9094,3@[::1]:9095}. Immutable.
 */
public final class QuorumVoters {

    /** The Kafka property this syntax comes from, named in error messages. */
    public static final String PROPERTY = "controller.quorum.voters";

    private final Map<Integer, QuorumEndpoint> byId;

    private QuorumVoters(Map<Integer, QuorumEndpoint> byId) {
        this.byId = Collections.unmodifiableMap(byId);
    }

    /** The given endpoints as a voter set; ids must be distinct and there must be at least one. */
    public static QuorumVoters of(Collection<QuorumEndpoint> voters) {
        Map<Integer, QuorumEndpoint> byId = new LinkedHashMap<>();
        for (QuorumEndpoint voter : voters) {
            if (byId.putIfAbsent(voter.id(), voter) != null) {
                throw new IllegalArgumentException(PROPERTY + ": node id " + voter.id() + " appears more than once");
            }
        }
        if (byId.isEmpty()) {
            throw new IllegalArgumentException(PROPERTY + " must name at least one voter");
        }
        return new QuorumVoters(byId);
    }

    /**
     * Parses {@code id@host:port[,id@host:port...]}. Whitespace around entries is ignored; an IPv6 host is written in
     * brackets.
     *
     * @throws IllegalArgumentException naming the bad entry and what is wrong with it
     */
    public static QuorumVoters parse(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(PROPERTY + " is empty; expected {id}@{host}:{port},... e.g. "
                    + "1@localhost:9093");
        }
        List<QuorumEndpoint> voters = new ArrayList<>();
        for (String raw : value.split(",", -1)) {
            voters.add(parseEntry(raw.trim()));
        }
        return of(voters);
    }

    private static QuorumEndpoint parseEntry(String entry) {
        int at = entry.indexOf('@');
        if (at <= 0) {
            throw bad(entry, "it does not start with {id}@");
        }
        int id;
        try {
            id = Integer.parseInt(entry.substring(0, at));
        } catch (NumberFormatException e) {
            throw bad(entry, "the node id '" + entry.substring(0, at) + "' is not an integer");
        }
        String hostPort = entry.substring(at + 1);
        String host;
        String portText;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0 || close + 1 >= hostPort.length() || hostPort.charAt(close + 1) != ':') {
                throw bad(entry, "an IPv6 host must be written [address]:port");
            }
            host = hostPort.substring(1, close);
            portText = hostPort.substring(close + 2);
        } else {
            int colon = hostPort.lastIndexOf(':');
            if (colon < 0) {
                throw bad(entry, "it has no :port");
            }
            host = hostPort.substring(0, colon);
            portText = hostPort.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw bad(entry, "an IPv6 host must be written in brackets");
            }
        }
        if (host.isEmpty()) {
            throw bad(entry, "the host is empty");
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw bad(entry, "the port '" + portText + "' is not an integer");
        }
        try {
            return new QuorumEndpoint(id, host, port);
        } catch (IllegalArgumentException e) {
            throw bad(entry, e.getMessage());
        }
    }

    private static IllegalArgumentException bad(String entry, String why) {
        return new IllegalArgumentException(PROPERTY + ": entry '" + entry + "' is invalid: " + why
                + " (expected {id}@{host}:{port})");
    }

    /** The voters in the order given. */
    public Collection<QuorumEndpoint> all() {
        return byId.values();
    }

    public Optional<QuorumEndpoint> get(int id) {
        return Optional.ofNullable(byId.get(id));
    }

    public boolean contains(int id) {
        return byId.containsKey(id);
    }

    public int size() {
        return byId.size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuorumVoters other && byId.equals(other.byId);
    }

    @Override
    public int hashCode() {
        return byId.hashCode();
    }

    /** The same syntax {@link #parse} reads. */
    @Override
    public String toString() {
        return String.join(",", byId.values().stream().map(QuorumEndpoint::toString).toList());
    }
}
