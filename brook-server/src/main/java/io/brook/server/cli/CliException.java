package io.brook.server.cli;

/**
 * A failure to report to the user as one line on stderr, with the exit code to end with: 1 when the work failed, 2
 * when the command line was wrong. The message says what went wrong and, where it can, what to do next.
 */
public final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Exit code when the work failed. */
    public static final int FAILED = 1;
    /** Exit code for a usage error, as picocli's own. */
    public static final int USAGE = 2;

    private final int exitCode;

    public CliException(String message) {
        this(message, FAILED);
    }

    public CliException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public static CliException usage(String message) {
        return new CliException(message, USAGE);
    }

    public int exitCode() {
        return exitCode;
    }
}
