package io.brook.broker.network.limits;

import java.util.Arrays;

/**
 * A connection-creation rate measured as Kafka measures quota rates: events counted in {@value #SAMPLES} samples of
 * {@value #SAMPLE_MS} ms, the rate taken over the samples' elapsed time but never over less than
 * {@code (SAMPLES - 1)} whole samples (so a fresh window does not read as a huge rate). When a new event takes the
 * rate over the bound, the caller is told how long to wait: {@code (rate - bound) / bound} times the window, Kafka's
 * throttle time; the caller then takes the event back out, as Kafka does.
 *
 * <p>Not thread-safe: {@link ConnectionQuotas} calls it under its own lock.
 */
final class CreationRate {

    /** Kafka's {@code quota.window.num} default. */
    static final int SAMPLES = 11;
    /** Kafka's {@code quota.window.size.seconds} default, in ms. */
    static final long SAMPLE_MS = 1_000;

    private final long[] sampleStartMs = new long[SAMPLES];
    private final double[] sampleCounts = new double[SAMPLES];
    private int current;
    private boolean started;

    CreationRate() {
        Arrays.fill(sampleStartMs, Long.MAX_VALUE);
    }

    /** Counts one event at {@code nowMs}. */
    void record(long nowMs) {
        add(1, nowMs);
    }

    /** Takes back an event recorded at {@code nowMs} (one that was delayed, so that it is not counted twice). */
    void unrecord(long nowMs) {
        add(-1, nowMs);
    }

    /**
     * How long the last recorded event must wait for the rate to be at most {@code bound} events a second: 0 when
     * within it, else Kafka's throttle time.
     */
    long throttleMs(int bound, long nowMs) {
        if (bound == Integer.MAX_VALUE) {
            return 0;
        }
        double rate = rate(nowMs);
        if (rate <= bound) {
            return 0;
        }
        if (bound == 0) {
            return windowMs(nowMs);
        }
        return Math.max(1, Math.round((rate - bound) / bound * windowMs(nowMs)));
    }

    /** The events a second over the current window. */
    double rate(long nowMs) {
        roll(nowMs);
        double total = 0;
        for (double count : sampleCounts) {
            total += count;
        }
        return total * 1000.0 / windowMs(nowMs);
    }

    private void add(double value, long nowMs) {
        roll(nowMs);
        sampleCounts[current] += value;
    }

    private long windowMs(long nowMs) {
        long oldest = sampleStartMs[current];
        for (long start : sampleStartMs) {
            oldest = Math.min(oldest, start);
        }
        long elapsed = nowMs - oldest;
        long minimum = (SAMPLES - 1) * SAMPLE_MS;
        long fullSamples = elapsed / SAMPLE_MS;
        return fullSamples < SAMPLES - 1 ? elapsed + (minimum - fullSamples * SAMPLE_MS) : Math.max(elapsed, 1);
    }

    /** Moves to a new sample when the current one is over, forgetting samples older than the window. */
    private void roll(long nowMs) {
        if (!started) {
            started = true;
            sampleStartMs[current] = nowMs;
            return;
        }
        if (nowMs - sampleStartMs[current] < SAMPLE_MS) {
            return;
        }
        current = (current + 1) % SAMPLES;
        sampleStartMs[current] = nowMs;
        sampleCounts[current] = 0;
        long horizon = nowMs - SAMPLES * SAMPLE_MS;
        for (int i = 0; i < SAMPLES; i++) {
            if (i != current && sampleStartMs[i] < horizon) {
                sampleCounts[i] = 0;
                sampleStartMs[i] = Long.MAX_VALUE;
            }
        }
    }
}
