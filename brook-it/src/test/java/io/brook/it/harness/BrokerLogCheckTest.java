package io.brook.it.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerLogCheckTest {

    @TempDir
    Path dir;

    @Test
    void shouldReportLeaksAndUnexpectedErrorsOnlyWhenLogHasThem() throws IOException {
        // given
        Path log = dir.resolve("broker.log");
        Files.write(log, List.of(
                "10:00:00.000 [main] INFO  io.brook.Server - started",
                "10:00:01.000 [io-1] ERROR i.n.util.ResourceLeakDetector - LEAK: ByteBuf.release() was not called",
                "10:00:02.000 [io-1] ERROR io.brook.Net - closing connection: expected trouble",
                "10:00:03.000 [io-1] ERROR io.brook.Log - disk on fire",
                "10:00:04.000 [io-1] WARN  io.brook.Net - answered UNKNOWN_SERVER_ERROR"));

        // when
        List<String> problems = BrokerLogCheck.problems(log, List.of(Pattern.compile("expected trouble")));

        // then
        assertThat(problems).containsExactly(
                "10:00:01.000 [io-1] ERROR i.n.util.ResourceLeakDetector - LEAK: ByteBuf.release() was not called",
                "10:00:03.000 [io-1] ERROR io.brook.Log - disk on fire");
    }

    @Test
    void shouldReportNothingWhenLogIsMissing() {
        assertThat(BrokerLogCheck.problems(dir.resolve("absent.log"), List.of())).isEmpty();
    }
}
