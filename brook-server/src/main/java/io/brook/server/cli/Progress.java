package io.brook.server.cli;

import java.io.PrintWriter;

import org.apache.kafka.common.utils.Time;

/**
 * A one-line progress indicator on stderr for long work, redrawn at most twice a second, and only when stderr is a
 * terminal (else it prints nothing, so logs and pipes stay clean). Not thread-safe: one thread updates it.
 */
public final class Progress {

    private static final long REDRAW_MS = 500;

    private final PrintWriter err;
    private final boolean enabled;
    private final Time time;
    private long lastDrawMs = -1;
    private int lastWidth;

    public Progress(PrintWriter err, boolean enabled, Time time) {
        this.err = err;
        this.enabled = enabled;
        this.time = time;
    }

    /** Redraws the line with {@code text} if enough time passed since the last redraw. */
    public void update(String text) {
        if (!enabled) {
            return;
        }
        long now = time.milliseconds();
        if (lastDrawMs >= 0 && now - lastDrawMs < REDRAW_MS) {
            return;
        }
        lastDrawMs = now;
        err.print("\r" + text + " ".repeat(Math.max(0, lastWidth - text.length())));
        lastWidth = text.length();
        err.flush();
    }

    /** Clears the line, before the final summary. */
    public void done() {
        if (enabled && lastWidth > 0) {
            err.print("\r" + " ".repeat(lastWidth) + "\r");
            err.flush();
            lastWidth = 0;
        }
    }
}
