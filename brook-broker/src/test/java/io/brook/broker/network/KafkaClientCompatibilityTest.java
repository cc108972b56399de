package io.brook.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.brook.broker.config.BrokerConfig;
import io.brook.broker.testing.TestBroker;

/** The unmodified Java client negotiates versions (ApiVersions) and reads metadata (Metadata) from the broker. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KafkaClientCompatibilityTest {

    @TempDir
    Path dir;
    private TestBroker broker;

    @BeforeEach
    void startBroker() throws IOException {
        broker = TestBroker.start(dir, Map.of(BrokerConfig.NUM_PARTITIONS, "3"), List.of());
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    @Test
    void shouldAutoCreateTopicWhenProducerAsksForItsPartitions() {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000"), new StringSerializer(), new StringSerializer())) {

            List<PartitionInfo> partitions = producer.partitionsFor("auto-created");

            assertThat(partitions).hasSize(3).allSatisfy(partition -> {
                assertThat(partition.leader().id()).isEqualTo(1);
                assertThat(partition.leader().host()).isEqualTo("localhost");
                assertThat(partition.leader().port()).isEqualTo(broker.port());
                assertThat(partition.inSyncReplicas()).hasSize(1);
            });
            assertThat(broker.metadata().image().topic("auto-created")).isPresent();
        }
    }

    @Test
    void shouldListTopicsThroughAdminClient() throws Exception {
        broker.metadata().createTopic("listed", 2, (short) 1, Map.of());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000"))) {

            assertThat(admin.listTopics().names().get(20, TimeUnit.SECONDS)).containsExactly("listed");
            assertThat(admin.describeTopics(List.of("listed")).allTopicNames().get(20, TimeUnit.SECONDS)
                    .get("listed").partitions()).hasSize(2);
        }
    }
}
