package io.brook.broker.handlers.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.message.AlterClientQuotasRequestData;
import org.apache.kafka.common.message.AlterClientQuotasResponseData;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterClientQuotasRequest;
import org.apache.kafka.common.requests.AlterClientQuotasResponse;
import org.apache.kafka.common.requests.DescribeClientQuotasRequest;
import org.apache.kafka.common.requests.DescribeClientQuotasResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.brook.broker.api.RequestContext;
import io.brook.broker.testing.ClusterMetadataStore;

class QuotaHandlersTest {

    private final ClusterMetadataStore cluster = new ClusterMetadataStore();
    private final AlterClientQuotasHandler alter = new AlterClientQuotasHandler(cluster.view(1));
    private final DescribeClientQuotasHandler describe = new DescribeClientQuotasHandler(cluster.view(1));

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void shouldStoreValidEntriesAndRefuseInvalidOnesWithInvalidRequest() throws Exception {
        AlterClientQuotasResponseData response = alter(false,
                entry(Map.of("user", "alice"), op("producer_byte_rate", 1024, false)),
                entry(Map.of("user", "bob"), op("nonsense", 1, false)),
                entry(Map.of("ip", "10.0.0.1", "user", "carol"), op("producer_byte_rate", 1, false)));

        assertThat(response.entries()).extracting(AlterClientQuotasResponseData.EntryData::errorCode)
                .containsExactly(Errors.NONE.code(), Errors.INVALID_REQUEST.code(), Errors.INVALID_REQUEST.code());
        assertThat(describe(false, component("user", (byte) 2, null)).entries()).singleElement()
                .satisfies(e -> assertThat(e.values()).singleElement()
                        .satisfies(v -> assertThat(v.value()).isEqualTo(1024.0)));
    }

    @Test
    void shouldStoreNothingWhenValidateOnly() throws Exception {
        AlterClientQuotasResponseData response = alter(true,
                entry(Map.of("client-id", "app"), op("consumer_byte_rate", 10, false)));

        assertThat(response.entries()).singleElement().satisfies(e -> assertThat(e.errorCode()).isZero());
        assertThat(cluster.image().clientQuotas()).isEmpty();
    }

    @Test
    void shouldMatchExactDefaultAndAnyWithStrictness() throws Exception {
        alter(false, entry(Map.of("user", "alice"), op("request_percentage", 5, false)),
                entry(userDefaultClient("app"), op("request_percentage", 6, false)),
                entry(Map.of("client-id", "app"), op("request_percentage", 7, false)));

        assertThat(describe(false, component("client-id", (byte) 0, "app")).entries()).hasSize(2);
        assertThat(describe(true, component("client-id", (byte) 0, "app")).entries()).hasSize(1);
        assertThat(describe(false, component("user", (byte) 1, null)).entries()).hasSize(1);
        assertThat(describe(false, component("user", (byte) 2, null)).entries()).hasSize(2);
        assertThat(describe(false).entries()).hasSize(3);
        assertThat(describe(true).entries()).isEmpty();
    }

    @Test
    void shouldRefuseFiltersKafkaRefuses() throws Exception {
        assertThat(describe(false, component("user", (byte) 2, null), component("user", (byte) 1, null)).errorCode())
                .isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(describe(false, component("ip", (byte) 2, null), component("user", (byte) 1, null)).errorCode())
                .isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(describe(false, component("user", (byte) 1, "alice")).errorCode())
                .isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(describe(false, component("group", (byte) 2, null)).errorCode())
                .isEqualTo(Errors.UNSUPPORTED_VERSION.code());
    }

    @Test
    void shouldRemoveAKeyWhenAskedTo() throws Exception {
        alter(false, entry(Map.of("user", "alice"), op("producer_byte_rate", 1024, false)));
        alter(false, entry(Map.of("user", "alice"), op("producer_byte_rate", 0, true)));

        assertThat(cluster.image().clientQuotas()).isEmpty();
    }

    private static Map<String, String> userDefaultClient(String clientId) {
        Map<String, String> entity = new java.util.HashMap<>();
        entity.put("user", null);
        entity.put("client-id", clientId);
        return entity;
    }

    private static AlterClientQuotasRequestData.OpData op(String key, double value, boolean remove) {
        return new AlterClientQuotasRequestData.OpData().setKey(key).setValue(value).setRemove(remove);
    }

    private static AlterClientQuotasRequestData.EntryData entry(Map<String, String> entity,
            AlterClientQuotasRequestData.OpData... ops) {
        AlterClientQuotasRequestData.EntryData entry = new AlterClientQuotasRequestData.EntryData();
        entity.forEach((type, name) -> entry.entity()
                .add(new AlterClientQuotasRequestData.EntityData().setEntityType(type).setEntityName(name)));
        entry.ops().addAll(List.of(ops));
        return entry;
    }

    private static DescribeClientQuotasRequestData.ComponentData component(String type, byte matchType,
            String match) {
        return new DescribeClientQuotasRequestData.ComponentData().setEntityType(type).setMatchType(matchType)
                .setMatch(match);
    }

    private AlterClientQuotasResponseData alter(boolean validateOnly, AlterClientQuotasRequestData.EntryData... entries)
            throws Exception {
        AlterClientQuotasRequestData data = new AlterClientQuotasRequestData().setValidateOnly(validateOnly)
                .setEntries(List.of(entries));
        short version = ApiKeys.ALTER_CLIENT_QUOTAS.latestVersion();
        return ((AlterClientQuotasResponse) alter.handle(context(ApiKeys.ALTER_CLIENT_QUOTAS, version),
                new AlterClientQuotasRequest(data, version)).get(10, TimeUnit.SECONDS)).data();
    }

    private DescribeClientQuotasResponseData describe(boolean strict,
            DescribeClientQuotasRequestData.ComponentData... components) throws Exception {
        DescribeClientQuotasRequestData data = new DescribeClientQuotasRequestData().setStrict(strict)
                .setComponents(List.of(components));
        short version = ApiKeys.DESCRIBE_CLIENT_QUOTAS.latestVersion();
        return ((DescribeClientQuotasResponse) describe.handle(context(ApiKeys.DESCRIBE_CLIENT_QUOTAS, version),
                new DescribeClientQuotasRequest(data, version)).get(10, TimeUnit.SECONDS)).data();
    }

    private static RequestContext context(ApiKeys key, short version) {
        return new RequestContext(new RequestHeader(key, version, "test", 1), InetAddress.getLoopbackAddress(),
                "PLAINTEXT", "c1");
    }
}
