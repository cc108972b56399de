package io.brook.broker.handlers.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.Endpoint;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopic;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.brook.broker.BrokerContext;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.broker.config.BrokerConfig;
import io.brook.broker.handlers.data.DataPathHandlers;
import io.brook.broker.testing.InMemoryMetadataStore;
import io.brook.metadata.TopicImage;
import io.brook.storage.DefaultLogManager;
import io.brook.storage.LogConfig;
import io.brook.storage.LogManager;

/**
 * The group handlers over real storage, with requests decoded and responses encoded at each version as the network
 * layer does it, so fields an old version cannot carry are caught.
 */
class GroupHandlersTest {

    @TempDir
    Path dir;
    private LogManager logManager;
    private final InMemoryMetadataStore metadata = new InMemoryMetadataStore();
    private DataPathHandlers dataPath;
    private GroupHandlers groups;

    @BeforeEach
    void start() {
        logManager = DefaultLogManager.open(List.of(dir), LogConfig.defaults(), Time.SYSTEM);
        BrokerConfig config = BrokerConfig.parse(Map.of("log.dirs", dir.toString(),
                BrokerConfig.OFFSETS_TOPIC_NUM_PARTITIONS, "3", BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0"));
        BrokerContext context = new BrokerContext(config, "cluster", 1,
                List.of(new Endpoint("PLAINTEXT", SecurityProtocol.PLAINTEXT, "localhost", 9092)), metadata,
                logManager, Time.SYSTEM);
        dataPath = DataPathHandlers.create(context);
        groups = GroupHandlers.create(context);
    }

    @AfterEach
    void stop() {
        groups.close();
        dataPath.close();
        logManager.close();
    }

    @Test
    void shouldFindTheGroupCoordinatorAtEveryVersionAndNoTransactionCoordinator() throws Exception {
        for (short v = 0; v <= 3; v++) {
            FindCoordinatorResponseData r = call(ApiKeys.FIND_COORDINATOR,
                    new FindCoordinatorRequestData().setKey("g").setKeyType((byte) 0), v);
            assertThat(r.errorCode()).isZero();
            assertThat(r.nodeId()).isEqualTo(1);
            assertThat(r.port()).isEqualTo(9092);
        }
        for (short v = 4; v <= ApiKeys.FIND_COORDINATOR.latestVersion(); v++) {
            FindCoordinatorResponseData r = call(ApiKeys.FIND_COORDINATOR,
                    new FindCoordinatorRequestData().setCoordinatorKeys(List.of("a", "b")).setKeyType((byte) 0), v);
            assertThat(r.coordinators()).extracting(c -> c.errorCode()).containsExactly((short) 0, (short) 0);
            FindCoordinatorResponseData txn = call(ApiKeys.FIND_COORDINATOR,
                    new FindCoordinatorRequestData().setCoordinatorKeys(List.of("t")).setKeyType((byte) 1), v);
            assertThat(txn.coordinators().get(0).errorCode()).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE.code());
        }
        assertThat(metadata.image().topic("__consumer_offsets")).map(TopicImage::partitionCount).contains(3);
    }

    @Test
    void shouldRunAGroupLifecycleAtEveryJoinVersion() throws Exception {
        for (short v = ApiKeys.JOIN_GROUP.oldestVersion(); v <= ApiKeys.JOIN_GROUP.latestVersion(); v++) {
            lifecycle("group-v" + v, v);
        }
    }

    @Test
    void shouldCommitAndFetchByTopicIdAtVersionTen() throws Exception {
        TopicImage topic = metadata.createTopic("orders", 2, (short) 1, Map.of());
        OffsetCommitResponseData committed = call(ApiKeys.OFFSET_COMMIT, new OffsetCommitRequestData()
                .setGroupId("ids").setGenerationIdOrMemberEpoch(-1).setMemberId("")
                .setTopics(List.of(new OffsetCommitRequestTopic().setTopicId(topic.id()).setPartitions(List.of(
                        new OffsetCommitRequestPartition().setPartitionIndex(1).setCommittedOffset(7))),
                        new OffsetCommitRequestTopic().setTopicId(org.apache.kafka.common.Uuid.randomUuid())
                                .setPartitions(List.of(new OffsetCommitRequestPartition().setPartitionIndex(0))))),
                (short) 10);
        assertThat(committed.topics()).extracting(t -> t.partitions().get(0).errorCode())
                .containsExactly((short) 0, Errors.UNKNOWN_TOPIC_ID.code());

        OffsetFetchResponseData fetched = call(ApiKeys.OFFSET_FETCH, new OffsetFetchRequestData().setGroups(List.of(
                new OffsetFetchRequestGroup().setGroupId("ids").setTopics(List.of(new OffsetFetchRequestTopics()
                        .setTopicId(topic.id()).setPartitionIndexes(List.of(1)))))),
                (short) 10);

        assertThat(fetched.groups().get(0).topics().get(0).topicId()).isEqualTo(topic.id());
        assertThat(fetched.groups().get(0).topics().get(0).partitions().get(0).committedOffset()).isEqualTo(7);
    }

    private void lifecycle(String group, short joinV) throws Exception {
        short syncV = (short) Math.min(joinV, ApiKeys.SYNC_GROUP.latestVersion());
        short hbV = (short) Math.min(joinV, ApiKeys.HEARTBEAT.latestVersion());
        short leaveV = (short) Math.min(joinV, ApiKeys.LEAVE_GROUP.latestVersion());
        JoinGroupResponseData joined = call(ApiKeys.JOIN_GROUP, joinRequest(group, ""), joinV);
        if (joinV >= 4) {
            assertThat(joined.errorCode()).isEqualTo(Errors.MEMBER_ID_REQUIRED.code());
            joined = call(ApiKeys.JOIN_GROUP, joinRequest(group, joined.memberId()), joinV);
        }
        assertThat(joined.errorCode()).as("join v%d", joinV).isZero();
        String member = joined.memberId();
        assertThat(joined.leader()).isEqualTo(member);
        assertThat(joined.members()).hasSize(1);

        SyncGroupResponseData synced = call(ApiKeys.SYNC_GROUP, new SyncGroupRequestData().setGroupId(group)
                .setMemberId(member).setGenerationId(joined.generationId()).setAssignments(List.of(
                        new SyncGroupRequestAssignment().setMemberId(member).setAssignment(new byte[]{5}))),
                syncV);
        assertThat(synced.assignment()).isEqualTo(new byte[]{5});
        HeartbeatResponseData hb = call(ApiKeys.HEARTBEAT, new HeartbeatRequestData().setGroupId(group)
                .setMemberId(member).setGenerationId(joined.generationId()), hbV);
        assertThat(hb.errorCode()).isZero();

        for (short v = ApiKeys.OFFSET_COMMIT.oldestVersion(); v <= 9; v++) {
            OffsetCommitResponseData committed = call(ApiKeys.OFFSET_COMMIT, new OffsetCommitRequestData()
                    .setGroupId(group).setMemberId(member).setGenerationIdOrMemberEpoch(joined.generationId())
                    .setTopics(List.of(new OffsetCommitRequestTopic().setName("t").setPartitions(List.of(
                            new OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(100 + v)
                                    .setCommittedMetadata("m"))))),
                    v);
            assertThat(committed.topics().get(0).partitions().get(0).errorCode()).as("commit v%d", v).isZero();
        }
        for (short v = ApiKeys.OFFSET_FETCH.oldestVersion(); v <= 7; v++) {
            OffsetFetchResponseData fetched = call(ApiKeys.OFFSET_FETCH, new OffsetFetchRequestData().setGroupId(group)
                    .setTopics(List.of(new OffsetFetchRequestTopic().setName("t").setPartitionIndexes(List.of(0)))),
                    v);
            assertThat(fetched.topics().get(0).partitions().get(0).committedOffset()).isEqualTo(109);
        }
        for (short v = 8; v <= 9; v++) {
            OffsetFetchResponseData fetched = call(ApiKeys.OFFSET_FETCH, new OffsetFetchRequestData().setGroups(
                    List.of(new OffsetFetchRequestGroup().setGroupId(group).setTopics(null),
                            new OffsetFetchRequestGroup().setGroupId("other").setTopics(List.of(
                                    new OffsetFetchRequestTopics().setName("t").setPartitionIndexes(List.of(0)))))),
                    v);
            assertThat(fetched.groups().get(0).topics().get(0).partitions().get(0).committedOffset()).isEqualTo(109);
            assertThat(fetched.groups().get(1).topics().get(0).partitions().get(0).committedOffset()).isEqualTo(-1);
        }
        for (short v = 0; v <= ApiKeys.DESCRIBE_GROUPS.latestVersion(); v++) {
            DescribeGroupsResponseData described = call(ApiKeys.DESCRIBE_GROUPS,
                    new DescribeGroupsRequestData().setGroups(List.of(group)), v);
            assertThat(described.groups().get(0).groupState()).isEqualTo("Stable");
            assertThat(described.groups().get(0).members()).hasSize(1);
        }
        for (short v = 0; v <= ApiKeys.LIST_GROUPS.latestVersion(); v++) {
            ListGroupsResponseData listed = call(ApiKeys.LIST_GROUPS, new ListGroupsRequestData(), v);
            assertThat(listed.groups()).extracting(g -> g.groupId()).contains(group);
        }
        OffsetDeleteResponseData subscribed = call(ApiKeys.OFFSET_DELETE, new OffsetDeleteRequestData()
                .setGroupId(group), (short) 0);
        assertThat(subscribed.errorCode()).isZero();
        DeleteGroupsResponseData nonEmpty = call(ApiKeys.DELETE_GROUPS,
                new DeleteGroupsRequestData().setGroupsNames(List.of(group)), (short) 0);
        assertThat(nonEmpty.results().find(group).errorCode()).isEqualTo(Errors.NON_EMPTY_GROUP.code());

        LeaveGroupRequestData leave = leaveV >= 3
                ? new LeaveGroupRequestData().setGroupId(group).setMembers(List.of(new MemberIdentity()
                        .setMemberId(member)))
                : new LeaveGroupRequestData().setGroupId(group).setMemberId(member);
        LeaveGroupResponseData left = call(ApiKeys.LEAVE_GROUP, leave, leaveV);
        assertThat(left.errorCode()).isZero();

        short deleteV = (short) Math.min(joinV, ApiKeys.DELETE_GROUPS.latestVersion());
        DeleteGroupsResponseData deleted = call(ApiKeys.DELETE_GROUPS,
                new DeleteGroupsRequestData().setGroupsNames(List.of(group)), deleteV);
        assertThat(deleted.results().find(group).errorCode()).isZero();
    }

    private static JoinGroupRequestData joinRequest(String group, String memberId) {
        JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestProtocol().setName("range").setMetadata(new byte[]{1}));
        return new JoinGroupRequestData().setGroupId(group).setMemberId(memberId).setSessionTimeoutMs(10_000)
                .setRebalanceTimeoutMs(10_000).setProtocolType("consumer").setProtocols(protocols);
    }

    /** Encodes the request at {@code version}, decodes it, handles it and encodes the response at that version. */
    @SuppressWarnings("unchecked")
    private <T extends ApiMessage> T call(ApiKeys api, ApiMessage data, short version) throws Exception {
        AbstractRequest request = AbstractRequest.parseRequest(api, version,
                MessageUtil.toByteBufferAccessor(data, version)).request;
        ApiHandler<AbstractRequest> handler = (ApiHandler<AbstractRequest>) groups.handlers().stream()
                .filter(h -> h.apiKey() == api).findFirst().orElseThrow();
        RequestContext context = new RequestContext(new RequestHeader(api, version, "client", 1),
                InetAddress.getLoopbackAddress(), "PLAINTEXT", "c1");
        AbstractResponse response = handler.handle(context, request).get(10, TimeUnit.SECONDS);
        MessageUtil.toByteBufferAccessor(response.data(), version);
        return (T) response.data();
    }
}
