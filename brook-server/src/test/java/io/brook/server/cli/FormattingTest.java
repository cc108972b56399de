package io.brook.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The shared helpers: table and JSON printing, time parsing, connection options. */
class FormattingTest {

    @Test
    void shouldAlignColumnsUnderCapitalisedHeadersWhenPrintingText() {
        StringWriter text = new StringWriter();
        Table.withColumns("topic", "committedOffset").row("a", 1L).row("longer", null).printText(new PrintWriter(text));

        assertThat(text.toString().lines()).containsExactly("TOPIC   COMMITTED OFFSET", "a       1",
                "longer  -");
    }

    @Test
    void shouldKeyObjectsByColumnNameWhenPrintingJson() {
        assertThat(Table.withColumns("topic", "lag").row("a", 3L).row("b", null).toJson().toString())
                .isEqualTo("[{\"topic\":\"a\",\"lag\":3},{\"topic\":\"b\",\"lag\":null}]");
    }

    @Test
    void shouldParseEpochMillisAndIso8601WhenGivenTimes() {
        assertThat(Times.parse("1700000000000", "--t")).isEqualTo(1_700_000_000_000L);
        assertThat(Times.parse("2026-01-02T03:04:05Z", "--t")).isEqualTo(1_767_323_045_000L);
        assertThat(Times.parse("2026-01-02T04:04:05+01:00", "--t")).isEqualTo(1_767_323_045_000L);
        assertThat(Times.parse("2026-01-02T03:04:05", "--t")).isEqualTo(1_767_323_045_000L);
        assertThatThrownBy(() -> Times.parse("yesterday", "--t")).isInstanceOf(CliException.class)
                .hasMessageContaining("--t takes epoch milliseconds or ISO-8601");
    }

    @Command(name = "probe")
    static final class Probe implements Runnable {
        @Mixin
        ConnectionOptions connection;

        @Override
        public void run() {
        }
    }

    @Test
    void shouldLetXOverridesWinOverCommandConfigAndBrookBrokersLoseToTheOption(@TempDir Path dir)
            throws Exception {
        Path config = dir.resolve("client.properties");
        Files.writeString(config, "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\n");
        Probe probe = new Probe();
        new CommandLine(probe).parseArgs("--command-config", config.toString(), "-X", "sasl.mechanism=SCRAM-SHA-512");

        Map<String, Object> result = probe.connection.clientConfig(Map.of("BROOK_BROKERS", "env:1"),
                Map.of("client.id", "x"));

        assertThat(result).containsEntry("bootstrap.servers", "env:1")
                .containsEntry("security.protocol", "SASL_PLAINTEXT").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("client.id", "x");
        new CommandLine(probe).parseArgs("-b", "opt:2");
        assertThat(probe.connection.bootstrapServers(Map.of("BROOK_BROKERS", "env:1"))).isEqualTo("opt:2");
    }
}
