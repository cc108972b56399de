package io.brook.server.logging;

import java.util.Map;
import java.util.TreeMap;

import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import io.brook.broker.logging.InMemoryLoggerLevels;
import io.brook.broker.logging.LogLevel;
import io.brook.broker.logging.LoggerLevels;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;

/**
 * Logger levels read from and changed in logback, the server's logging backend: the loggers are those logback has
 * created so far; Kafka's "root" is logback's ROOT. FATAL, which logback lacks, becomes ERROR.
 *
 * <p>Thread-safe (logback's logger context is).
 */
public final class LogbackLoggerLevels implements LoggerLevels {

    private final LoggerContext context;

    LogbackLoggerLevels(LoggerContext context) {
        this.context = context;
    }

    /** Logback's levels when SLF4J is bound to logback, else levels kept in memory only. */
    public static LoggerLevels forCurrentBackend() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext logback) {
            return new LogbackLoggerLevels(logback);
        }
        return new InMemoryLoggerLevels();
    }

    @Override
    public Map<String, String> levels() {
        Map<String, String> levels = new TreeMap<>();
        for (Logger logger : context.getLoggerList()) {
            levels.put(kafkaName(logger.getName()), logger.getEffectiveLevel().toString());
        }
        return levels;
    }

    @Override
    public boolean exists(String name) {
        return ROOT.equals(name) || context.exists(name) != null;
    }

    @Override
    public void set(String name, LogLevel level) {
        logger(name).setLevel(switch (level) {
            case OFF -> Level.OFF;
            case FATAL, ERROR -> Level.ERROR;
            case WARN -> Level.WARN;
            case INFO -> Level.INFO;
            case DEBUG -> Level.DEBUG;
            case TRACE -> Level.TRACE;
        });
    }

    @Override
    public void unset(String name) {
        if (!ROOT.equals(name)) {
            logger(name).setLevel(null);
        }
    }

    private Logger logger(String kafkaName) {
        return context.getLogger(ROOT.equals(kafkaName) ? org.slf4j.Logger.ROOT_LOGGER_NAME : kafkaName);
    }

    private static String kafkaName(String logbackName) {
        return org.slf4j.Logger.ROOT_LOGGER_NAME.equals(logbackName) ? ROOT : logbackName;
    }
}
