package io.brook.storage;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.utils.Time;

/** A clock that moves only when the test says so. */
final class ManualTime implements Time {

    private final AtomicLong nowMs = new AtomicLong(1_700_000_000_000L);

    @Override
    public long milliseconds() {
        return nowMs.get();
    }

    @Override
    public long nanoseconds() {
        return TimeUnit.MILLISECONDS.toNanos(nowMs.get());
    }

    @Override
    public void sleep(long ms) {
        nowMs.addAndGet(ms);
    }
}
