package io.brook.server.cli;

import java.io.InputStream;
import java.util.Map;

/**
 * What a client command takes from its surroundings, so that tests can replace each part: the environment (for
 * {@code $BROOK_BROKERS}), the Kafka clients, stdin, and whether stderr is a terminal (progress is shown only then).
 */
public record CliContext(Map<String, String> env, KafkaClients clients, InputStream stdin, boolean interactive) {

    /** The process's own environment, real clients, {@code System.in}, a terminal when there is a console. */
    public static CliContext system() {
        return new CliContext(System.getenv(), KafkaClients.real(), System.in, System.console() != null);
    }
}
