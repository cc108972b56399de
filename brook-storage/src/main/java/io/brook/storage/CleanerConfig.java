package io.brook.storage;

/**
 * Broker-wide settings of the log cleaner (Kafka's names and defaults).
 *
 * @param enabled {@code log.cleaner.enable}
 * @param threads {@code log.cleaner.threads}
 * @param dedupeBufferBytes {@code log.cleaner.dedupe.buffer.size}: memory for the key maps of all threads together
 * @param ioBufferBytes {@code log.cleaner.io.buffer.size}: read and write buffers of all threads together
 * @param backoffMs {@code log.cleaner.backoff.ms}: pause when no log needs cleaning
 * @param fileDeleteDelayMs {@code log.segment.delete.delay.ms}: how long replaced segments stay readable
 */
public record CleanerConfig(boolean enabled, int threads, long dedupeBufferBytes, int ioBufferBytes, long backoffMs,
        long fileDeleteDelayMs) {

    public static CleanerConfig defaults() {
        return new CleanerConfig(true, 1, 128L * 1024 * 1024, 512 * 1024, 15_000, 60_000);
    }

    /** Key-map bytes of one thread (Kafka splits the buffer evenly and caps each map below 2 GiB). */
    int dedupeBytesPerThread() {
        return (int) Math.min(dedupeBufferBytes / Math.max(1, threads), Integer.MAX_VALUE - 64);
    }

    /** One read or write buffer of one thread (Kafka: the io buffer split between threads, half each). */
    int ioBufferBytesPerThread() {
        return Math.max(64 * 1024, ioBufferBytes / Math.max(1, threads) / 2);
    }
}
