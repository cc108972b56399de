package io.brook.broker.handlers.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.Endpoint;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.Test;

import io.brook.broker.BrokerContext;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.config.BrokerConfig;
import io.brook.broker.group.ConsumerGroupConfig;
import io.brook.broker.group.assignor.ConsumerGroupAssignor;
import io.brook.broker.replication.PartitionWriter;
import io.brook.broker.testing.FakeLogManager;
import io.brook.broker.testing.InMemoryMetadataStore;
import io.brook.broker.testing.TestPartitionWriter;

/** The consumer group protocol's settings: Kafka's names, defaults and checks, and what they switch on. */
class ConsumerProtocolConfigTest {

    @Test
    void shouldUseKafkasDefaults() {
        ConsumerGroupConfig config = GroupHandlers.consumerGroupConfig(BrokerConfig.parse(Map.of()));

        assertThat(config.enabled()).isTrue();
        assertThat(config.sessionTimeoutMs()).isEqualTo(45_000);
        assertThat(config.heartbeatIntervalMs()).isEqualTo(5_000);
        assertThat(config.maxSize()).isEqualTo(Integer.MAX_VALUE);
        assertThat(config.assignors()).extracting(ConsumerGroupAssignor::name).containsExactly("uniform", "range");
    }

    @Test
    void shouldMapKafkasAssignorClassNamesToBrooksAssignors() {
        ConsumerGroupConfig config = GroupHandlers.consumerGroupConfig(BrokerConfig.parse(Map.of(
                BrokerConfig.GROUP_CONSUMER_ASSIGNORS, "org.apache.kafka.coordinator.group.assignor.RangeAssignor,"
                        + "org.apache.kafka.coordinator.group.assignor.UniformAssignor")));

        assertThat(config.assignors()).extracting(ConsumerGroupAssignor::name).containsExactly("range", "uniform");
    }

    @Test
    void shouldRejectOutOfBoundsTimeoutsAndUnknownAssignors() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of(BrokerConfig.GROUP_CONSUMER_SESSION_TIMEOUT_MS, "1000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("group.consumer.session.timeout.ms");
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of(BrokerConfig.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, "100")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("group.consumer.heartbeat.interval.ms");
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of(BrokerConfig.GROUP_CONSUMER_ASSIGNORS, "sticky")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("group.consumer.assignors");
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of(BrokerConfig.GROUP_CONSUMER_MIGRATION_POLICY, "sideways")))
                .isInstanceOf(ConfigException.class);
        assertThat(BrokerConfig.notActedOn()).contains(BrokerConfig.GROUP_CONSUMER_MIGRATION_POLICY);
    }

    @Test
    void shouldNotServeTheConsumerProtocolApisWhenOnlyClassicIsConfigured() {
        assertThat(apiKeys(Map.of())).contains(ApiKeys.CONSUMER_GROUP_HEARTBEAT, ApiKeys.CONSUMER_GROUP_DESCRIBE);
        assertThat(apiKeys(Map.of(BrokerConfig.GROUP_COORDINATOR_REBALANCE_PROTOCOLS, "classic")))
                .contains(ApiKeys.JOIN_GROUP)
                .doesNotContain(ApiKeys.CONSUMER_GROUP_HEARTBEAT, ApiKeys.CONSUMER_GROUP_DESCRIBE);
    }

    private static List<ApiKeys> apiKeys(Map<String, String> props) {
        BrokerContext context = new BrokerContext(BrokerConfig.parse(props), "cluster", 1,
                List.of(new Endpoint("PLAINTEXT", SecurityProtocol.PLAINTEXT, "localhost", 9092)),
                new InMemoryMetadataStore(), new FakeLogManager(List.of()), Time.SYSTEM);
        context.services().register(PartitionWriter.class, new TestPartitionWriter(context.logManager()));
        try (GroupHandlers handlers = GroupHandlers.create(context)) {
            return handlers.handlers().stream().map(ApiHandler::apiKey).toList();
        }
    }
}
