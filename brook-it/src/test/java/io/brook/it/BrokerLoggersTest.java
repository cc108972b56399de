package io.brook.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.it.harness.BrookBroker;
import io.brook.it.harness.BrookTest;
import io.brook.it.harness.ExternalCommand;
import io.brook.it.harness.JavaClients;
import io.brook.it.harness.KafkaTool;
import io.brook.it.harness.RawKafkaConnection;

/**
 * Logger levels at runtime through kafka-configs' broker-loggers entity (KIP-412): describe, raise io.brook.broker to
 * DEBUG and see a DEBUG line of the broker in its log, then delete the level so it inherits INFO again.
 */
@BrookTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BrokerLoggersTest {

    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(90);
    private static final String CONFIG_COMMAND = "org.apache.kafka.tools.ConfigCommand";

    @Test
    void shouldDescribeAlterAndDeleteLoggerLevelsWhenUsingKafkaConfigs(BrookBroker broker) throws Exception {
        String nodeId;
        try (Admin admin = JavaClients.admin(broker)) {
            nodeId = admin.describeCluster().controller().get(30, TimeUnit.SECONDS).idString();
        }

        ExternalCommand.Result before = tool(broker, nodeId, "--describe");
        assertThat(before.stdout()).as(before.describe()).contains("root=INFO").contains("io.brook.broker=INFO");

        tool(broker, nodeId, "--alter", "--add-config", "io.brook.broker=DEBUG");
        ExternalCommand.Result raised = tool(broker, nodeId, "--describe");
        assertThat(raised.stdout()).as(raised.describe()).contains("io.brook.broker=DEBUG")
                .contains("io.brook.broker.network.KafkaConnectionHandler=DEBUG").contains("root=INFO");

        // A frame with an unknown API key closes the connection; the handler says why at DEBUG.
        try (RawKafkaConnection connection = RawKafkaConnection.open("localhost", broker.port())) {
            connection.sendRaw(ByteBuffer.allocate(12).putInt(8).putShort((short) 0x7F7F).putShort((short) 0)
                    .putInt(1).array());
            assertThat(connection.isClosedByPeer()).isTrue();
        }
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> log(broker).matches("(?s).*DEBUG .*Malformed request on connection.*"));

        tool(broker, nodeId, "--alter", "--delete-config", "io.brook.broker");
        ExternalCommand.Result after = tool(broker, nodeId, "--describe");
        assertThat(after.stdout()).as(after.describe()).contains("io.brook.broker=INFO");
    }

    private static String log(BrookBroker broker) {
        try {
            return Files.readString(broker.logFile(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ExternalCommand.Result tool(BrookBroker broker, String nodeId, String... action) {
        String[] args = new String[action.length + 6];
        System.arraycopy(new String[]{"--bootstrap-server", broker.bootstrapServers(), "--entity-type",
                "broker-loggers", "--entity-name", nodeId}, 0, args, 0, 6);
        System.arraycopy(action, 0, args, 6, action.length);
        ExternalCommand.Result result = KafkaTool.command(CONFIG_COMMAND, args).timeout(TOOL_TIMEOUT).run();
        assertThat(result.succeeded()).as(result.describe()).isTrue();
        return result;
    }
}
