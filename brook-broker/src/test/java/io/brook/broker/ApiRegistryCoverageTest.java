package io.brook.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import org.apache.kafka.common.Endpoint;
import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.config.BrokerConfig;
import io.brook.broker.handlers.core.CoreHandlers;
import io.brook.broker.registry.ApiRegistry;
import io.brook.broker.testing.FakeLogManager;
import io.brook.broker.testing.InMemoryMetadataStore;

/**
 * Habit 7 over the registry the broker really builds ({@link Broker#registerHandlers}): every advertised version has
 * a handler, every handler is advertised, and each handler's declared range lies within kafka-clients' range.
 *
 * <p>The families are {@link Broker#STANDARD_FAMILIES}, the ones {@code Broker.start} runs; {@link #EXPECTED} is the
 * list of APIs we mean to serve, so adding or losing a handler is a deliberate change to this test.
 */
class ApiRegistryCoverageTest {

    private static final Set<ApiKeys> EXPECTED = EnumSet.of(ApiKeys.API_VERSIONS, ApiKeys.METADATA,
            ApiKeys.PRODUCE, ApiKeys.FETCH, ApiKeys.LIST_OFFSETS, ApiKeys.OFFSET_FOR_LEADER_EPOCH,
            ApiKeys.INIT_PRODUCER_ID, ApiKeys.DELETE_RECORDS, ApiKeys.WRITE_TXN_MARKERS,
            ApiKeys.CREATE_TOPICS, ApiKeys.DELETE_TOPICS, ApiKeys.CREATE_PARTITIONS, ApiKeys.DESCRIBE_CONFIGS,
            ApiKeys.ALTER_CONFIGS, ApiKeys.INCREMENTAL_ALTER_CONFIGS, ApiKeys.DESCRIBE_CLUSTER,
            ApiKeys.DESCRIBE_LOG_DIRS, ApiKeys.FIND_COORDINATOR, ApiKeys.JOIN_GROUP, ApiKeys.SYNC_GROUP,
            ApiKeys.HEARTBEAT, ApiKeys.LEAVE_GROUP, ApiKeys.OFFSET_COMMIT, ApiKeys.OFFSET_FETCH,
            ApiKeys.DESCRIBE_GROUPS, ApiKeys.LIST_GROUPS, ApiKeys.DELETE_GROUPS, ApiKeys.OFFSET_DELETE,
            ApiKeys.ELECT_LEADERS, ApiKeys.ALTER_PARTITION_REASSIGNMENTS, ApiKeys.LIST_PARTITION_REASSIGNMENTS,
            ApiKeys.CONSUMER_GROUP_HEARTBEAT, ApiKeys.CONSUMER_GROUP_DESCRIBE, ApiKeys.DESCRIBE_QUORUM,
            ApiKeys.ADD_PARTITIONS_TO_TXN, ApiKeys.ADD_OFFSETS_TO_TXN, ApiKeys.END_TXN, ApiKeys.DESCRIBE_TRANSACTIONS,
            ApiKeys.LIST_TRANSACTIONS, ApiKeys.TXN_OFFSET_COMMIT, ApiKeys.SASL_HANDSHAKE, ApiKeys.SASL_AUTHENTICATE,
            ApiKeys.ALTER_USER_SCRAM_CREDENTIALS, ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS, ApiKeys.CREATE_ACLS,
            ApiKeys.DESCRIBE_ACLS, ApiKeys.DELETE_ACLS, ApiKeys.DESCRIBE_CLIENT_QUOTAS, ApiKeys.ALTER_CLIENT_QUOTAS);

    private static final BrokerContext CONTEXT = new BrokerContext(BrokerConfig.parse(Map.of()), "cluster", 1,
            List.of(new Endpoint("PLAINTEXT", SecurityProtocol.PLAINTEXT, "localhost", 9092)),
            new InMemoryMetadataStore(), new FakeLogManager(List.of()), Time.SYSTEM);
    private static final List<HandlerFamily> FAMILIES = Stream
            .concat(Stream.<Function<BrokerContext, HandlerFamily>>of(CoreHandlers::create),
                    Broker.STANDARD_FAMILIES.stream())
            .map(factory -> factory.apply(CONTEXT))
            .toList();
    private static final ApiRegistry REGISTRY = Broker.registerHandlers(new ApiRegistry(), FAMILIES);

    @AfterAll
    static void closeFamilies() {
        FAMILIES.forEach(HandlerFamily::close);
    }

    @ParameterizedTest
    @EnumSource(ApiKeys.class)
    void shouldAdvertiseExactlyTheApisWithAHandler(ApiKeys key) {
        assertThat(REGISTRY.advertisedRange(key).isPresent()).isEqualTo(REGISTRY.handler(key).isPresent());
        assertThat(REGISTRY.handler(key).isPresent()).as("expected handler set").isEqualTo(EXPECTED.contains(key));
    }

    @ParameterizedTest
    @EnumSource(ApiKeys.class)
    void shouldKeepEveryHandlerWithinKafkaClientsRange(ApiKeys key) {
        REGISTRY.handler(key).ifPresent(handler -> {
            assertThat(handler.minVersion()).isGreaterThanOrEqualTo(key.oldestVersion());
            assertThat(handler.maxVersion()).isLessThanOrEqualTo(key.latestVersion());
            assertThat(key.inScope(ApiMessageType.ListenerType.BROKER)).as("broker API").isTrue();
        });
    }

    @ParameterizedTest
    @EnumSource(ApiKeys.class)
    void shouldAdvertiseOnlyStableVersionsAcceptedByTheHandler(ApiKeys key) {
        REGISTRY.advertisedRange(key).ifPresent(range -> {
            ApiHandler<?> handler = REGISTRY.handler(key).orElseThrow();
            assertThat(range.maxVersion()).isEqualTo((short) Math.min(handler.maxVersion(), key.latestVersion(false)));
            short expectedMin = key == ApiKeys.PRODUCE
                    ? ApiKeys.PRODUCE_API_VERSIONS_RESPONSE_MIN_VERSION
                    : (short) Math.max(handler.minVersion(), key.oldestVersion());
            assertThat(range.minVersion()).isEqualTo(expectedMin);
            for (short v = range.minVersion(); v <= range.maxVersion(); v++) {
                boolean producePreV3 = key == ApiKeys.PRODUCE && v < 3;
                assertThat(REGISTRY.accepts(key, v)).as("%s v%d accepted", key, v).isEqualTo(!producePreV3);
            }
        });
    }
}
