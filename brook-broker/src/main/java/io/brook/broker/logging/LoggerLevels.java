package io.brook.broker.logging;

import java.util.Map;

/**
 * The node's logger levels as the BROKER_LOGGER config resource shows and changes them (KIP-412): brook-broker logs
 * through SLF4J only, so the logging backend that can read and change levels is plugged in by the server. Levels are
 * not persisted: a restart goes back to the logging configuration file.
 *
 * <p>Implementations are thread-safe.
 */
public interface LoggerLevels {

    /** The name Kafka gives the root logger in BROKER_LOGGER answers and changes. */
    String ROOT = "root";

    /** Every logger known so far, by name (the root as {@link #ROOT}), with its effective level name. */
    Map<String, String> levels();

    /** True when {@code name} is a logger known so far (or {@link #ROOT}). */
    boolean exists(String name);

    /** Gives {@code name} its own level; {@code level} is one of {@link LogLevel}'s names. */
    void set(String name, LogLevel level);

    /** Drops the level of {@code name}, so that it inherits its parent's; not called for the root. */
    void unset(String name);
}
