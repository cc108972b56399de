package io.brook.broker.logging;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The levels a BROKER_LOGGER change may set: Kafka's (FATAL to TRACE) and OFF. Stateless.
 */
public enum LogLevel {
    OFF, FATAL, ERROR, WARN, INFO, DEBUG, TRACE;

    /** The level named exactly {@code name} (upper case, as Kafka expects), if any. */
    public static Optional<LogLevel> of(String name) {
        return Arrays.stream(values()).filter(level -> level.name().equals(name)).findFirst();
    }

    /** The valid names, sorted, for error messages. */
    public static String validNames() {
        return Arrays.stream(values()).map(Enum::name).sorted().collect(Collectors.joining(", "));
    }
}
