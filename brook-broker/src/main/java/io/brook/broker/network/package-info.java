/**
 * The Kafka protocol server on Netty: listeners, framing, request decoding, per-connection ordering and backpressure,
 * and zero-copy response writing. The only package (with {@code io.brook.broker.Broker}) that may use Netty.
 *
 * <p>Threading: each connection is owned by one event loop; its handlers run there and never block it. Handler
 * futures completed elsewhere hop back onto the connection's loop before anything is written.
 */
package io.brook.broker.network;
