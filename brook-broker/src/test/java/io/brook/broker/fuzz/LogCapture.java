package io.brook.broker.fuzz;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;

/**
 * Collects the broker's WARN and ERROR lines during a fuzz session, tagged with the case being sent. The reasoned
 * closes of malformed input are expected; anything else at ERROR, or a WARN that says a handler or the encoder
 * failed, is a finding.
 *
 * <p>Thread-safe: appended to from any thread.
 */
final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    /** The WARN lines of a deliberate close: the input had no shape a response could be built for. */
    private static final Pattern EXPECTED = Pattern.compile("invalid request size|Closing connection .*: ("
            + "malformed |unknown api key|.* version -?\\d+ is not supported|.* unread bytes after its body"
            + "|request of \\d+ bytes has no header)");

    private static final String CLIENT_LOGGERS = "org.apache.kafka.clients";

    private final Supplier<FuzzCase> current;
    private final List<String> findings = new CopyOnWriteArrayList<>();
    private final List<String> expected = new CopyOnWriteArrayList<>();

    private LogCapture(Supplier<FuzzCase> current) {
        this.current = current;
    }

    static LogCapture install(Supplier<FuzzCase> current) {
        LogCapture capture = new LogCapture(current);
        capture.setContext(root().getLoggerContext());
        capture.start();
        root().addAppender(capture);
        return capture;
    }

    @Override
    protected void append(ILoggingEvent event) {
        // The test's own Kafka clients log their disconnections; only the broker is under test.
        if (!event.getLevel().isGreaterOrEqual(Level.WARN) || event.getLoggerName().startsWith(CLIENT_LOGGERS)) {
            return;
        }
        String message = event.getFormattedMessage();
        if (event.getLevel() == Level.WARN && EXPECTED.matcher(message).find()) {
            expected.add(message);
            return;
        }
        FuzzCase fuzzCase = current.get();
        IThrowableProxy error = event.getThrowableProxy();
        findings.add(event.getLevel() + " " + event.getLoggerName() + ": " + message
                + (error == null ? "" : " (" + error.getClassName() + ": " + error.getMessage() + ")")
                + "\n    while sending " + (fuzzCase == null ? "nothing" : fuzzCase.describe()));
    }

    List<String> findings() {
        return findings;
    }

    int expectedCloses() {
        return expected.size();
    }

    @Override
    public void close() {
        root().detachAppender(this);
        stop();
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
