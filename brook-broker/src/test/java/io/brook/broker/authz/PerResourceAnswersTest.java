package io.brook.broker.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.CreatePartitionsRequest;
import org.apache.kafka.common.requests.CreatePartitionsResponse;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.DeleteGroupsRequest;
import org.apache.kafka.common.requests.DeleteGroupsResponse;
import org.apache.kafka.common.requests.DeleteRecordsRequest;
import org.apache.kafka.common.requests.DeleteRecordsResponse;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.DeleteTopicsResponse;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.DescribeGroupsRequest;
import org.apache.kafka.common.requests.DescribeGroupsResponse;
import org.apache.kafka.common.requests.DescribeTransactionsRequest;
import org.apache.kafka.common.requests.DescribeTransactionsResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.TxnOffsetCommitRequest;
import org.apache.kafka.common.requests.TxnOffsetCommitResponse;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.ConnectionSession;
import io.brook.broker.api.RequestContext;
import io.brook.broker.testing.InMemoryMetadataStore;
import io.brook.metadata.AclEntry;
import io.brook.metadata.MetadataImage;

/**
 * The APIs Kafka answers per resource, through {@link RequestGate}: the handler (an echo answering NONE for whatever
 * it is asked) sees only the authorized resources, and the refused ones come back with their own error.
 */
class PerResourceAnswersTest {

    private static final KafkaPrincipal ALICE = new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "alice");

    private final AclAuthorizer authorizer = new AclAuthorizer(Set.of("User:admin"), false);
    private final Authorization authorization = new Authorization(authorizer);
    private final RequestChecks checks = new RequestChecks(authorization, new InMemoryMetadataStore());

    @Test
    void shouldCommitOffsetsOfAuthorizedTopicsAndRefuseTheOthersOneByOne() {
        allow(ResourceType.GROUP, "g", AclOperation.READ);
        allow(ResourceType.TOPIC, "mine", AclOperation.READ);
        Echo<OffsetCommitRequest> handler = new Echo<>(ApiKeys.OFFSET_COMMIT, request -> {
            OffsetCommitResponseData data = new OffsetCommitResponseData();
            request.data().topics()
                    .forEach(t -> data.topics().add(new OffsetCommitResponseData.OffsetCommitResponseTopic()
                            .setName(t.name()).setPartitions(new ArrayList<>(List.of(
                                    new OffsetCommitResponseData.OffsetCommitResponsePartition()
                                            .setPartitionIndex(0))))));
            return new OffsetCommitResponse(data);
        });
        OffsetCommitRequestData data = new OffsetCommitRequestData().setGroupId("g");
        for (String topic : List.of("mine", "theirs")) {
            data.topics().add(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(topic).setPartitions(
                    new ArrayList<>(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                            .setPartitionIndex(0).setCommittedOffset(5)))));
        }

        OffsetCommitResponse response = (OffsetCommitResponse) handle(handler,
                new OffsetCommitRequest(data, (short) 8));

        assertThat(handler.asked).extracting(r -> r.data().topics().size()).containsExactly(1);
        assertThat(response.data().topics().stream().collect(Collectors.toMap(
                OffsetCommitResponseData.OffsetCommitResponseTopic::name, t -> t.partitions().get(0).errorCode())))
                .isEqualTo(Map.of("mine", Errors.NONE.code(), "theirs", Errors.TOPIC_AUTHORIZATION_FAILED.code()));
    }

    @Test
    void shouldNotCallTheHandlerWhenEveryTopicOfATxnOffsetCommitIsRefused() {
        allow(ResourceType.GROUP, "g", AclOperation.READ);
        allow(ResourceType.TRANSACTIONAL_ID, "tx", AclOperation.WRITE);
        Echo<TxnOffsetCommitRequest> handler = new Echo<>(ApiKeys.TXN_OFFSET_COMMIT,
                request -> new TxnOffsetCommitResponse(new TxnOffsetCommitResponseData()));
        TxnOffsetCommitRequestData data = new TxnOffsetCommitRequestData().setGroupId("g").setTransactionalId("tx");
        data.topics().add(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic().setName("theirs")
                .setPartitions(new ArrayList<>(List.of(
                        new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition().setPartitionIndex(3)))));

        TxnOffsetCommitResponse response = (TxnOffsetCommitResponse) handle(handler,
                new TxnOffsetCommitRequest(data, (short) 4));

        assertThat(handler.asked).isEmpty();
        assertThat(response.data().topics()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("theirs");
            assertThat(t.partitions().get(0).partitionIndex()).isEqualTo(3);
            assertThat(t.partitions().get(0).errorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        });
    }

    @Test
    void shouldDescribeAuthorizedGroupsAndAnswerTheOthersGroupAuthorizationFailed() {
        allow(ResourceType.GROUP, "mine", AclOperation.DESCRIBE);
        Echo<DescribeGroupsRequest> handler = new Echo<>(ApiKeys.DESCRIBE_GROUPS, request -> {
            DescribeGroupsResponseData data = new DescribeGroupsResponseData();
            request.data().groups().forEach(g -> data.groups().add(
                    new DescribeGroupsResponseData.DescribedGroup().setGroupId(g).setGroupState("Stable")));
            return new DescribeGroupsResponse(data);
        });

        DescribeGroupsResponse response = (DescribeGroupsResponse) handle(handler, new DescribeGroupsRequest.Builder(
                new DescribeGroupsRequestData().setGroups(new ArrayList<>(List.of("mine", "theirs")))
                        .setIncludeAuthorizedOperations(true))
                .build((short) 5));

        assertThat(handler.asked).extracting(r -> r.data().groups()).containsExactly(List.of("mine"));
        assertThat(response.data().groups().stream().collect(Collectors.toMap(
                DescribeGroupsResponseData.DescribedGroup::groupId,
                DescribeGroupsResponseData.DescribedGroup::errorCode)))
                .isEqualTo(Map.of("mine", Errors.NONE.code(), "theirs", Errors.GROUP_AUTHORIZATION_FAILED.code()));
        assertThat(response.data().groups().get(1).authorizedOperations())
                .isEqualTo(DescribeGroupsResponse.AUTHORIZED_OPERATIONS_OMITTED);
    }

    @Test
    void shouldDeleteAuthorizedGroupsAndRefuseTheOthersOnce() {
        allow(ResourceType.GROUP, "mine", AclOperation.DELETE);
        Echo<DeleteGroupsRequest> handler = new Echo<>(ApiKeys.DELETE_GROUPS, request -> {
            DeleteGroupsResponseData data = new DeleteGroupsResponseData();
            request.data().groupsNames().forEach(g -> data.results()
                    .add(new DeleteGroupsResponseData.DeletableGroupResult().setGroupId(g)));
            return new DeleteGroupsResponse(data);
        });

        DeleteGroupsResponse response = (DeleteGroupsResponse) handle(handler, new DeleteGroupsRequest(
                new DeleteGroupsRequestData().setGroupsNames(new ArrayList<>(List.of("mine", "theirs", "theirs"))),
                (short) 2));

        assertThat(response.errors()).isEqualTo(Map.of("mine", Errors.NONE, "theirs",
                Errors.GROUP_AUTHORIZATION_FAILED));
        assertThat(response.data().results()).hasSize(2);
    }

    @Test
    void shouldCreateAuthorizedTopicsAndHideConfigsWithoutDescribeConfigs() {
        allow(ResourceType.TOPIC, "visible", AclOperation.CREATE);
        allow(ResourceType.TOPIC, "visible", AclOperation.DESCRIBE_CONFIGS);
        allow(ResourceType.TOPIC, "hidden", AclOperation.CREATE);
        Echo<CreateTopicsRequest> handler = new Echo<>(ApiKeys.CREATE_TOPICS, request -> {
            CreateTopicsResponseData data = new CreateTopicsResponseData();
            request.data().topics().forEach(t -> data.topics().add(new CreateTopicsResponseData.CreatableTopicResult()
                    .setName(t.name()).setNumPartitions(3).setReplicationFactor((short) 1)
                    .setConfigs(new ArrayList<>(List.of(new CreateTopicsResponseData.CreatableTopicConfigs()
                            .setName("cleanup.policy").setValue("delete"))))));
            return new CreateTopicsResponse(data);
        });
        CreateTopicsRequestData data = new CreateTopicsRequestData();
        for (String topic : List.of("visible", "hidden", "refused")) {
            data.topics().add(new CreateTopicsRequestData.CreatableTopic().setName(topic).setNumPartitions(3)
                    .setReplicationFactor((short) 1));
        }

        CreateTopicsResponse response = (CreateTopicsResponse) handle(handler,
                new CreateTopicsRequest(data, (short) 7));

        assertThat(handler.asked).singleElement().satisfies(r -> assertThat(r.data().topics())
                .extracting(CreateTopicsRequestData.CreatableTopic::name).containsExactly("visible", "hidden"));
        CreateTopicsResponseData answer = response.data();
        assertThat(answer.topics().find("visible").configs()).hasSize(1);
        assertThat(answer.topics().find("visible").numPartitions()).isEqualTo(3);
        assertThat(answer.topics().find("hidden").errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(answer.topics().find("hidden").configs()).isEmpty();
        assertThat(answer.topics().find("hidden").numPartitions()).isEqualTo(-1);
        assertThat(answer.topics().find("hidden").topicConfigErrorCode())
                .isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        assertThat(answer.topics().find("refused").errorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
    }

    @Test
    void shouldDeleteAuthorizedTopicsAndRefuseTheOthersOneByOne() {
        allow(ResourceType.TOPIC, "mine", AclOperation.DELETE);
        Echo<DeleteTopicsRequest> handler = new Echo<>(ApiKeys.DELETE_TOPICS, request -> {
            DeleteTopicsResponseData data = new DeleteTopicsResponseData();
            request.data().topicNames().forEach(t -> data.responses()
                    .add(new DeleteTopicsResponseData.DeletableTopicResult().setName(t)));
            return new DeleteTopicsResponse(data);
        });

        DeleteTopicsResponse response = (DeleteTopicsResponse) handle(handler, new DeleteTopicsRequest.Builder(
                new DeleteTopicsRequestData().setTopicNames(new ArrayList<>(List.of("mine", "theirs"))))
                .build((short) 5));

        assertThat(handler.asked).extracting(r -> r.data().topicNames()).containsExactly(List.of("mine"));
        assertThat(response.data().responses().find("mine").errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.data().responses().find("theirs").errorCode())
                .isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
    }

    @Test
    void shouldDescribeAuthorizedConfigResourcesAndRefuseEachOtherWithItsOwnError() {
        allow(ResourceType.TOPIC, "mine", AclOperation.DESCRIBE_CONFIGS);
        Echo<DescribeConfigsRequest> handler = new Echo<>(ApiKeys.DESCRIBE_CONFIGS, request -> {
            DescribeConfigsResponseData data = new DescribeConfigsResponseData();
            request.data().resources()
                    .forEach(r -> data.results().add(new DescribeConfigsResponseData.DescribeConfigsResult()
                            .setResourceType(r.resourceType()).setResourceName(r.resourceName())));
            return new DescribeConfigsResponse(data);
        });
        DescribeConfigsRequestData data = new DescribeConfigsRequestData();
        data.resources().add(resource(ConfigResource.Type.TOPIC, "mine"));
        data.resources().add(resource(ConfigResource.Type.TOPIC, "theirs"));
        data.resources().add(resource(ConfigResource.Type.BROKER, "1"));

        DescribeConfigsResponse response = (DescribeConfigsResponse) handle(handler,
                new DescribeConfigsRequest(data, (short) 4));

        assertThat(response.data().results().stream().collect(Collectors.toMap(
                DescribeConfigsResponseData.DescribeConfigsResult::resourceName,
                DescribeConfigsResponseData.DescribeConfigsResult::errorCode)))
                .isEqualTo(Map.of("mine", Errors.NONE.code(), "theirs", Errors.TOPIC_AUTHORIZATION_FAILED.code(),
                        "1", Errors.CLUSTER_AUTHORIZATION_FAILED.code()));
    }

    @Test
    void shouldFindCoordinatorsOfAuthorizedKeysAndRefuseTheOthersInABatch() {
        allow(ResourceType.GROUP, "mine", AclOperation.DESCRIBE);
        Echo<FindCoordinatorRequest> handler = new Echo<>(ApiKeys.FIND_COORDINATOR, request -> {
            FindCoordinatorResponseData data = new FindCoordinatorResponseData();
            request.data().coordinatorKeys().forEach(k -> data.coordinators().add(
                    new FindCoordinatorResponseData.Coordinator().setKey(k).setNodeId(1).setHost("h").setPort(9)));
            return new FindCoordinatorResponse(data);
        });

        FindCoordinatorResponse response = (FindCoordinatorResponse) handle(handler,
                new FindCoordinatorRequest.Builder(new FindCoordinatorRequestData()
                        .setKeyType(FindCoordinatorRequest.CoordinatorType.GROUP.id())
                        .setCoordinatorKeys(new ArrayList<>(List.of("mine", "theirs")))).build((short) 4));

        assertThat(response.data().coordinators()).extracting(FindCoordinatorResponseData.Coordinator::key,
                FindCoordinatorResponseData.Coordinator::errorCode, FindCoordinatorResponseData.Coordinator::nodeId)
                .containsExactlyInAnyOrder(tuple("mine", Errors.NONE.code(), 1),
                        tuple("theirs", Errors.GROUP_AUTHORIZATION_FAILED.code(), -1));
    }

    @Test
    void shouldDescribeAuthorizedTransactionsShowingOnlyDescribableTopics() {
        allow(ResourceType.TRANSACTIONAL_ID, "mine", AclOperation.DESCRIBE);
        allow(ResourceType.TOPIC, "seen", AclOperation.DESCRIBE);
        Echo<DescribeTransactionsRequest> handler = new Echo<>(ApiKeys.DESCRIBE_TRANSACTIONS, request -> {
            DescribeTransactionsResponseData data = new DescribeTransactionsResponseData();
            request.data().transactionalIds().forEach(id -> {
                DescribeTransactionsResponseData.TransactionState state = new DescribeTransactionsResponseData.TransactionState()
                        .setTransactionalId(id)
                        .setTransactionState("Ongoing");
                state.topics().add(new DescribeTransactionsResponseData.TopicData().setTopic("seen"));
                state.topics().add(new DescribeTransactionsResponseData.TopicData().setTopic("unseen"));
                data.transactionStates().add(state);
            });
            return new DescribeTransactionsResponse(data);
        });

        DescribeTransactionsResponse response = (DescribeTransactionsResponse) handle(handler,
                new DescribeTransactionsRequest.Builder(new DescribeTransactionsRequestData()
                        .setTransactionalIds(new ArrayList<>(List.of("mine", "theirs")))).build((short) 0));

        List<DescribeTransactionsResponseData.TransactionState> states = response.data().transactionStates();
        assertThat(states).extracting(DescribeTransactionsResponseData.TransactionState::transactionalId,
                DescribeTransactionsResponseData.TransactionState::errorCode)
                .containsExactly(tuple("mine", Errors.NONE.code()),
                        tuple("theirs",
                                Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code()));
        assertThat(states.get(0).topics()).extracting(DescribeTransactionsResponseData.TopicData::topic)
                .containsExactly("seen");
    }

    @Test
    void shouldAddPartitionsToAuthorizedTopicsAndRefuseTheOthersOneByOne() {
        allow(ResourceType.TOPIC, "mine", AclOperation.ALTER);
        Echo<CreatePartitionsRequest> handler = new Echo<>(ApiKeys.CREATE_PARTITIONS, request -> {
            CreatePartitionsResponseData data = new CreatePartitionsResponseData();
            request.data().topics().forEach(t -> data.results()
                    .add(new CreatePartitionsResponseData.CreatePartitionsTopicResult().setName(t.name())));
            return new CreatePartitionsResponse(data);
        });
        CreatePartitionsRequestData data = new CreatePartitionsRequestData().setTimeoutMs(1000);
        for (String topic : List.of("mine", "theirs")) {
            data.topics().add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName(topic).setCount(3));
        }

        CreatePartitionsResponse response = (CreatePartitionsResponse) handle(handler,
                new CreatePartitionsRequest.Builder(data).build((short) 3));

        assertThat(handler.asked).extracting(r -> r.data().topics().size()).containsExactly(1);
        assertThat(response.data().results()).extracting(CreatePartitionsResponseData.CreatePartitionsTopicResult::name,
                CreatePartitionsResponseData.CreatePartitionsTopicResult::errorCode)
                .containsExactly(tuple("mine", Errors.NONE.code()),
                        tuple("theirs", Errors.TOPIC_AUTHORIZATION_FAILED.code()));
    }

    @Test
    void shouldNotCallTheHandlerWhenEveryTopicOfADeleteRecordsIsRefused() {
        Echo<DeleteRecordsRequest> handler = new Echo<>(ApiKeys.DELETE_RECORDS,
                request -> new DeleteRecordsResponse(new DeleteRecordsResponseData()));
        DeleteRecordsRequestData data = new DeleteRecordsRequestData().setTimeoutMs(1000);
        data.topics().add(new DeleteRecordsRequestData.DeleteRecordsTopic().setName("theirs").setPartitions(
                new ArrayList<>(List.of(new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(0)
                        .setOffset(5),
                        new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(1)
                                .setOffset(5)))));

        DeleteRecordsResponse response = (DeleteRecordsResponse) handle(handler,
                new DeleteRecordsRequest.Builder(data).build((short) 2));

        assertThat(handler.asked).isEmpty();
        assertThat(response.data().topics().find("theirs").partitions())
                .extracting(DeleteRecordsResponseData.DeleteRecordsPartitionResult::partitionIndex,
                        DeleteRecordsResponseData.DeleteRecordsPartitionResult::errorCode)
                .containsExactlyInAnyOrder(tuple(0, Errors.TOPIC_AUTHORIZATION_FAILED.code()),
                        tuple(1, Errors.TOPIC_AUTHORIZATION_FAILED.code()));
    }

    @Test
    void shouldAnswerAClientsOffsetForLeaderEpochPerTopic() {
        allow(ResourceType.TOPIC, "mine", AclOperation.DESCRIBE);
        Echo<OffsetsForLeaderEpochRequest> handler = new Echo<>(ApiKeys.OFFSET_FOR_LEADER_EPOCH, request -> {
            OffsetForLeaderEpochResponseData data = new OffsetForLeaderEpochResponseData();
            request.data().topics().forEach(t -> data.topics().add(
                    new OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult().setTopic(t.topic())
                            .setPartitions(new ArrayList<>(List.of(new OffsetForLeaderEpochResponseData.EpochEndOffset()
                                    .setPartition(0).setEndOffset(7))))));
            return new OffsetsForLeaderEpochResponse(data);
        });
        OffsetForLeaderEpochRequestData data = new OffsetForLeaderEpochRequestData().setReplicaId(-1);
        for (String topic : List.of("mine", "theirs")) {
            data.topics().add(new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic().setTopic(topic)
                    .setPartitions(
                            new ArrayList<>(List.of(new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition()
                                    .setPartition(0).setLeaderEpoch(1)))));
        }

        OffsetsForLeaderEpochResponse response = (OffsetsForLeaderEpochResponse) handle(handler,
                new OffsetsForLeaderEpochRequest(data, (short) 4));

        assertThat(handler.asked).extracting(r -> r.data().topics().size()).containsExactly(1);
        assertThat(response.data().topics().find("mine").partitions().get(0).endOffset()).isEqualTo(7);
        assertThat(response.data().topics().find("theirs").partitions().get(0).errorCode())
                .isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
    }

    private static DescribeConfigsRequestData.DescribeConfigsResource resource(ConfigResource.Type type,
            String name) {
        return new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType(type.id())
                .setResourceName(name);
    }

    @SuppressWarnings("unchecked")
    private <R extends AbstractRequest> AbstractResponse handle(ApiHandler<R> handler, R request) {
        ApiHandler<R> guarded = (ApiHandler<R>) RequestGate.guard(List.of(handler), authorization, checks).get(0);
        return guarded.handle(context(), request).join();
    }

    private final List<AclEntry> acls = new ArrayList<>();

    private void allow(ResourceType type, String name, AclOperation operation) {
        acls.add(new AclEntry(type, name, PatternType.LITERAL, "User:alice", "*", operation,
                AclPermissionType.ALLOW));
        MetadataImage empty = MetadataImage.EMPTY;
        authorizer.update(new MetadataImage(empty.topicsByName(), empty.topicsById(), empty.brokerConfigs(),
                empty.brokers(), empty.nextProducerId(), empty.voters(), Set.copyOf(acls)));
    }

    private static RequestContext context() {
        InetAddress host = InetAddress.getLoopbackAddress();
        return new RequestContext(new RequestHeader(ApiKeys.METADATA, (short) 12, "test", 1), host, "SSL", "c1",
                new ConnectionSession("SSL", SecurityProtocol.SSL, host, ALICE));
    }

    /** Answers what {@code answer} makes of each request it is asked, and keeps the requests. */
    private static final class Echo<R extends AbstractRequest> implements ApiHandler<R> {
        final ApiKeys key;
        final Function<R, AbstractResponse> answer;
        final List<R> asked = new ArrayList<>();

        Echo(ApiKeys key, Function<R, AbstractResponse> answer) {
            this.key = key;
            this.answer = answer;
        }

        @Override
        public ApiKeys apiKey() {
            return key;
        }

        @Override
        public CompletableFuture<AbstractResponse> handle(RequestContext context, R request) {
            asked.add(request);
            return CompletableFuture.completedFuture(answer.apply(request));
        }
    }
}
