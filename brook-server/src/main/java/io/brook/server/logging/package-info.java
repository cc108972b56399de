/**
 * The server's logging backend (logback) behind the broker's {@link io.brook.broker.logging.LoggerLevels}.
 */
package io.brook.server.logging;
