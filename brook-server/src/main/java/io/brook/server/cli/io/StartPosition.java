package io.brook.server.cli.io;

import io.brook.server.cli.CliException;
import io.brook.server.cli.Times;

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
            return new StartPosition(Kind.TIME, Times.parse(fromTime, "--from-time"));
        }
        return new StartPosition(Kind.END, 0);
    }
}
