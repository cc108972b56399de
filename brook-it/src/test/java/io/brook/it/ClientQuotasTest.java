package io.brook.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.it.harness.BrookBroker;
import io.brook.it.harness.BrookTest;
import io.brook.it.harness.ExternalCommand;
import io.brook.it.harness.JavaClients;
import io.brook.it.harness.KafkaTool;

/**
 * Client quotas with real clients: kafka-configs sets and describes user, client-id and default quotas (and, for
 * users, SCRAM credentials beside them, which needs DescribeClientQuotas); a Java
 * producer and consumer over their client-id's byte rate are throttled (the clients' throttle-time metrics) and held
 * near the quota while other client ids are not. Three one-second windows keep the test a few seconds long.
 */
@BrookTest(overrides = {"quota.window.num=3", "quota.window.size.seconds=1"})
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClientQuotasTest {

    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(90);
    private static final String CONFIG_COMMAND = "org.apache.kafka.tools.ConfigCommand";
    private static final int QUOTA = 50_000;
    private static final int RECORD_BYTES = 1000;
    private static final int RECORDS = 300;

    @Test
    void shouldAlterAndDescribeQuotasWhenUsingKafkaConfigs(BrookBroker broker) {
        tool("--bootstrap-server", broker.bootstrapServers(), "--alter", "--add-config",
                "producer_byte_rate=1024,consumer_byte_rate=2048", "--entity-type", "users", "--entity-name", "alice");
        // a default-user quota covers every client of this class's broker (ANONYMOUS): one that is not enforced
        tool("--bootstrap-server", broker.bootstrapServers(), "--alter", "--add-config", "controller_mutation_rate=10",
                "--entity-type", "users", "--entity-default");
        tool("--bootstrap-server", broker.bootstrapServers(), "--alter", "--add-config",
                "SCRAM-SHA-256=[iterations=4096,password=carol-secret]", "--entity-type", "users", "--entity-name",
                "carol");
        tool("--bootstrap-server", broker.bootstrapServers(), "--alter", "--add-config", "producer_byte_rate=4096",
                "--entity-type", "clients", "--entity-name", "cli-app");

        ExternalCommand.Result users = tool("--bootstrap-server", broker.bootstrapServers(), "--describe",
                "--entity-type", "users");
        ExternalCommand.Result client = tool("--bootstrap-server", broker.bootstrapServers(), "--describe",
                "--entity-type", "clients", "--entity-name", "cli-app");

        assertThat(users.stdout()).as(users.describe()).contains("user-principal 'alice'")
                .contains("producer_byte_rate=1024.0").contains("consumer_byte_rate=2048.0")
                .contains("default user-principal").contains("controller_mutation_rate=10.0")
                .contains("user-principal 'carol'").contains("SCRAM-SHA-256=iterations=4096");
        assertThat(client.stdout()).as(client.describe()).contains("client-id 'cli-app'")
                .contains("producer_byte_rate=4096.0");
    }

    @Test
    void shouldThrottleProducerOverItsClientQuotaButNotOthers(BrookBroker broker) throws Exception {
        String topic = JavaClients.uniqueTopic("quota-produce");
        JavaClients.createTopic(broker, topic, 1);
        setClientQuota(broker, "slow-producer", "producer_byte_rate", QUOTA);

        ProduceRun slow = produce(broker, topic, "slow-producer");
        ProduceRun fast = produce(broker, topic, "fast-producer");

        assertThat(slow.throttleMax()).isPositive();
        assertThat(slow.throttleAvg()).isPositive();
        // bytes can run ahead of the quota by the sampled span (at most three windows) and a batch, not more
        assertThat(slow.bytes() / slow.seconds()).isLessThan(QUOTA * 2.5);
        assertThat(fast.throttleMax()).isZero();
    }

    @Test
    void shouldThrottleConsumerOverItsClientQuota(BrookBroker broker) throws Exception {
        String topic = JavaClients.uniqueTopic("quota-fetch");
        JavaClients.createTopic(broker, topic, 1);
        produce(broker, topic, "loader");
        setClientQuota(broker, "slow-consumer", "consumer_byte_rate", QUOTA);

        double slowThrottle = consume(broker, topic, "slow-consumer");
        double fastThrottle = consume(broker, topic, "fast-consumer");

        assertThat(slowThrottle).isPositive();
        assertThat(fastThrottle).isZero();
    }

    @Test
    void shouldDescribeQuotasWhenUsingAdmin(BrookBroker broker) throws Exception {
        try (Admin admin = JavaClients.admin(broker)) {
            ClientQuotaEntity entity = new ClientQuotaEntity(Map.of(ClientQuotaEntity.USER, "bob",
                    ClientQuotaEntity.CLIENT_ID, "bobs-app"));
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(entity,
                    List.of(new ClientQuotaAlteration.Op("request_percentage", 12.5))))).all().get(30,
                            TimeUnit.SECONDS);

            var strict = admin.describeClientQuotas(ClientQuotaFilter.containsOnly(
                    List.of(ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.USER, "bob"),
                            ClientQuotaFilterComponent.ofEntityType(ClientQuotaEntity.CLIENT_ID))))
                    .entities().get(30, TimeUnit.SECONDS);
            var userOnly = admin.describeClientQuotas(ClientQuotaFilter.containsOnly(
                    List.of(ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.USER, "bob"))))
                    .entities().get(30, TimeUnit.SECONDS);

            assertThat(strict).containsEntry(entity, Map.of("request_percentage", 12.5));
            assertThat(userOnly).isEmpty();
        }
    }

    private record ProduceRun(long bytes, double seconds, double throttleAvg, double throttleMax) {
    }

    private static ProduceRun produce(BrookBroker broker, String topic, String clientId) throws Exception {
        String value = "x".repeat(RECORD_BYTES);
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker,
                Map.of(ProducerConfig.CLIENT_ID_CONFIG, clientId, ProducerConfig.BATCH_SIZE_CONFIG, 8192))) {
            long start = System.nanoTime();
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(topic, null, value));
            }
            producer.flush();
            double seconds = (System.nanoTime() - start) / 1e9;
            return new ProduceRun((long) RECORDS * RECORD_BYTES, seconds,
                    metric(producer.metrics(), "produce-throttle-time-avg"),
                    metric(producer.metrics(), "produce-throttle-time-max"));
        }
    }

    /** Reads the whole topic; answers the consumer's fetch-throttle-time-max. */
    private static double consume(BrookBroker broker, String topic, String clientId) {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = JavaClients.consumer(broker,
                Map.of(ConsumerConfig.CLIENT_ID_CONFIG, clientId, ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                        20_000, ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 20_000))) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            int read = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (read < RECORDS && System.nanoTime() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                read += records.count();
            }
            assertThat(read).isEqualTo(RECORDS);
            return metric(consumer.metrics(), "fetch-throttle-time-max");
        }
    }

    private static double metric(Map<MetricName, ? extends Metric> metrics, String name) {
        return metrics.entrySet().stream().filter(e -> e.getKey().name().equals(name))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).filter(v -> !Double.isNaN(v))
                .max().orElse(0);
    }

    private static void setClientQuota(BrookBroker broker, String clientId, String key, double value)
            throws Exception {
        try (Admin admin = JavaClients.admin(broker)) {
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(
                    new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, clientId)),
                    List.of(new ClientQuotaAlteration.Op(key, value))))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static ExternalCommand.Result tool(String... args) {
        ExternalCommand.Result result = KafkaTool.command(CONFIG_COMMAND, args).timeout(TOOL_TIMEOUT).run();
        assertThat(result.succeeded()).as(result.describe()).isTrue();
        return result;
    }
}
