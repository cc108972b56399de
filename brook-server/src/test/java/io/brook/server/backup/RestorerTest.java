package io.brook.server.backup;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.brook.broker.config.BrokerConfig;

class RestorerTest {

    @TempDir
    Path dir;

    @Test
    void shouldRefuseLogDirsHoldingRecordsBeforeStartingTheBroker() throws IOException {
        Files.createDirectories(dir.resolve("orders-0"));
        Files.write(dir.resolve("orders-0/00000000000000000000.log"), new byte[100]);

        assertThatThrownBy(() -> Restorer.refuseIfLogDirsHoldData(List.of(dir.toString())))
                .hasMessageContaining("Refusing to restore").hasMessageContaining("orders-0");
    }

    @Test
    void shouldAcceptMissingAndEmptyLogDirsAndEmptyLogs() throws IOException {
        Files.createDirectories(dir.resolve("empty-0"));
        Files.createFile(dir.resolve("empty-0/00000000000000000000.log"));
        Files.createDirectories(dir.resolve("__cluster_metadata"));
        Files.writeString(dir.resolve("meta.properties"), "version=1\n");

        assertThatCode(() -> Restorer.refuseIfLogDirsHoldData(List.of(dir.toString(),
                dir.resolve("missing").toString()))).doesNotThrowAnyException();
    }

    @Test
    void shouldMoveKafkaListenersToAnEphemeralLoopbackPortAndKeepControllerListeners() {
        BrokerConfig config = BrokerConfig.parse(Map.of("listeners", "PLAINTEXT://:9092,CONTROLLER://localhost:9093",
                "advertised.listeners", "PLAINTEXT://broker.example.com:9092"));

        BrokerConfig isolated = Restorer.isolated(config);

        org.assertj.core.api.Assertions.assertThat(isolated.listeners())
                .containsExactly("PLAINTEXT://localhost:0", "CONTROLLER://localhost:9093");
    }
}
