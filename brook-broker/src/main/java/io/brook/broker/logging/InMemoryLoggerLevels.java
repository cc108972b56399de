package io.brook.broker.logging;

import java.util.Map;
import java.util.TreeMap;

/**
 * Logger levels kept in a map, affecting no logging: what an embedded broker (tests, tools) answers when no logging
 * backend was plugged in. Starts with the root at INFO; {@link #declare} adds loggers as if they had been created.
 * A logger without a level of its own reports its nearest dotted ancestor's.
 *
 * <p>Thread-safe (synchronized).
 */
public final class InMemoryLoggerLevels implements LoggerLevels {

    private final Map<String, LogLevel> own = new TreeMap<>();
    private final Map<String, Boolean> known = new TreeMap<>();

    public InMemoryLoggerLevels() {
        own.put(ROOT, LogLevel.INFO);
        known.put(ROOT, true);
    }

    /** Makes {@code name} a known logger, as the first use of a logger does. */
    public synchronized InMemoryLoggerLevels declare(String name) {
        known.put(name, true);
        return this;
    }

    @Override
    public synchronized Map<String, String> levels() {
        Map<String, String> levels = new TreeMap<>();
        for (String name : known.keySet()) {
            levels.put(name, effective(name).name());
        }
        return levels;
    }

    @Override
    public synchronized boolean exists(String name) {
        return known.containsKey(name);
    }

    @Override
    public synchronized void set(String name, LogLevel level) {
        known.put(name, true);
        own.put(name, level);
    }

    @Override
    public synchronized void unset(String name) {
        if (!ROOT.equals(name)) {
            own.remove(name);
        }
    }

    private LogLevel effective(String name) {
        String current = name;
        while (true) {
            LogLevel level = own.get(current);
            if (level != null) {
                return level;
            }
            int dot = current.lastIndexOf('.');
            current = dot < 0 ? ROOT : current.substring(0, dot);
        }
    }
}
