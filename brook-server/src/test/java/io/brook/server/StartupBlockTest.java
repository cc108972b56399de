package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.brook.broker.config.BrokerConfig;

class StartupBlockTest {

    @Test
    void shouldPrintVersionNodeListenersDirsClusterAndConsole() {
        BrokerConfig config = BrokerConfig.parse(Map.of("node.id", "3", "log.dirs", "/var/lib/brook/a,/var/lib/brook/b",
                "metadata.log.dir", "/var/lib/brook/meta",
                "listeners", "PLAINTEXT://localhost:9092,INTERNAL://localhost:9094,CONTROLLER://localhost:9093",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT"));

        String text = StartupBlock.text(config, "1.2.3", 42, "PLAINTEXT://localhost:9092, INTERNAL://localhost:9094",
                "abcdefghijklmnopqrstuv", List.of("http://localhost:8080"), List.of("do something"));

        assertThat(text).isEqualTo("""
                Brook started in 42 ms, listening on PLAINTEXT://localhost:9092, INTERNAL://localhost:9094
                  Version:      1.2.3
                  Node:         3 (broker and controller)
                  Cluster id:   abcdefghijklmnopqrstuv
                  Listeners:    PLAINTEXT (PLAINTEXT), INTERNAL (PLAINTEXT), CONTROLLER (metadata quorum, port 9093)
                  Log dirs:     /var/lib/brook/a, /var/lib/brook/b
                  Metadata dir: /var/lib/brook/meta
                  Console:      http://localhost:8080
                  Metrics:      http://localhost:8080/metrics
                  WARNING: do something
                """);
    }

    @Test
    void shouldShowTheQuorumListenerAndNoConsoleOnAControllerOnlyNode() {
        BrokerConfig config = BrokerConfig.parse(Map.of("process.roles", "controller", "node.id", "1",
                "controller.quorum.voters", "1@localhost:9093", "listeners", "CONTROLLER://localhost:9093",
                "listener.security.protocol.map", "CONTROLLER:PLAINTEXT", "log.dirs", "/var/lib/brook"));

        String text = StartupBlock.text(config, "1", 1, "", "c", List.of("http://localhost:8080"), List.of());

        assertThat(text).contains("Node:         1 (controller)")
                .contains("Listeners:    CONTROLLER (metadata quorum, port 9093)")
                .contains("HTTP:         http://localhost:8080 (health and metrics)").doesNotContain("Console");
    }

    @Test
    void shouldSayConsoleIsOffWithoutHttpListeners() {
        BrokerConfig config = BrokerConfig.parse(Map.of("http.listeners", "", "log.dirs", "/var/lib/brook"));

        String text = StartupBlock.text(config, "1", 1, "x", null, List.of(), List.of());

        assertThat(text).contains("Cluster id:   (unknown)").contains("Console:      off (http.listeners is empty)")
                .doesNotContain("Metrics").doesNotContain("WARNING");
    }

    @Test
    void shouldWarnAboutOpenPlaintextTmpDirsAndReplicationFactorOnOneNode() {
        BrokerConfig config = BrokerConfig.parse(Map.of("listeners",
                "PLAINTEXT://0.0.0.0:9092,CONTROLLER://localhost:9093", "log.dirs", "/tmp/brook",
                "default.replication.factor", "3"));

        List<String> warnings = StartupWarnings.of(config, path -> Optional.of("ext4"));

        assertThat(warnings).hasSize(3);
        assertThat(warnings.get(0)).contains("PLAINTEXT").contains("anyone on the network can read and write")
                .contains("authorizer.class.name");
        assertThat(warnings.get(1)).contains("/tmp/brook").contains("log.dirs");
        assertThat(warnings.get(2)).contains("default.replication.factor is 3").contains("set it to 1");
    }

    @Test
    void shouldWarnAboutTmpfsAndNothingForALoopbackNodeOnDisk() {
        BrokerConfig onTmpfs = BrokerConfig.parse(Map.of("log.dirs", "/data/brook"));
        BrokerConfig quiet = BrokerConfig.parse(Map.of("log.dirs", "/data/brook"));

        assertThat(StartupWarnings.of(onTmpfs, path -> path.equals(Path.of("/data/brook"))
                ? Optional.of("tmpfs")
                : Optional.empty())).singleElement().asString().contains("tmpfs");
        assertThat(StartupWarnings.of(quiet, path -> Optional.of("ext4"))).isEmpty();
    }
}
