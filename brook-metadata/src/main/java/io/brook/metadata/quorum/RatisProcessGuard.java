package io.brook.metadata.quorum;

import org.apache.ratis.util.ExitUtils;

/**
 * Keeps Ratis from ending or reconfiguring the JVM. Ratis 3.2.0 calls {@code System.exit(1)} when its gRPC server
 * cannot bind its port, and the first use of its {@code ExitUtils} replaces the JVM's default uncaught-exception
 * handler with one that exits. Brook decides when its process ends, so: Ratis's exits become an exception (a failed
 * {@link MetadataQuorum#start}), uncaught exceptions never exit, and whatever default handler was there is kept.
 *
 * <p>Thread-safe: {@link #install()} runs its body once per JVM.
 */
final class RatisProcessGuard {

    private static boolean installed;

    private RatisProcessGuard() {
    }

    static synchronized void install() {
        if (installed) {
            return;
        }
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        ExitUtils.disableSystemExit(); // first use: Ratis installs its own default handler here
        ExitUtils.setTerminateOnUncaughtException(false);
        Thread.setDefaultUncaughtExceptionHandler(previous);
        installed = true;
    }
}
