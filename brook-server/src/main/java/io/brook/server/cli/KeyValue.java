package io.brook.server.cli;

/** A {@code key=value} argument, split at the first {@code =}. */
public record KeyValue(String key, String value) {

    /** @throws CliException (usage) when there is no {@code =} or the key is empty */
    public static KeyValue parse(String text, String option) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw CliException.usage(option + " takes key=value, got '" + text + "'");
        }
        return new KeyValue(text.substring(0, eq), text.substring(eq + 1));
    }
}
