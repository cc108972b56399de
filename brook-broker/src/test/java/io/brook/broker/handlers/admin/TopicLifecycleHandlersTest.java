package io.brook.broker.handlers.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsAssignment;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsTopic;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsTopicCollection;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData.DeleteTopicState;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreatePartitionsRequest;
import org.apache.kafka.common.requests.CreatePartitionsResponse;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.DeleteTopicsResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TopicLifecycleHandlersTest {

    @RegisterExtension
    final AdminTestContext node = new AdminTestContext();

    static List<Short> deleteVersions() {
        return ApiKeys.DELETE_TOPICS.allVersions();
    }

    static List<Short> createPartitionsVersions() {
        return ApiKeys.CREATE_PARTITIONS.allVersions();
    }

    @ParameterizedTest
    @MethodSource("deleteVersions")
    void shouldDeleteTopicsByName(short version) throws Exception {
        Uuid id = node.metadata.createTopic("t", 1, (short) 1, Map.of()).id();
        DeleteTopicsRequestData data = version >= 6
                ? new DeleteTopicsRequestData().setTopics(List.of(new DeleteTopicState().setName("t"),
                        new DeleteTopicState().setName("missing")))
                : new DeleteTopicsRequestData().setTopicNames(List.of("t", "missing"));

        DeleteTopicsResponse response = node.call(new DeleteTopicsRequest.Builder(data).build(version));

        assertThat(response.data().responses().find("t").errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.data().responses().find("missing").errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        if (version >= 6) {
            assertThat(response.data().responses().find("t").topicId()).isEqualTo(id);
        }
        assertThat(node.metadata.image().topicsByName()).isEmpty();
    }

    @Test
    void shouldDeleteTopicsById() throws Exception {
        Uuid id = node.metadata.createTopic("t", 1, (short) 1, Map.of()).id();
        Uuid unknown = Uuid.randomUuid();

        DeleteTopicsResponse response = node.call(new DeleteTopicsRequest.Builder(new DeleteTopicsRequestData()
                .setTopics(List.of(new DeleteTopicState().setTopicId(id),
                        new DeleteTopicState().setTopicId(unknown))))
                .build(ApiKeys.DELETE_TOPICS.latestVersion()));

        List<DeletableTopicResult> results = List.copyOf(response.data().responses());
        assertThat(results).extracting(DeletableTopicResult::topicId).containsExactly(id, unknown);
        assertThat(results.get(0).name()).isEqualTo("t");
        assertThat(results.get(0).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(results.get(1).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
        assertThat(node.metadata.image().topicsByName()).isEmpty();
    }

    @Test
    void shouldRefuseDeletionWhenDisabled() throws Exception {
        node.restart(Map.of("delete.topic.enable", "false"));
        node.metadata.createTopic("t", 1, (short) 1, Map.of());

        DeleteTopicsResponse response = node.call(new DeleteTopicsRequest.Builder(new DeleteTopicsRequestData()
                .setTopicNames(List.of("t"))).build((short) 5));

        assertThat(response.data().responses().find("t").errorCode())
                .isEqualTo(Errors.TOPIC_DELETION_DISABLED.code());
        assertThat(node.metadata.image().topic("t")).isPresent();
    }

    @ParameterizedTest
    @MethodSource("createPartitionsVersions")
    void shouldOnlyIncreasePartitions(short version) throws Exception {
        node.metadata.createTopic("t", 2, (short) 1, Map.of());
        node.metadata.createTopic("u", 2, (short) 1, Map.of());

        CreatePartitionsResponse response = node.call(createPartitions(version, false,
                new CreatePartitionsTopic().setName("t").setCount(4),
                new CreatePartitionsTopic().setName("u").setCount(1),
                new CreatePartitionsTopic().setName("missing").setCount(3)));

        assertThat(errorOf(response, "t")).isEqualTo(Errors.NONE);
        assertThat(errorOf(response, "u")).isEqualTo(Errors.INVALID_PARTITIONS);
        assertThat(errorOf(response, "missing")).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(node.metadata.image().topic("t").orElseThrow().partitionCount()).isEqualTo(4);
        assertThat(node.metadata.image().topic("u").orElseThrow().partitionCount()).isEqualTo(2);
    }

    @Test
    void shouldCheckAssignmentsAndHonourValidateOnly() throws Exception {
        node.metadata.createTopic("t", 1, (short) 1, Map.of());
        short version = ApiKeys.CREATE_PARTITIONS.latestVersion();

        CreatePartitionsResponse wrongBroker = node.call(createPartitions(version, false,
                new CreatePartitionsTopic().setName("t").setCount(2)
                        .setAssignments(List.of(new CreatePartitionsAssignment().setBrokerIds(List.of(9))))));
        CreatePartitionsResponse validated = node.call(createPartitions(version, true,
                new CreatePartitionsTopic().setName("t").setCount(2)
                        .setAssignments(List.of(new CreatePartitionsAssignment().setBrokerIds(List.of(1))))));

        assertThat(errorOf(wrongBroker, "t")).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
        assertThat(errorOf(validated, "t")).isEqualTo(Errors.NONE);
        assertThat(node.metadata.image().topic("t").orElseThrow().partitionCount()).isEqualTo(1);
    }

    private static Errors errorOf(CreatePartitionsResponse response, String topic) {
        return response.data().results().stream().filter(r -> r.name().equals(topic))
                .map(r -> Errors.forCode(r.errorCode())).findFirst().orElseThrow();
    }

    private static CreatePartitionsRequest createPartitions(short version, boolean validateOnly,
            CreatePartitionsTopic... topics) {
        CreatePartitionsTopicCollection collection = new CreatePartitionsTopicCollection();
        for (CreatePartitionsTopic topic : topics) {
            collection.add(topic);
        }
        return new CreatePartitionsRequest.Builder(new CreatePartitionsRequestData().setTopics(collection)
                .setValidateOnly(validateOnly).setTimeoutMs(1000)).build(version);
    }
}
