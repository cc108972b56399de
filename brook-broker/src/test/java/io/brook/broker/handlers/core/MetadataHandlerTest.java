package io.brook.broker.handlers.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.apache.kafka.common.Endpoint;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataRequestData.MetadataRequestTopic;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.brook.broker.BrokerContext;
import io.brook.broker.api.RequestContext;
import io.brook.broker.config.BrokerConfig;
import io.brook.broker.testing.FakeLogManager;
import io.brook.broker.testing.InMemoryMetadataStore;
import io.brook.metadata.TopicImage;

class MetadataHandlerTest {

    private final InMemoryMetadataStore store = new InMemoryMetadataStore();
    /** Stands in for the auto-creation thread: {@link #handle} runs what the handler hands over. */
    private final Queue<Runnable> autoCreationTasks = new ArrayDeque<>();

    static Stream<Short> versions() {
        return IntStream.rangeClosed(ApiKeys.METADATA.oldestVersion(), ApiKeys.METADATA.latestVersion())
                .mapToObj(v -> (short) v);
    }

    static Stream<Short> autoCreateFlagVersions() {
        return versions().filter(v -> v >= 4);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void shouldDescribeEveryTopicWhenAllTopicsAreRequested(short version) {
        TopicImage orders = store.createTopic("orders", 2, (short) 1, Map.of());
        store.createTopic("payments", 1, (short) 1, Map.of());

        MetadataResponse response = handle(handler(Map.of()), allTopics(version));

        assertThat(response.clusterId()).isEqualTo(version >= 2 ? "cluster-x" : null);
        assertThat(response.brokers()).singleElement().satisfies(node -> {
            assertThat(node.id()).isEqualTo(7);
            assertThat(node.host()).isEqualTo("internal.example");
            assertThat(node.port()).isEqualTo(19092);
        });
        assertThat(response.topicMetadata()).extracting(MetadataResponse.TopicMetadata::topic)
                .containsExactlyInAnyOrder("orders", "payments");
        MetadataResponse.TopicMetadata topic = response.topicMetadata().stream()
                .filter(t -> t.topic().equals("orders")).findFirst().orElseThrow();
        assertThat(topic.error()).isEqualTo(Errors.NONE);
        if (version >= 10) {
            assertThat(topic.topicId()).isEqualTo(orders.id());
        }
        assertThat(topic.partitionMetadata()).hasSize(2).allSatisfy(partition -> {
            assertThat(partition.leaderId).contains(7);
            assertThat(partition.replicaIds).containsExactly(7);
            assertThat(partition.inSyncReplicaIds).containsExactly(7);
            assertThat(partition.offlineReplicaIds).isEmpty();
        });
    }

    @ParameterizedTest
    @MethodSource("versions")
    void shouldAutoCreateUnknownTopicWhenAllowed(short version) {
        MetadataResponse response = handle(handler(Map.of(BrokerConfig.NUM_PARTITIONS, "4")),
                byName("fresh", true, version));

        assertThat(response.topicMetadata()).singleElement().satisfies(topic -> {
            assertThat(topic.error()).isEqualTo(Errors.NONE);
            assertThat(topic.partitionMetadata()).hasSize(4);
        });
        assertThat(store.image().topic("fresh")).hasValueSatisfying(t -> assertThat(t.partitionCount()).isEqualTo(4));
    }

    @Test
    void shouldCreateTopicsOffTheEventLoopAndAnswerKnownTopicsInline() {
        store.createTopic("orders", 1, (short) 1, Map.of());
        MetadataHandler handler = handler(Map.of());

        CompletableFuture<AbstractResponse> known = handler.handle(context(),
                new MetadataRequest.Builder(List.of("orders"), true).build((short) 12));
        CompletableFuture<AbstractResponse> creating = handler.handle(context(),
                new MetadataRequest.Builder(List.of("orders", "fresh"), true).build((short) 12));

        assertThat(known).isDone();
        assertThat(creating).isNotDone();
        assertThat(store.image().topic("fresh")).isEmpty();
        assertThat(autoCreationTasks).hasSize(1);
        autoCreationTasks.poll().run();
        assertThat(creating).isDone();
        assertThat(((MetadataResponse) creating.join()).errors()).isEmpty();
        assertThat(store.image().topic("fresh")).isPresent();
    }

    @ParameterizedTest
    @MethodSource("autoCreateFlagVersions")
    void shouldAnswerUnknownTopicWhenTheRequestDisallowsCreation(short version) {
        MetadataResponse response = handle(handler(Map.of()),
                new MetadataRequest.Builder(List.of("fresh"), false).build(version));

        assertThat(response.errors()).containsEntry("fresh", Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(store.image().topic("fresh")).isEmpty();
    }

    @Test
    void shouldAnswerUnknownTopicWhenTheBrokerDisablesAutoCreation() {
        MetadataResponse response = handle(handler(Map.of(BrokerConfig.AUTO_CREATE_TOPICS_ENABLE, "false")),
                new MetadataRequest.Builder(List.of("fresh"), true).build((short) 12));

        assertThat(response.errors()).containsEntry("fresh", Errors.UNKNOWN_TOPIC_OR_PARTITION);
    }

    @Test
    void shouldAnswerInvalidTopicWhenTheNameIsIllegal() {
        MetadataResponse response = handle(handler(Map.of()),
                new MetadataRequest.Builder(List.of("bad name!"), true).build((short) 12));

        assertThat(response.errors()).containsEntry("bad name!", Errors.INVALID_TOPIC_EXCEPTION);
    }

    @Test
    void shouldNotAutoCreateInternalTopics() {
        MetadataResponse response = handle(handler(Map.of()),
                new MetadataRequest.Builder(List.of("__consumer_offsets"), true).build((short) 12));

        assertThat(response.errors()).containsEntry("__consumer_offsets", Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(store.image().topicsByName()).isEmpty();
    }

    @Test
    void shouldReportTheCreationErrorWhenAutoCreationFails() {
        MetadataResponse response = handle(handler(Map.of(BrokerConfig.DEFAULT_REPLICATION_FACTOR, "3")),
                new MetadataRequest.Builder(List.of("fresh"), true).build((short) 12));

        assertThat(response.errors()).containsEntry("fresh", Errors.INVALID_REPLICATION_FACTOR);
    }

    @Test
    void shouldDescribeTopicsByIdAndFlagUnknownIds() {
        TopicImage orders = store.createTopic("orders", 1, (short) 1, Map.of());
        Uuid unknown = Uuid.randomUuid();

        MetadataResponse response = handle(handler(Map.of()),
                MetadataRequest.Builder.forTopicIds(Set.of(orders.id(), unknown)).build((short) 12));

        assertThat(response.data().topics()).hasSize(2);
        MetadataResponseTopic known = response.data().topics().stream().filter(t -> orders.id().equals(t.topicId()))
                .findFirst().orElseThrow();
        assertThat(known.name()).isEqualTo("orders");
        assertThat(response.errorsByTopicId()).containsEntry(unknown, Errors.UNKNOWN_TOPIC_ID);
    }

    @Test
    void shouldRejectTopicIdsBeforeVersion12() {
        MetadataRequestData data = new MetadataRequestData().setTopics(List.of(new MetadataRequestTopic()
                .setName("orders").setTopicId(Uuid.randomUuid())));

        assertThatThrownBy(() -> handler(Map.of()).handle(context(), new MetadataRequest(data, (short) 10)))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void shouldGrantEveryOperationWithoutAnAuthorizerWhenAskedFor() {
        store.createTopic("orders", 1, (short) 1, Map.of());
        MetadataRequestData data = new MetadataRequestData().setTopics(null)
                .setIncludeClusterAuthorizedOperations(true).setIncludeTopicAuthorizedOperations(true);

        MetadataResponse response = handle(handler(Map.of()), new MetadataRequest(data, (short) 10));

        assertThat(response.clusterAuthorizedOperations()).isPositive();
        assertThat(response.data().topics().iterator().next().topicAuthorizedOperations()).isPositive();
    }

    /** Built directly: kafka-clients' builder no longer produces v0, which old clients still send. */
    private static MetadataRequest allTopics(short version) {
        return new MetadataRequest(new MetadataRequestData().setTopics(version == 0 ? List.of() : null), version);
    }

    private static MetadataRequest byName(String topic, boolean allowAutoCreation, short version) {
        MetadataRequestData data = new MetadataRequestData()
                .setTopics(List.of(new MetadataRequestTopic().setName(topic)));
        if (version >= 4) {
            data.setAllowAutoTopicCreation(allowAutoCreation);
        }
        return new MetadataRequest(data, version);
    }

    private MetadataHandler handler(Map<String, String> overrides) {
        BrokerConfig config = BrokerConfig.parse(overrides);
        List<Endpoint> endpoints = List.of(
                new Endpoint("PLAINTEXT", SecurityProtocol.PLAINTEXT, "internal.example", 19092));
        return new MetadataHandler(new BrokerContext(config, "cluster-x", 7, endpoints, store,
                new FakeLogManager(List.of()), Time.SYSTEM), autoCreationTasks::add);
    }

    private static RequestContext context() {
        return new RequestContext(new RequestHeader(ApiKeys.METADATA, (short) 12, "test", 1),
                java.net.InetAddress.getLoopbackAddress(), "PLAINTEXT", "test-connection");
    }

    /** Handles, then round-trips the response through kafka-clients' codec at the request's version. */
    private MetadataResponse handle(MetadataHandler handler, MetadataRequest request) {
        CompletableFuture<AbstractResponse> future = handler.handle(context(), request);
        while (!autoCreationTasks.isEmpty()) {
            autoCreationTasks.poll().run();
        }
        AbstractResponse response = future.join();
        MetadataResponse typed = (MetadataResponse) response;
        return MetadataResponse.parse(MessageUtil.toByteBufferAccessor(typed.data(), request.version()),
                request.version());
    }
}
