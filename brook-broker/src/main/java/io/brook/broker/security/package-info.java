/**
 * Transport security of the broker: TLS engines for SSL listeners ({@link io.brook.broker.security.ListenerSecurity}),
 * the principal of a connection ({@link io.brook.broker.security.SslPrincipalBuilder}), and the sockets brokers open
 * to each other ({@link io.brook.broker.security.InterBrokerSockets}). The TLS work itself is kafka-clients' own
 * {@code SslFactory}/{@code DefaultSslEngineFactory}, configured with Kafka's {@code ssl.*} settings, so key store
 * formats, defaults and validation are Kafka's.
 *
 * <p>Thread safety is stated per class.
 */
package io.brook.broker.security;
