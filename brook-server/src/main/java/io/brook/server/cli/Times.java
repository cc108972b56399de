package io.brook.server.cli;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Parses the times the commands take. Stateless. */
public final class Times {

    private Times() {
    }

    /**
     * Epoch milliseconds, or ISO-8601: an instant ({@code 2026-01-02T03:04:05Z}), a date-time with an offset, or a
     * local date-time taken as UTC.
     *
     * @throws CliException (usage) naming {@code option} when the text is neither
     */
    public static long parse(String text, String option) {
        if (text.matches("\\d+")) {
            return Long.parseLong(text);
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException notInstant) {
            try {
                return OffsetDateTime.parse(text).toInstant().toEpochMilli();
            } catch (DateTimeParseException notOffset) {
                try {
                    return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli();
                } catch (DateTimeParseException e) {
                    throw CliException.usage(option + " takes epoch milliseconds or ISO-8601 like "
                            + "2026-01-02T03:04:05Z, got '" + text + "'");
                }
            }
        }
    }
}
