package io.brook.metadata.cluster;

import java.util.function.Supplier;

import org.apache.kafka.common.utils.Time;

/** A clock that moves only when the test says so. */
final class ManualTime implements Time {

    private long nowMs = 1_700_000_000_000L;

    @Override
    public synchronized long milliseconds() {
        return nowMs;
    }

    @Override
    public synchronized long nanoseconds() {
        return nowMs * 1_000_000L;
    }

    @Override
    public synchronized void sleep(long ms) {
        nowMs += ms;
    }

    @Override
    public void waitObject(Object obj, Supplier<Boolean> condition, long deadlineMs) {
        throw new UnsupportedOperationException("tests never wait");
    }
}
