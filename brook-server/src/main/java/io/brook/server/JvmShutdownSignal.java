package io.brook.server;

import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the broker when the JVM is asked to shut down (Ctrl-C, SIGTERM): a shutdown hook closes the broker, then ends
 * the process with exit code 0 (1 if closing failed), so a clean stop on a signal is not reported as a failure (the
 * JVM's own status for SIGTERM would be 143). Also stops it when the broker asks to ({@link RunningBroker#fatalStop},
 * every log dir offline): the waiting thread closes it and returns, and the exit status is 1. Used once per process.
 */
final class JvmShutdownSignal implements StopSignal {

    private static final Logger LOG = LoggerFactory.getLogger(JvmShutdownSignal.class);

    @Override
    public void awaitStop(RunningBroker broker) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            boolean stoppedItself = broker.fatalStop().isDone();
            int status = stoppedItself ? 1 : 0;
            try {
                if (!stoppedItself) {
                    LOG.info("Shutdown requested, stopping Brook");
                    broker.close();
                    LOG.info("Brook stopped");
                }
            } catch (RuntimeException e) {
                LOG.error("Brook did not stop cleanly", e);
                status = 1;
            } finally {
                closed.countDown();
            }
            // halt, not exit: we are inside the shutdown sequence, where exit would block forever.
            Runtime.getRuntime().halt(status);
        }, "brook-shutdown"));
        broker.fatalStop().thenAccept(reason -> closed.countDown());
        closed.await();
        if (broker.fatalStop().isDone()) {
            LOG.error("Stopping Brook: {}", broker.fatalStop().getNow("a fatal error"));
            broker.close();
            LOG.info("Brook stopped");
        }
    }
}
