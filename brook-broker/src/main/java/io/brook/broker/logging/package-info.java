/**
 * The node's logger levels behind the BROKER_LOGGER config resource: {@link io.brook.broker.logging.LoggerLevels},
 * implemented by the server with its logging backend, and an in-memory stand-in for embedded brokers.
 */
package io.brook.broker.logging;
