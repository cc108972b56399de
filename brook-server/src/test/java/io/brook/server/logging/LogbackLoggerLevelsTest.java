package io.brook.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.brook.broker.logging.LogLevel;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;

class LogbackLoggerLevelsTest {

    private final LoggerContext context = new LoggerContext();
    private final LogbackLoggerLevels levels = new LogbackLoggerLevels(context);

    @Test
    void shouldListLoggersWithEffectiveLevelsAndRootAsRoot() {
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
        context.getLogger("a.b");

        assertThat(levels.levels()).containsEntry("root", "WARN").containsEntry("a", "WARN")
                .containsEntry("a.b", "WARN").doesNotContainKey("ROOT");
        assertThat(levels.exists("a")).isTrue();
        assertThat(levels.exists("root")).isTrue();
        assertThat(levels.exists("c")).isFalse();
    }

    @Test
    void shouldSetAndUnsetSoThatChildrenInherit() {
        context.getLogger("a.b");

        levels.set("a", LogLevel.DEBUG);
        assertThat(context.getLogger("a.b").isDebugEnabled()).isTrue();
        levels.set("root", LogLevel.FATAL);
        assertThat(levels.levels()).containsEntry("root", "ERROR").containsEntry("a.b", "DEBUG");

        levels.unset("a");
        levels.unset("root");
        assertThat(levels.levels()).containsEntry("a.b", "ERROR").containsEntry("root", "ERROR");
    }
}
