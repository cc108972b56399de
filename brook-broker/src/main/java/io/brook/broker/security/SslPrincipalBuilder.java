package io.brook.broker.security;

import java.net.InetAddress;

import javax.net.ssl.SSLSession;

import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SslAuthenticationContext;
import org.apache.kafka.common.security.authenticator.DefaultKafkaPrincipalBuilder;
import org.apache.kafka.common.security.ssl.SslPrincipalMapper;

/**
 * The principal of a TLS connection, as Kafka's default principal builder makes it: {@code User:<name>} where the name
 * is the client certificate's distinguished name passed through {@code ssl.principal.mapping.rules}, or
 * {@link KafkaPrincipal#ANONYMOUS} when the client sent no certificate.
 *
 * <p>Thread-safe (immutable).
 */
public final class SslPrincipalBuilder {

    private final DefaultKafkaPrincipalBuilder builder;

    /** Throws {@link IllegalArgumentException} for rules that do not parse. */
    public SslPrincipalBuilder(String mappingRules) {
        // No Kerberos short namer: it is only read for SASL/GSSAPI, which Brook does not offer.
        this.builder = new DefaultKafkaPrincipalBuilder(null, SslPrincipalMapper.fromRules(mappingRules));
    }

    public KafkaPrincipal principal(SSLSession session, InetAddress clientAddress, String listenerName) {
        return builder.build(new SslAuthenticationContext(session, clientAddress, listenerName));
    }
}
