package io.brook.broker.handlers.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableReplicaAssignment;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableReplicaAssignmentCollection;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicCollection;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicConfig;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicConfigCollection;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicConfigs;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CreateTopicsHandlerTest {

    @RegisterExtension
    final AdminTestContext node = new AdminTestContext(Map.of("num.partitions", "3", "log.segment.bytes", "2000000"));

    static List<Short> versions() {
        return ApiKeys.CREATE_TOPICS.allVersions();
    }

    @ParameterizedTest
    @MethodSource("versions")
    void shouldCreateTopicWithBrokerDefaultsAtEveryVersion(short version) throws Exception {
        // Defaults (-1) exist from v4; older clients must name the counts.
        int partitions = version >= 4 ? -1 : 3;
        short replicationFactor = version >= 4 ? (short) -1 : (short) 1;
        CreateTopicsResponse response = node.call(request(version, false,
                topic("orders", partitions, replicationFactor).setConfigs(configs("retention.ms", "1000"))));

        CreatableTopicResult result = response.data().topics().find("orders");
        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        var created = node.metadata.image().topic("orders").orElseThrow();
        assertThat(created.partitionCount()).isEqualTo(3);
        assertThat(created.configs()).containsOnly(Map.entry("retention.ms", "1000"));
        if (version >= 5) {
            assertThat(result.numPartitions()).isEqualTo(3);
            assertThat(result.replicationFactor()).isEqualTo((short) 1);
            assertThat(config(result, "retention.ms").value()).isEqualTo("1000");
            assertThat(config(result, "retention.ms").configSource())
                    .isEqualTo(ConfigSource.TOPIC_CONFIG.id());
            assertThat(config(result, "segment.bytes").value()).isEqualTo("2000000");
            assertThat(config(result, "segment.bytes").configSource())
                    .isEqualTo(ConfigSource.STATIC_BROKER_CONFIG.id());
            assertThat(config(result, "cleanup.policy").configSource()).isEqualTo(ConfigSource.DEFAULT_CONFIG.id());
        }
        if (version >= 7) {
            assertThat(result.topicId()).isEqualTo(created.id());
        }
    }

    @Test
    void shouldAnswerEachTopicWithItsOwnError() throws Exception {
        node.metadata.createTopic("exists", 1, (short) 1, Map.of());

        CreateTopicsResponse response = node.call(request(ApiKeys.CREATE_TOPICS.latestVersion(), false,
                topic("exists", 1, (short) 1),
                topic("bad name!", 1, (short) 1),
                topic("replicated", 1, (short) 3),
                topic("zero", 0, (short) 1),
                topic("badconfig", 1, (short) 1).setConfigs(configs("retention.ms", "soon")),
                topic("unknownconfig", 1, (short) 1).setConfigs(configs("no.such", "1")),
                topic("good", 2, (short) 1)));

        assertThat(error(response, "exists")).isEqualTo(Errors.TOPIC_ALREADY_EXISTS);
        assertThat(error(response, "bad name!")).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
        assertThat(error(response, "replicated")).isEqualTo(Errors.INVALID_REPLICATION_FACTOR);
        assertThat(error(response, "zero")).isEqualTo(Errors.INVALID_PARTITIONS);
        assertThat(error(response, "badconfig")).isEqualTo(Errors.INVALID_CONFIG);
        assertThat(response.data().topics().find("badconfig").errorMessage()).contains("retention.ms");
        assertThat(error(response, "unknownconfig")).isEqualTo(Errors.INVALID_CONFIG);
        assertThat(error(response, "good")).isEqualTo(Errors.NONE);
        assertThat(node.metadata.image().topicsByName()).containsOnlyKeys("exists", "good");
    }

    @Test
    void shouldValidateWithoutCreatingWhenValidateOnly() throws Exception {
        CreateTopicsResponse response = node.call(request(ApiKeys.CREATE_TOPICS.latestVersion(), true,
                topic("t", 4, (short) 1)));

        CreatableTopicResult result = response.data().topics().find("t");
        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.numPartitions()).isEqualTo(4);
        assertThat(result.topicId()).isEqualTo(Uuid.ZERO_UUID);
        assertThat(node.metadata.image().topicsByName()).isEmpty();
    }

    @Test
    void shouldAcceptManualAssignmentNamingOnlyThisNode() throws Exception {
        CreateTopicsResponse response = node.call(request(ApiKeys.CREATE_TOPICS.latestVersion(), false,
                topic("manual", -1, (short) -1).setAssignments(assignments(List.of(1), List.of(1))),
                topic("elsewhere", -1, (short) -1).setAssignments(assignments(List.of(2))),
                topic("mixed", 2, (short) -1).setAssignments(assignments(List.of(1)))));

        assertThat(error(response, "manual")).isEqualTo(Errors.NONE);
        assertThat(node.metadata.image().topic("manual").orElseThrow().partitionCount()).isEqualTo(2);
        assertThat(error(response, "elsewhere")).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
        assertThat(error(response, "mixed")).isEqualTo(Errors.INVALID_REQUEST);
    }

    private static Errors error(CreateTopicsResponse response, String topic) {
        return Errors.forCode(response.data().topics().find(topic).errorCode());
    }

    private static CreatableTopicConfigs config(CreatableTopicResult result, String name) {
        return result.configs().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    static CreateTopicsRequest request(short version, boolean validateOnly, CreatableTopic... topics) {
        CreatableTopicCollection collection = new CreatableTopicCollection();
        for (CreatableTopic topic : topics) {
            collection.add(topic);
        }
        return new CreateTopicsRequest.Builder(new CreateTopicsRequestData().setTopics(collection)
                .setValidateOnly(validateOnly).setTimeoutMs(30_000)).build(version);
    }

    static CreatableTopic topic(String name, int partitions, short replicationFactor) {
        return new CreatableTopic().setName(name).setNumPartitions(partitions)
                .setReplicationFactor(replicationFactor);
    }

    private static CreatableTopicConfigCollection configs(String name, String value) {
        CreatableTopicConfigCollection configs = new CreatableTopicConfigCollection();
        configs.add(new CreatableTopicConfig().setName(name).setValue(value));
        return configs;
    }

    @SafeVarargs
    private static CreatableReplicaAssignmentCollection assignments(List<Integer>... replicas) {
        CreatableReplicaAssignmentCollection collection = new CreatableReplicaAssignmentCollection();
        for (int i = 0; i < replicas.length; i++) {
            collection.add(new CreatableReplicaAssignment().setPartitionIndex(i).setBrokerIds(replicas[i]));
        }
        return collection;
    }
}
