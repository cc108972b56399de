package io.brook.metadata.quorum;

import java.util.Objects;

import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;

/**
 * TLS for the metadata quorum's Raft traffic (Ratis over gRPC): this node's key (presented by its Raft server, and by
 * its clients when {@code mutual}), the trust it places in the other members' certificates, and whether servers
 * require a client certificate. Kept beside {@link QuorumConfig} rather than in it so that the quorum's plain-text
 * callers are unchanged. Immutable; the managers are the JDK's thread-safe ones.
 *
 * @param keyManager this node's certificate and private key; a quorum member always runs a Raft server, so it needs one
 * @param trustManager the certificates (or CA) this node trusts for the other members
 * @param mutual whether a Raft server refuses a peer or client without a trusted certificate (Kafka's
 *        {@code ssl.client.auth=required} on the controller listener)
 */
public record QuorumTls(KeyManager keyManager, TrustManager trustManager, boolean mutual) {

    public QuorumTls {
        Objects.requireNonNull(keyManager, "keyManager");
        Objects.requireNonNull(trustManager, "trustManager");
    }
}
