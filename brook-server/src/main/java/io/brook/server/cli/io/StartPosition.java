package io.brook.server.cli.io;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import io.brook.server.cli.CliException;

/**
 * Where {@code brook consume} starts in each partition: the end (the default, as Kafka's console consumer), the
 * beginning, an offset, or the first record at or after a time.
 */
record StartPosition(Kind kind, long value) {

    enum Kind {
        END, BEGINNING, OFFSET, TIME
    }

    static StartPosition of(boolean fromBeginning, Long offset, String fromTime) {
        int given = (fromBeginning ? 1 : 0) + (offset != null ? 1 : 0) + (fromTime != null ? 1 : 0);
        if (given > 1) {
            throw CliException.usage("give only one of --from-beginning, --offset and --from-time");
        }
        if (fromBeginning) {
            return new StartPosition(Kind.BEGINNING, 0);
        }
        if (offset != null) {
            if (offset < 0) {
                throw CliException.usage("--offset must be at least 0, got " + offset);
            }
            return new StartPosition(Kind.OFFSET, offset);
        }
        if (fromTime != null) {
            return new StartPosition(Kind.TIME, parseTime(fromTime, "--from-time"));
        }
        return new StartPosition(Kind.END, 0);
    }

    /** Epoch milliseconds, or ISO-8601 ({@code 2026-01-02T03:04:05Z}, with an offset, or a date-time in UTC). */
    static long parseTime(String text, String option) {
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
                    return java.time.LocalDateTime.parse(text).toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
                } catch (DateTimeParseException e) {
                    throw CliException.usage(option + " takes epoch milliseconds or ISO-8601 like "
                            + "2026-01-02T03:04:05Z, got '" + text + "'");
                }
            }
        }
    }
}
