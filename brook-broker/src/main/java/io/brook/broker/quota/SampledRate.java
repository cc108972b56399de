package io.brook.broker.quota;

/**
 * A rate over sampled windows, with the semantics of Kafka's {@code Rate} over a {@code SampledStat}: up to
 * {@code samples} windows of {@code windowMs} each; a window starts at the first record after the previous one
 * ended; windows older than {@code samples * windowMs} are forgotten; the rate divides the sum of the kept windows by
 * the time since the oldest one started, but never by less than {@code samples - 1} full windows, so that a burst
 * right after start-up does not measure as a huge rate.
 *
 * <p>Pure: time is passed in. Not thread-safe; {@link ClientQuotaManager} guards each instance.
 */
final class SampledRate {

    private final long windowMs;
    private final long[] starts;
    private final double[] values;
    private int current;
    /** Windows started so far, up to the number of samples (Kafka's sample list grows the same way). */
    private int created;

    SampledRate(int samples, long windowMs) {
        if (samples < 1 || windowMs < 1) {
            throw new IllegalArgumentException("samples and windowMs must be positive");
        }
        this.windowMs = windowMs;
        this.starts = new long[samples];
        this.values = new double[samples];
    }

    void record(double value, long nowMs) {
        if (created == 0) {
            created = 1;
            starts[0] = nowMs;
        }
        purgeObsolete(nowMs);
        if (nowMs >= starts[current] + windowMs) {
            current = created < starts.length ? created++ : (current + 1) % starts.length;
            starts[current] = nowMs;
            values[current] = 0;
        }
        values[current] += value;
    }

    /** The rate per second at {@code nowMs}. */
    double measure(long nowMs) {
        purgeObsolete(nowMs);
        double total = 0;
        for (double value : values) {
            total += value;
        }
        return total / (windowSizeMs(nowMs) / 1000.0);
    }

    /** The time span the rate divides by: since the oldest kept window started, at least samples - 1 windows. */
    long windowSizeMs(long nowMs) {
        purgeObsolete(nowMs);
        long oldest = nowMs;
        for (int i = 0; i < created; i++) {
            oldest = Math.min(oldest, starts[i]);
        }
        long elapsed = nowMs - oldest;
        long fullWindows = elapsed / windowMs;
        long minFullWindows = starts.length - 1L;
        if (fullWindows < minFullWindows) {
            elapsed += (minFullWindows - fullWindows) * windowMs;
        }
        return Math.max(elapsed, 1);
    }

    /** Removes {@code value} from the current window (a fetch answered empty after all). */
    void unrecord(double value, long nowMs) {
        purgeObsolete(nowMs);
        values[current] = Math.max(0, values[current] - value);
    }

    private void purgeObsolete(long nowMs) {
        long expireAge = starts.length * windowMs;
        for (int i = 0; i < created; i++) {
            if (nowMs - starts[i] >= expireAge) {
                starts[i] = nowMs;
                values[i] = 0;
            }
        }
    }
}
