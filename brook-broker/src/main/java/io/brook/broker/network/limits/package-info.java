/**
 * Connection limits as Kafka's {@code ConnectionQuotas} applies them: {@code max.connections} (broker-wide and per
 * listener), {@code max.connections.per.ip} with its overrides, and {@code max.connection.creation.rate}. Pure
 * counting with injected time, no Netty: the network package's {@code AcceptGate} asks it for each accepted socket.
 */
package io.brook.broker.network.limits;
