package io.brook.broker.authz;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeAclsRequest;
import org.apache.kafka.common.requests.DescribeAclsResponse;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.requests.ListGroupsRequest;
import org.apache.kafka.common.requests.ListGroupsResponse;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.apache.kafka.common.requests.RequestHeader;
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

class RequestGateTest {

    private static final KafkaPrincipal ALICE = new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "alice");

    private final AclAuthorizer authorizer = new AclAuthorizer(Set.of("User:admin"), false);
    private final Authorization authorization = new Authorization(authorizer);
    private final RequestChecks checks = new RequestChecks(authorization, new InMemoryMetadataStore());

    @Test
    void shouldRefuseClusterApisWithClusterAuthorizationFailedBeforeTheHandlerRuns() {
        Recording<DescribeAclsRequest> handler = new Recording<>(ApiKeys.DESCRIBE_ACLS,
                new DescribeAclsResponse(new DescribeAclsResponseData(), (short) 3));
        ApiHandler<DescribeAclsRequest> guarded = guard(handler);
        DescribeAclsRequest request = new DescribeAclsRequest.Builder(AclBindingFilter.ANY).build((short) 3);

        CompletableFuture<AbstractResponse> refused = guarded.handle(context(ALICE), request);
        CompletableFuture<AbstractResponse> allowed = guarded.handle(
                context(new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "admin")), request);

        assertThat(refused).failsWithin(java.time.Duration.ZERO).withThrowableThat()
                .withCauseInstanceOf(ClusterAuthorizationException.class);
        assertThat(allowed).isCompletedWithValue(handler.response);
        assertThat(handler.calls).isEqualTo(1);
    }

    @Test
    void shouldRefuseJoinGroupWithGroupAuthorizationFailedWhenReadIsMissing() {
        acls(new AclEntry(ResourceType.GROUP, "mine", PatternType.LITERAL, "User:alice", "*", AclOperation.READ,
                AclPermissionType.ALLOW));
        Recording<JoinGroupRequest> handler = new Recording<>(ApiKeys.JOIN_GROUP,
                new JoinGroupResponse(new JoinGroupResponseData(), (short) 9));
        ApiHandler<JoinGroupRequest> guarded = guard(handler);

        CompletableFuture<AbstractResponse> other = guarded.handle(context(ALICE), join("other"));
        CompletableFuture<AbstractResponse> mine = guarded.handle(context(ALICE), join("mine"));

        assertThat(other).failsWithin(java.time.Duration.ZERO).withThrowableThat()
                .withCauseInstanceOf(GroupAuthorizationException.class);
        assertThat(mine).isCompletedWithValue(handler.response);
    }

    @Test
    void shouldListOnlyDescribableGroupsWhenClusterDescribeIsMissing() {
        acls(new AclEntry(ResourceType.GROUP, "team-a-", PatternType.PREFIXED, "User:alice", "*",
                AclOperation.DESCRIBE, AclPermissionType.ALLOW));
        ListGroupsResponseData data = new ListGroupsResponseData();
        data.groups().add(new ListGroupsResponseData.ListedGroup().setGroupId("team-a-1"));
        data.groups().add(new ListGroupsResponseData.ListedGroup().setGroupId("team-b-1"));
        Recording<ListGroupsRequest> handler = new Recording<>(ApiKeys.LIST_GROUPS, new ListGroupsResponse(data));

        AbstractResponse response = guard(handler).handle(context(ALICE),
                new ListGroupsRequest.Builder(new ListGroupsRequestData()).build()).join();

        assertThat(((ListGroupsResponse) response).data().groups())
                .extracting(ListGroupsResponseData.ListedGroup::groupId).containsExactly("team-a-1");
    }

    @Test
    void shouldHideOffsetsOfTopicsThePrincipalMayNotDescribe() {
        acls(new AclEntry(ResourceType.GROUP, "g", PatternType.LITERAL, "User:alice", "*", AclOperation.READ,
                AclPermissionType.ALLOW),
                new AclEntry(ResourceType.TOPIC, "mine", PatternType.LITERAL, "User:alice", "*", AclOperation.READ,
                        AclPermissionType.ALLOW));
        OffsetFetchResponseData data = new OffsetFetchResponseData();
        OffsetFetchResponseData.OffsetFetchResponseGroup group = new OffsetFetchResponseData.OffsetFetchResponseGroup()
                .setGroupId("g");
        for (String topic : List.of("mine", "theirs")) {
            group.topics().add(new OffsetFetchResponseData.OffsetFetchResponseTopics().setName(topic)
                    .setPartitions(new java.util.ArrayList<>(List.of(
                            new OffsetFetchResponseData.OffsetFetchResponsePartitions().setPartitionIndex(0)
                                    .setCommittedOffset(42)))));
        }
        data.groups().add(group);
        Recording<OffsetFetchRequest> handler = new Recording<>(ApiKeys.OFFSET_FETCH,
                new OffsetFetchResponse(data, (short) 9));
        OffsetFetchRequest allTopics = OffsetFetchRequest.Builder.forTopicNames(new OffsetFetchRequestData()
                .setGroups(List.of(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("g")
                        .setTopics(null))),
                false).build((short) 9);

        AbstractResponse response = guard(handler).handle(context(ALICE), allTopics).join();

        assertThat(((OffsetFetchResponse) response).data().groups().get(0).topics())
                .extracting(OffsetFetchResponseData.OffsetFetchResponseTopics::name).containsExactly("mine");
    }

    @SuppressWarnings("unchecked")
    private <R extends AbstractRequest> ApiHandler<R> guard(ApiHandler<R> handler) {
        return (ApiHandler<R>) RequestGate.guard(List.of(handler), authorization, checks).get(0);
    }

    private static JoinGroupRequest join(String group) {
        return new JoinGroupRequest.Builder(new JoinGroupRequestData().setGroupId(group).setMemberId("")
                .setProtocolType("consumer").setSessionTimeoutMs(10_000)).build((short) 9);
    }

    private void acls(AclEntry... acls) {
        MetadataImage empty = MetadataImage.EMPTY;
        authorizer.update(new MetadataImage(empty.topicsByName(), empty.topicsById(), empty.brokerConfigs(),
                empty.brokers(), empty.nextProducerId(), empty.voters(), Set.of(acls)));
    }

    private static RequestContext context(KafkaPrincipal principal) {
        InetAddress host = InetAddress.getLoopbackAddress();
        return new RequestContext(new RequestHeader(ApiKeys.METADATA, (short) 12, "test", 1), host, "SSL", "c1",
                new ConnectionSession("SSL", SecurityProtocol.SSL, host, principal));
    }

    /** Answers a fixed response and counts its calls. */
    private static final class Recording<R extends AbstractRequest> implements ApiHandler<R> {
        final ApiKeys key;
        final AbstractResponse response;
        int calls;

        Recording(ApiKeys key, AbstractResponse response) {
            this.key = key;
            this.response = response;
        }

        @Override
        public ApiKeys apiKey() {
            return key;
        }

        @Override
        public CompletableFuture<AbstractResponse> handle(RequestContext context, R request) {
            calls++;
            return CompletableFuture.completedFuture(response);
        }
    }
}
