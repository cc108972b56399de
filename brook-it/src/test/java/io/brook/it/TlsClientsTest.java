package io.brook.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.it.harness.ClientPrograms;
import io.brook.it.harness.ExternalCommand;
import io.brook.it.harness.JavaClients;
import io.brook.it.harness.KafkaTool;
import io.brook.it.harness.TestClasspath;
import io.brook.it.harness.TlsBroker;

/**
 * Unmodified clients over mutual TLS ({@code ssl.client.auth=required}) against a broker with a PLAINTEXT and an SSL
 * listener: the Java producer, consumer and Admin, kafka-topics, kcat and confluent-kafka-python (librdkafka) with a
 * client certificate; a client without one is refused; DescribeConfigs hides the TLS passwords.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TlsClientsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static TlsBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = TlsBroker.start(TlsClientsTest.class, "required", List.of());
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldProduceAndConsumeOverTlsWhenJavaClientsPresentCertificates() throws Exception {
        // given
        String topic = JavaClients.uniqueTopic("tls-java");
        JavaClients.createTopic(broker.plaintext(), topic, 1);
        List<String> values = IntStream.range(0, 2_000).mapToObj(i -> "tls-value-" + i).toList();

        // when
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker.plaintext(),
                withSsl(Map.of(ProducerConfig.LINGER_MS_CONFIG, 5)))) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, 0, null, value));
            }
            producer.flush();
        }

        // then the records come back over TLS (file-backed fetch responses are encrypted, not sent with sendfile)
        List<String> read = new java.util.ArrayList<>();
        try (KafkaConsumer<String, String> consumer = JavaClients.consumer(broker.plaintext(), withSsl(Map.of()))) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(List.of(new TopicPartition(topic, 0)));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (read.size() < values.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    read.add(record.value());
                }
            }
        }
        assertThat(read).containsExactlyElementsOf(values);
    }

    @Test
    void shouldRefuseJavaClientWhenItHasNoCertificate() {
        Map<String, Object> config = broker.sslClientConfig(false);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker.plaintext(), config)) {
            assertThatThrownBy(() -> producer.partitionsFor("any-topic")).isInstanceOf(KafkaException.class)
                    .satisfies(e -> assertThat(e).isInstanceOfAny(SslAuthenticationException.class,
                            org.apache.kafka.common.errors.TimeoutException.class));
        }
    }

    @Test
    void shouldRoundTripOverTlsWhenKcatPresentsCertificate() {
        // given
        String kcat = ClientPrograms.kcat();
        String topic = JavaClients.uniqueTopic("tls-kcat");
        JavaClients.createTopic(broker.plaintext(), topic, 1);
        List<String> lines = IntStream.range(0, 500).mapToObj(i -> "k" + i + ":kcat-tls-" + i).toList();

        // when
        ExternalCommand.Result produce = ExternalCommand.of(kcatCommand(kcat, "-P", topic, "-K:", "-X", "acks=all"))
                .stdin(String.join("\n", lines) + "\n").timeout(TIMEOUT).run();
        ExternalCommand.Result consume = ExternalCommand.of(kcatCommand(kcat, "-C", topic, "-o", "beginning", "-e",
                "-q", "-f", "%k:%s\\n")).timeout(TIMEOUT).run();

        // then
        assertThat(produce.succeeded()).as(produce.describe()).isTrue();
        assertThat(consume.succeeded()).as(consume.describe()).isTrue();
        assertThat(consume.stdoutLines()).as(consume.describe()).containsExactlyElementsOf(lines);
    }

    @Test
    void shouldRoundTripOverTlsWhenConfluentKafkaPresentsCertificate() {
        // given
        String python = ClientPrograms.python("confluent_kafka");
        String topic = JavaClients.uniqueTopic("tls-confluent");
        JavaClients.createTopic(broker.plaintext(), topic, 1);

        // when
        ExternalCommand.Result result = ExternalCommand.of(python,
                TestClasspath.resource("clients/confluent_ssl_roundtrip.py").toString(),
                broker.sslBootstrapServers(), topic, "300", broker.pki().caPem().toString(),
                broker.pki().certificatePem(TlsBroker.CLIENT).toString(),
                broker.pki().privateKeyPemFile(TlsBroker.CLIENT).toString()).timeout(TIMEOUT).run();

        // then
        assertThat(result.succeeded()).as(result.describe()).isTrue();
        assertThat(result.stdoutLines()).as(result.describe())
                .containsExactlyElementsOf(IntStream.range(0, 300).mapToObj(i -> "tls-" + i).toList());
    }

    @Test
    void shouldCreateAndDescribeTopicWhenKafkaTopicsToolUsesTls() throws Exception {
        // given a client properties file for the SSL listener with the client certificate
        Path properties = broker.pki().caPem().resolveSibling("client-ssl.properties");
        StringBuilder text = new StringBuilder();
        broker.sslClientConfig(true).forEach((name, value) -> {
            if (!name.equals("bootstrap.servers")) {
                text.append(name).append('=').append(value).append('\n');
            }
        });
        Files.writeString(properties, text);
        String topic = JavaClients.uniqueTopic("tls-cli");

        // when
        ExternalCommand.Result create = KafkaTool.command(KafkaTool.TOPIC_COMMAND, "--bootstrap-server",
                broker.sslBootstrapServers(), "--command-config", properties.toString(), "--create", "--topic", topic,
                "--partitions", "2").timeout(TIMEOUT).run();
        ExternalCommand.Result describe = KafkaTool.command(KafkaTool.TOPIC_COMMAND, "--bootstrap-server",
                broker.sslBootstrapServers(), "--command-config", properties.toString(), "--describe", "--topic",
                topic).timeout(TIMEOUT).run();

        // then
        assertThat(create.succeeded()).as(create.describe()).isTrue();
        assertThat(describe.succeeded()).as(describe.describe()).isTrue();
        assertThat(describe.stdout()).as(describe.describe()).contains("PartitionCount: 2");
    }

    @Test
    void shouldHideTlsPasswordsWhenBrokerConfigsAreDescribed() throws Exception {
        try (Admin admin = Admin.create(withSsl(Map.of()))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.BROKER, "1");
            Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);

            ConfigEntry password = config.get("ssl.truststore.password");
            assertThat(password.isSensitive()).isTrue();
            assertThat(password.value()).isNull();
            assertThat(config.get("ssl.client.auth").value()).isEqualTo("required");
        }
    }

    private static Map<String, Object> withSsl(Map<String, Object> extra) {
        Map<String, Object> config = broker.sslClientConfig(true);
        config.putAll(extra);
        return config;
    }

    private static List<String> kcatCommand(String kcat, String mode, String topic, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(kcat, mode, "-b", broker.sslBootstrapServers(),
                "-t", topic, "-p", "0", "-X", "security.protocol=ssl",
                "-X", "ssl.ca.location=" + broker.pki().caPem(),
                "-X", "ssl.certificate.location=" + broker.pki().certificatePem(TlsBroker.CLIENT),
                "-X", "ssl.key.location=" + broker.pki().privateKeyPemFile(TlsBroker.CLIENT)));
        command.addAll(List.of(args));
        return command;
    }
}
