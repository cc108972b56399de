package io.brook.broker.handlers.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.brook.broker.api.ApiHandler;

class AdminHandlersTest {

    @RegisterExtension
    final AdminTestContext node = new AdminTestContext();

    @Test
    void shouldRegisterOneHandlerPerAdminApiWithinKafkaClientsVersionRange() {
        assertThat(node.family.handlers()).extracting(ApiHandler::apiKey).containsExactlyInAnyOrder(
                ApiKeys.CREATE_TOPICS, ApiKeys.DELETE_TOPICS, ApiKeys.CREATE_PARTITIONS,
                ApiKeys.DESCRIBE_CONFIGS, ApiKeys.ALTER_CONFIGS, ApiKeys.INCREMENTAL_ALTER_CONFIGS,
                ApiKeys.DESCRIBE_CLUSTER, ApiKeys.DESCRIBE_LOG_DIRS, ApiKeys.ELECT_LEADERS,
                ApiKeys.ALTER_PARTITION_REASSIGNMENTS, ApiKeys.LIST_PARTITION_REASSIGNMENTS, ApiKeys.DESCRIBE_QUORUM);
        for (ApiHandler<?> handler : node.family.handlers()) {
            assertThat(handler.minVersion()).isEqualTo(handler.apiKey().oldestVersion());
            assertThat(handler.maxVersion()).isEqualTo(handler.apiKey().latestVersion());
        }
    }
}
