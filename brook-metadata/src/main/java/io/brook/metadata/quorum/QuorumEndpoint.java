package io.brook.metadata.quorum;

import java.util.Objects;

/**
 * One quorum member's address: its node id and the host and port its Raft server listens on.
 *
 * @param id the node id ({@code node.id}), 0 or more
 * @param host a host name or IP literal (an IPv6 literal without brackets)
 * @param port 1 to 65535
 */
public record QuorumEndpoint(int id, String host, int port) {

    public QuorumEndpoint {
        Objects.requireNonNull(host, "host");
        if (id < 0) {
            throw new IllegalArgumentException("node id must be 0 or more, got " + id);
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("host of node " + id + " is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port of node " + id + " must be in 1..65535, got " + port);
        }
    }

    /** {@code host:port}, with an IPv6 literal in brackets, as a socket address string. */
    public String address() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    @Override
    public String toString() {
        return id + "@" + address();
    }
}
