package io.brook.server;

/** Blocks the {@code server} command until the broker should stop, and stops it. */
@FunctionalInterface
interface StopSignal {

    /** Returns once {@code broker} has been closed. */
    void awaitStop(RunningBroker broker) throws InterruptedException;
}
