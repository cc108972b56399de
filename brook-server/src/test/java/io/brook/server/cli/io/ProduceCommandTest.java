package io.brook.server.cli.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import io.brook.server.cli.CliContext;
import io.brook.server.cli.KafkaClients;

import picocli.CommandLine;

/** {@code brook produce} with a mock producer: parsing lines, keys, headers, options into client settings. */
class ProduceCommandTest {

    private final Map<String, Object> config = new HashMap<>();
    private MockProducer<byte[], byte[]> producer;
    private final StringWriter err = new StringWriter();

    private int produce(String stdin, boolean autoComplete, String... args) {
        producer = new MockProducer<>(autoComplete, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        KafkaClients clients = new KafkaClients() {
            @Override
            public Admin admin(Map<String, Object> c) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Producer<byte[], byte[]> producer(Map<String, Object> c) {
                config.putAll(c);
                return producer;
            }

            @Override
            public Consumer<byte[], byte[]> consumer(Map<String, Object> c) {
                throw new UnsupportedOperationException();
            }
        };
        CommandLine cli = new CommandLine(new ProduceCommand(new CliContext(Map.of(), clients,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), false)));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void shouldSplitKeysAndAddHeadersWhenGivenASeparator() {
        int exit = produce("a=>1\nplain\n", true, "t", "--key-separator", "=>", "--header", "h=v", "--partition",
                "0");

        assertThat(exit).as(err.toString()).isZero();
        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertThat(sent).hasSize(2);
        assertThat(new String(sent.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("a");
        assertThat(new String(sent.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("1");
        assertThat(sent.get(1).key()).isNull();
        assertThat(new String(sent.get(1).value(), StandardCharsets.UTF_8)).isEqualTo("plain");
        assertThat(sent.get(0).partition()).isZero();
        assertThat(new String(sent.get(0).headers().lastHeader("h").value(), StandardCharsets.UTF_8))
                .isEqualTo("v");
        assertThat(err.toString()).startsWith("produced 2 records to 't': partition 0 offsets 0-1");
    }

    @Test
    void shouldPassAcksCompressionAndOverridesToTheProducer() {
        int exit = produce("", true, "t", "--acks", "1", "--compression", "zstd", "-X", "linger.ms=50",
                "--bootstrap-server", "h:1");

        assertThat(exit).as(err.toString()).isZero();
        assertThat(config).containsEntry("acks", "1").containsEntry("compression.type", "zstd")
                .containsEntry("linger.ms", "50").containsEntry("bootstrap.servers", "h:1");
        assertThat(err.toString()).startsWith("produced 0 records to 't'");
    }

    @Test
    void shouldExitOneAndNameTheErrorWhenASendFails() {
        int exit = produceFailing("x\n");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("1 record failed: broker said no");
    }

    private int produceFailing(String stdin) {
        StringWriter errors = err;
        MockProducer<byte[], byte[]> failing = new MockProducer<>(false, null,
                new ByteArraySerializer(), new ByteArraySerializer()) {
            @Override
            public synchronized java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> send(
                    ProducerRecord<byte[], byte[]> record, org.apache.kafka.clients.producer.Callback callback) {
                var future = super.send(record, callback);
                errorNext(new RuntimeException("broker said no"));
                return future;
            }
        };
        KafkaClients clients = new KafkaClients() {
            @Override
            public Admin admin(Map<String, Object> c) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Producer<byte[], byte[]> producer(Map<String, Object> c) {
                return failing;
            }

            @Override
            public Consumer<byte[], byte[]> consumer(Map<String, Object> c) {
                throw new UnsupportedOperationException();
            }
        };
        CommandLine cli = new CommandLine(new ProduceCommand(new CliContext(Map.of(), clients,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), false)));
        cli.setErr(new PrintWriter(errors));
        return cli.execute("t", "--partition", "0");
    }
}
