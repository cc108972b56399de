package io.brook.metadata;

/**
 * One listener a broker accepts connections on, as it registered it.
 *
 * @param listener listener name (e.g. {@code PLAINTEXT}, {@code REPLICATION})
 * @param host advertised host
 * @param port advertised port
 * @param securityProtocol the kafka-clients {@code SecurityProtocol} name (e.g. {@code PLAINTEXT}, {@code SASL_SSL})
 */
public record Endpoint(String listener, String host, int port, String securityProtocol) {
}
