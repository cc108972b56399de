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
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterConfigsRequest;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;
import org.apache.kafka.common.requests.IncrementalAlterConfigsResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BrokerLoggerHandlersTest {

    private static final byte BROKER_LOGGER = ConfigResource.Type.BROKER_LOGGER.id();

    @RegisterExtension
    final AdminTestContext node = new AdminTestContext();

    @Test
    void shouldDescribeEveryLoggerWithItsEffectiveLevel() throws Exception {
        DescribeConfigsResult result = describe("1");

        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.configs()).extracting(DescribeConfigsResourceResult::name)
                .containsExactlyInAnyOrder("root", "io.brook", "io.brook.broker");
        DescribeConfigsResourceResult broker = result.configs().stream()
                .filter(c -> c.name().equals("io.brook.broker")).findFirst().orElseThrow();
        assertThat(broker.value()).isEqualTo("INFO");
        assertThat(broker.configSource()).isEqualTo(ConfigSource.DYNAMIC_BROKER_LOGGER_CONFIG.id());
        assertThat(broker.readOnly()).isFalse();
    }

    @Test
    void shouldRefuseDescribeOfAnotherNodeOrNoNode() throws Exception {
        assertThat(describe("2").errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(describe("").errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
    }

    @Test
    void shouldSetThenDeleteALevelSoThatTheLoggerInheritsAgain() throws Exception {
        assertThat(alter(false, op("io.brook", "DEBUG", AlterConfigOp.OpType.SET)).errorCode())
                .isEqualTo(Errors.NONE.code());
        assertThat(node.loggerLevels.levels()).containsEntry("io.brook", "DEBUG")
                .containsEntry("io.brook.broker", "DEBUG").containsEntry("root", "INFO");

        assertThat(alter(false, op("io.brook", null, AlterConfigOp.OpType.DELETE)).errorCode())
                .isEqualTo(Errors.NONE.code());
        assertThat(node.loggerLevels.levels()).containsEntry("io.brook", "INFO")
                .containsEntry("io.brook.broker", "INFO");
    }

    @Test
    void shouldChangeNothingOnValidateOnly() throws Exception {
        assertThat(alter(true, op("root", "TRACE", AlterConfigOp.OpType.SET)).errorCode())
                .isEqualTo(Errors.NONE.code());

        assertThat(node.loggerLevels.levels()).containsEntry("root", "INFO");
    }

    @Test
    void shouldRefuseWhatKafkaRefuses() throws Exception {
        assertThat(alter(false, op("root", null, AlterConfigOp.OpType.DELETE)).errorCode())
                .isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(alter(false, op("io.brook", "LOUD", AlterConfigOp.OpType.SET)).errorCode())
                .isEqualTo(Errors.INVALID_CONFIG.code());
        assertThat(alter(false, op("no.such.logger", "DEBUG", AlterConfigOp.OpType.SET)).errorCode())
                .isEqualTo(Errors.INVALID_CONFIG.code());
        assertThat(alter(false, op("io.brook", "DEBUG", AlterConfigOp.OpType.APPEND)).errorCode())
                .isEqualTo(Errors.INVALID_REQUEST.code());
        // One bad change refuses the whole resource: the valid SET before it is not applied.
        assertThat(alter(false, op("io.brook", "DEBUG", AlterConfigOp.OpType.SET),
                op("root", null, AlterConfigOp.OpType.DELETE)).errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());

        assertThat(node.loggerLevels.levels()).containsEntry("io.brook", "INFO");
    }

    @Test
    void shouldRefuseBrokerLoggerInLegacyAlterConfigs() throws Exception {
        AlterConfigsResponse response = node.call(new AlterConfigsRequest.Builder(Map.of(
                new ConfigResource(ConfigResource.Type.BROKER_LOGGER, "1"),
                new AlterConfigsRequest.Config(List.of(new AlterConfigsRequest.ConfigEntry("io.brook", "DEBUG")))),
                false).build(ApiKeys.ALTER_CONFIGS.latestVersion()));

        assertThat(response.errors().values()).allMatch(e -> e.error() == Errors.INVALID_REQUEST);
        assertThat(node.loggerLevels.levels()).containsEntry("io.brook", "INFO");
    }

    private DescribeConfigsResult describe(String name) throws Exception {
        DescribeConfigsResponse response = node.call(new DescribeConfigsRequest.Builder(
                new DescribeConfigsRequestData().setResources(List.of(new DescribeConfigsResource()
                        .setResourceType(BROKER_LOGGER).setResourceName(name).setConfigurationKeys(null))))
                .build(ApiKeys.DESCRIBE_CONFIGS.latestVersion()));
        return response.data().results().get(0);
    }

    private AlterConfigsResourceResponse alter(boolean validateOnly, AlterableConfig... configs) throws Exception {
        AlterableConfigCollection collection = new AlterableConfigCollection();
        for (AlterableConfig config : configs) {
            collection.add(config);
        }
        AlterConfigsResourceCollection resources = new AlterConfigsResourceCollection();
        resources.add(new AlterConfigsResource().setResourceType(BROKER_LOGGER).setResourceName("1")
                .setConfigs(collection));
        IncrementalAlterConfigsResponse response = node.call(new IncrementalAlterConfigsRequest.Builder(
                new IncrementalAlterConfigsRequestData().setResources(resources).setValidateOnly(validateOnly))
                .build(ApiKeys.INCREMENTAL_ALTER_CONFIGS.latestVersion()));
        return response.data().responses().get(0);
    }

    private static AlterableConfig op(String name, String value, AlterConfigOp.OpType op) {
        return new AlterableConfig().setName(name).setValue(value).setConfigOperation(op.id());
    }
}
