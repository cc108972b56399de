package io.brook.broker.handlers.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfigCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterConfigsRequest;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;
import org.apache.kafka.common.requests.IncrementalAlterConfigsResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigHandlersTest {

    private static final byte TOPIC = ConfigResource.Type.TOPIC.id();
    private static final byte BROKER = ConfigResource.Type.BROKER.id();

    @RegisterExtension
    final AdminTestContext node = new AdminTestContext(Map.of("message.max.bytes", "2000000"));

    @BeforeEach
    void start() {
        node.metadata.createTopic("t", 1, (short) 1, Map.of("retention.ms", "1000"));
    }

    static List<Short> describeVersions() {
        return ApiKeys.DESCRIBE_CONFIGS.allVersions();
    }

    @ParameterizedTest
    @MethodSource("describeVersions")
    void shouldDescribeTopicConfigsWithSources(short version) throws Exception {
        DescribeConfigsResult result = describe(version, TOPIC, "t", null, true, true);

        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        DescribeConfigsResourceResult retention = entry(result, "retention.ms");
        assertThat(retention.value()).isEqualTo("1000");
        assertThat(retention.configSource()).isEqualTo(ConfigSource.TOPIC_CONFIG.id());
        assertThat(retention.readOnly()).isFalse();
        assertThat(retention.synonyms()).extracting(s -> s.name()).startsWith("retention.ms").contains(
                "log.retention.ms");
        DescribeConfigsResourceResult maxMessage = entry(result, "max.message.bytes");
        assertThat(maxMessage.value()).isEqualTo("2000000");
        assertThat(maxMessage.configSource()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG.id());
        if (version >= 3) {
            assertThat(retention.configType()).isEqualTo(ConfigType.LONG.id());
            assertThat(retention.documentation()).isNotBlank();
        }
    }

    @Test
    void shouldFilterByConfigNamesAndOmitSynonymsUnlessAsked() throws Exception {
        DescribeConfigsResult result = describe(ApiKeys.DESCRIBE_CONFIGS.latestVersion(), TOPIC, "t",
                List.of("cleanup.policy", "no.such"), false, false);

        assertThat(result.configs()).extracting(DescribeConfigsResourceResult::name)
                .containsExactly("cleanup.policy");
        assertThat(result.configs().get(0).synonyms()).isEmpty();
        assertThat(result.configs().get(0).documentation()).isNull();
    }

    @Test
    void shouldAnswerUnknownTopicAndForeignBroker() throws Exception {
        short version = ApiKeys.DESCRIBE_CONFIGS.latestVersion();
        assertThat(describe(version, TOPIC, "missing", null, false, false).errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(describe(version, BROKER, "2", null, false, false).errorCode())
                .isEqualTo(Errors.INVALID_REQUEST.code());
    }

    @Test
    void shouldDescribeBrokerConfigsMarkingReadOnlyOnes() throws Exception {
        node.metadata.alterBrokerConfigs(Map.of("log.retention.ms", java.util.Optional.of("5000")), false, false);

        DescribeConfigsResult node1 = describe(ApiKeys.DESCRIBE_CONFIGS.latestVersion(), BROKER, "1", null, true,
                true);
        DescribeConfigsResult cluster = describe(ApiKeys.DESCRIBE_CONFIGS.latestVersion(), BROKER, "", null,
                false, false);

        assertThat(entry(node1, "num.partitions").readOnly()).isTrue();
        assertThat(entry(node1, "num.partitions").configSource()).isEqualTo(ConfigSource.DEFAULT_CONFIG.id());
        assertThat(entry(node1, "message.max.bytes").value()).isEqualTo("2000000");
        assertThat(entry(node1, "message.max.bytes").configSource())
                .isEqualTo(ConfigSource.STATIC_BROKER_CONFIG.id());
        assertThat(entry(node1, "message.max.bytes").readOnly()).isFalse();
        assertThat(entry(node1, "log.retention.ms").value()).isEqualTo("5000");
        assertThat(entry(node1, "log.retention.ms").configSource())
                .isEqualTo(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG.id());
        assertThat(cluster.configs()).extracting(DescribeConfigsResourceResult::name)
                .containsExactly("log.retention.ms");
    }

    @Test
    void shouldReplaceAllTopicOverridesWithLegacyAlterConfigs() throws Exception {
        for (short version : ApiKeys.ALTER_CONFIGS.allVersions()) {
            AlterConfigsResponse response = node.call(new AlterConfigsRequest.Builder(Map.of(
                    new ConfigResource(ConfigResource.Type.TOPIC, "t"),
                    new AlterConfigsRequest.Config(List.of(new AlterConfigsRequest.ConfigEntry("segment.ms",
                            "1000" + version)))),
                    false).build(version));

            assertThat(response.errors().values()).allMatch(e -> e.error() == Errors.NONE);
            assertThat(node.metadata.image().topic("t").orElseThrow().configs())
                    .containsOnly(Map.entry("segment.ms", "1000" + version));
        }
    }

    @Test
    void shouldApplyIncrementalOperations() throws Exception {
        IncrementalAlterConfigsResponse response = incremental(false, resource(TOPIC, "t",
                op("segment.ms", "5000", AlterConfigOp.OpType.SET),
                op("retention.ms", null, AlterConfigOp.OpType.DELETE),
                op("cleanup.policy", "compact", AlterConfigOp.OpType.APPEND)));

        assertThat(errors(response)).containsOnly(Map.entry("t", Errors.NONE));
        assertThat(node.metadata.image().topic("t").orElseThrow().configs()).containsOnly(
                Map.entry("segment.ms", "5000"), Map.entry("cleanup.policy", "delete,compact"));

        incremental(false, resource(TOPIC, "t", op("cleanup.policy", "delete", AlterConfigOp.OpType.SUBTRACT)));
        assertThat(node.metadata.image().topic("t").orElseThrow().configs())
                .containsEntry("cleanup.policy", "compact");
    }

    @Test
    void shouldReportPerResourceErrorsAndKeepStateOnValidateOnly() throws Exception {
        IncrementalAlterConfigsResponse response = incremental(true,
                resource(TOPIC, "t", op("segment.ms", "7", AlterConfigOp.OpType.SET)),
                resource(TOPIC, "missing", op("segment.ms", "7", AlterConfigOp.OpType.SET)),
                resource(TOPIC, "t2", op("no.such", "7", AlterConfigOp.OpType.SET)),
                resource(BROKER, "1", op("num.partitions", "7", AlterConfigOp.OpType.SET)),
                resource(BROKER, "9", op("log.retention.ms", "7", AlterConfigOp.OpType.SET)),
                resource(BROKER, "", op("log.retention.ms", "7", AlterConfigOp.OpType.SET)));

        Map<String, Errors> errors = errors(response);
        assertThat(errors).containsEntry("t", Errors.NONE)
                .containsEntry("missing", Errors.UNKNOWN_TOPIC_OR_PARTITION)
                .containsEntry("1", Errors.INVALID_REQUEST)
                .containsEntry("9", Errors.INVALID_REQUEST)
                .containsEntry("", Errors.NONE);
        assertThat(node.metadata.image().topic("t").orElseThrow().configs())
                .containsOnly(Map.entry("retention.ms", "1000"));
        assertThat(node.metadata.image().brokerConfigs()).isEmpty();
    }

    @Test
    void shouldRejectUnknownTopicConfigAndListOpsOnScalars() throws Exception {
        IncrementalAlterConfigsResponse unknown = incremental(false,
                resource(TOPIC, "t", op("no.such", "7", AlterConfigOp.OpType.SET)));
        IncrementalAlterConfigsResponse appendScalar = incremental(false,
                resource(TOPIC, "t", op("retention.ms", "7", AlterConfigOp.OpType.APPEND)));

        assertThat(errors(unknown)).containsEntry("t", Errors.INVALID_CONFIG);
        assertThat(errors(appendScalar)).containsEntry("t", Errors.INVALID_CONFIG);
    }

    private DescribeConfigsResult describe(short version, byte type, String name, List<String> keys,
            boolean synonyms, boolean documentation) throws Exception {
        DescribeConfigsResponse response = node.call(new DescribeConfigsRequest.Builder(
                new DescribeConfigsRequestData()
                        .setResources(List.of(new DescribeConfigsResource().setResourceType(type)
                                .setResourceName(name).setConfigurationKeys(keys)))
                        .setIncludeSynonyms(synonyms)
                        .setIncludeDocumentation(documentation && version >= 3))
                .build(version));
        return response.data().results().get(0);
    }

    private static DescribeConfigsResourceResult entry(DescribeConfigsResult result, String name) {
        return result.configs().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    private IncrementalAlterConfigsResponse incremental(boolean validateOnly, AlterConfigsResource... resources)
            throws Exception {
        AlterConfigsResourceCollection collection = new AlterConfigsResourceCollection();
        for (AlterConfigsResource resource : resources) {
            collection.add(resource);
        }
        return node.call(new IncrementalAlterConfigsRequest.Builder(new IncrementalAlterConfigsRequestData()
                .setResources(collection).setValidateOnly(validateOnly))
                .build(ApiKeys.INCREMENTAL_ALTER_CONFIGS.latestVersion()));
    }

    private static AlterConfigsResource resource(byte type, String name, AlterableConfig... configs) {
        AlterableConfigCollection collection = new AlterableConfigCollection();
        for (AlterableConfig config : configs) {
            collection.add(config);
        }
        return new AlterConfigsResource().setResourceType(type).setResourceName(name).setConfigs(collection);
    }

    private static AlterableConfig op(String name, String value, AlterConfigOp.OpType op) {
        return new AlterableConfig().setName(name).setValue(value).setConfigOperation(op.id());
    }

    private static Map<String, Errors> errors(IncrementalAlterConfigsResponse response) {
        Map<String, Errors> errors = new java.util.HashMap<>();
        response.data().responses().forEach(r -> errors.put(r.resourceName(), Errors.forCode(r.errorCode())));
        return errors;
    }
}
