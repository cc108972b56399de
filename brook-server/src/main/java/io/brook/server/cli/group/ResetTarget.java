package io.brook.server.cli.group;

/**
 * Where {@code brook group reset-offsets} moves a group's offsets, and the pure rule computing each partition's new
 * offset from the partition's bounds: offsets outside [earliest, latest] are clamped into it, as Kafka's
 * {@code kafka-consumer-groups} does.
 */
record ResetTarget(Kind kind, long value) {

    enum Kind {
        EARLIEST, LATEST, OFFSET, DATETIME, SHIFT
    }

    /**
     * @param committed the group's committed offset, or null when it has none (a shift then starts from latest)
     * @param atTime the first offset at or after the time ({@link Kind#DATETIME}), or null when there is none
     */
    long newOffset(Long committed, long earliest, long latest, Long atTime) {
        long wanted = switch (kind) {
            case EARLIEST -> earliest;
            case LATEST -> latest;
            case OFFSET -> value;
            case DATETIME -> atTime != null ? atTime : latest;
            case SHIFT -> (committed != null ? committed : latest) + value;
        };
        return Math.max(earliest, Math.min(latest, wanted));
    }

}
