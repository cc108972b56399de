package io.brook.broker.handlers.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DescribeQuorumRequestData;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.kafka.common.message.DescribeQuorumResponseData.PartitionData;
import org.apache.kafka.common.message.DescribeQuorumResponseData.ReplicaState;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.DescribeQuorumRequest;
import org.apache.kafka.common.requests.DescribeQuorumResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.brook.broker.api.RequestContext;
import io.brook.broker.testing.ManualTime;
import io.brook.metadata.quorum.QuorumRole;
import io.brook.metadata.quorum.QuorumStatus;
import io.brook.metadata.quorum.QuorumUnavailableException;

class DescribeQuorumHandlerTest {

    private static final TopicPartition METADATA = new TopicPartition("__cluster_metadata", 0);
    /** Leader 2 in term 5 has entries 0..20 and has committed 0..19; voter 3 lags, listener 4 was never heard from. */
    private static final QuorumStatus LEADER_VIEW = new QuorumStatus(2, QuorumRole.VOTER, OptionalInt.of(2), 5, 19, 19,
            List.of(new QuorumStatus.Member(1, "localhost:9093", 19, 19, 30),
                    new QuorumStatus.Member(2, "localhost:9094", 20, 19, 0),
                    new QuorumStatus.Member(3, "[::1]:9095", 10, 9, 400)),
            List.of(new QuorumStatus.Member(4, "host-4:7000", -1, -1, -1)));

    private final ManualTime time = new ManualTime();

    static List<Short> versions() {
        return ApiKeys.DESCRIBE_QUORUM.allVersions();
    }

    @ParameterizedTest
    @MethodSource("versions")
    void shouldMapTheLeadersViewToKraftEpochsAndOffsetsAtEveryVersion(short version) throws Exception {
        DescribeQuorumResponse response = call(() -> CompletableFuture.completedFuture(LEADER_VIEW), version,
                DescribeQuorumRequest.singletonRequest(METADATA));

        PartitionData partition = onlyPartition(response.data());
        assertThat(partition.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(partition.leaderId()).isEqualTo(2);
        assertThat(partition.leaderEpoch()).isEqualTo(5);
        assertThat(partition.highWatermark()).as("commit index + 1").isEqualTo(20);
        long now = time.milliseconds();
        boolean timestamps = version >= 1;
        assertThat(partition.currentVoters()).containsExactly(
                replica(1, 20, timestamps ? now - 30 : -1, timestamps ? now - 30 : -1),
                replica(2, 21, timestamps ? now : -1, timestamps ? now : -1),
                replica(3, 11, timestamps ? now - 400 : -1, -1));
        assertThat(partition.observers()).containsExactly(replica(4, -1, -1, -1));
        if (version >= 2) {
            assertThat(response.data().nodes()).hasSize(3);
            DescribeQuorumResponseData.Node node3 = response.data().nodes().find(3);
            assertThat(node3.listeners()).singleElement().satisfies(l -> {
                assertThat(l.name()).isEqualTo("CONTROLLER");
                assertThat(l.host()).isEqualTo("::1");
                assertThat(l.port()).isEqualTo(9095);
            });
        } else {
            assertThat(response.data().nodes()).isEmpty();
        }
    }

    @Test
    void shouldAnswerUnknownTopicOrPartitionWhenAskedForAnotherPartition() throws Exception {
        DescribeQuorumResponse response = call(() -> CompletableFuture.completedFuture(LEADER_VIEW),
                ApiKeys.DESCRIBE_QUORUM.latestVersion(),
                DescribeQuorumRequest.singletonRequest(new TopicPartition("__cluster_metadata", 1)));

        assertThat(onlyPartition(response.data()).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    @Test
    void shouldAnswerNotLeaderOrFollowerWhenNoLeaderAnswers() throws Exception {
        DescribeQuorumResponse response = call(
                () -> CompletableFuture.failedFuture(new QuorumUnavailableException("leaderStatus timed out")),
                ApiKeys.DESCRIBE_QUORUM.latestVersion(), DescribeQuorumRequest.singletonRequest(METADATA));

        PartitionData partition = onlyPartition(response.data());
        assertThat(partition.errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
        assertThat(partition.errorMessage()).as("v2 carries the message").contains("timed out");
    }

    @Test
    void shouldAnswerNotLeaderOrFollowerWhenTheViewNamesNoLeader() throws Exception {
        QuorumStatus leaderless = new QuorumStatus(1, QuorumRole.VOTER, OptionalInt.empty(), 3, 7, 7,
                LEADER_VIEW.voters(), List.of());

        DescribeQuorumResponse response = call(() -> CompletableFuture.completedFuture(leaderless),
                ApiKeys.DESCRIBE_QUORUM.latestVersion(), DescribeQuorumRequest.singletonRequest(METADATA));

        assertThat(onlyPartition(response.data()).errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
    }

    @Test
    void shouldParseBracketedAndPlainAddresses() {
        assertThat(QuorumDescription.hostPort("[::1]:9093")).hasValue(new QuorumDescription.HostPort("::1", 9093));
        assertThat(QuorumDescription.hostPort("node-1:9093")).hasValue(new QuorumDescription.HostPort("node-1", 9093));
        assertThat(QuorumDescription.hostPort("no-port")).isEmpty();
    }

    private DescribeQuorumResponse call(Supplier<CompletableFuture<QuorumStatus>> source, short version,
            DescribeQuorumRequestData data) throws Exception {
        DescribeQuorumHandler handler = new DescribeQuorumHandler(source, "CONTROLLER", time);
        DescribeQuorumRequest request = new DescribeQuorumRequest.Builder(data).build(version);
        RequestContext context = new RequestContext(new RequestHeader(ApiKeys.DESCRIBE_QUORUM, version, "test", 1),
                InetAddress.getLoopbackAddress(), "PLAINTEXT", "connection-1");
        DescribeQuorumResponse response = (DescribeQuorumResponse) handler.handle(context, request)
                .get(10, TimeUnit.SECONDS);
        // As the network layer will: serialise at the request's version; assert on what a client reads back.
        return DescribeQuorumResponse.parse(MessageUtil.toByteBufferAccessor(response.data(), version), version);
    }

    private static PartitionData onlyPartition(DescribeQuorumResponseData data) {
        assertThat(data.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(data.topics()).singleElement().satisfies(t -> assertThat(t.topicName()).isEqualTo(METADATA.topic()));
        assertThat(data.topics().get(0).partitions()).hasSize(1);
        return data.topics().get(0).partitions().get(0);
    }

    private static ReplicaState replica(int id, long logEndOffset, long lastFetch, long lastCaughtUp) {
        return new ReplicaState().setReplicaId(id).setReplicaDirectoryId(Uuid.ZERO_UUID).setLogEndOffset(logEndOffset)
                .setLastFetchTimestamp(lastFetch).setLastCaughtUpTimestamp(lastCaughtUp);
    }
}
