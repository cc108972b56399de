package io.brook.server;

/**
 * Runs the real {@code brook} entry point with a broker that only records its close, so a test can send the
 * process a real signal.
 */
public final class FakeBrokerMain {

    private FakeBrokerMain() {
    }

    public static void main(String[] args) {
        int exitCode = BrookCommand.commandLine(config -> new RunningBroker() {
            @Override
            public int boundPort(String listenerName) {
                return 9092;
            }

            @Override
            public void close() {
                System.out.println("fake broker closed");
                System.out.flush();
            }
        }, new JvmShutdownSignal()).execute(args);
        System.exit(exitCode);
    }
}
