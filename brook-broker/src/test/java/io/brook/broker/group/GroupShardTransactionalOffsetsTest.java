package io.brook.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestPartition;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.TransactionResult;
import org.junit.jupiter.api.Test;

/**
 * Transactional offset commits in a shard: pending until the producer's marker, invisible to OffsetFetch
 * (UNSTABLE_OFFSET_COMMIT when stable offsets are required), committed or dropped by the marker, in log order on
 * replay.
 */
class GroupShardTransactionalOffsetsTest {

    private static final String GROUP = "g";
    private static final long PID = 1000;
    private static final long OTHER_PID = 2000;
    private static final TopicPartition TP = new TopicPartition("t", 0);

    private final GroupConfig config = new GroupConfig(6000, 300_000, 0, 4, 60_000, 1000, 4096);
    private GroupShard shard = new GroupShard(config);
    /** Every record as written, with the producer id of its batch (-1: not transactional) or a marker. */
    private final List<Object[]> log = new ArrayList<>();
    private long now = 1_000;

    GroupShardTransactionalOffsetsTest() {
        shard.loadComplete(now);
    }

    @Test
    void shouldKeepATransactionalOffsetPendingUntilTheCommitMarker() {
        assertThat(txnCommit(PID, -1, "", 42).join().topics().get(0).partitions().get(0).errorCode()).isZero();

        assertThat(fetch(false).committedOffset()).isEqualTo(-1);
        assertThat(fetch(true).errorCode()).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT.code());
        assertThat(shard.fetchOffsets(GROUP, null, null, -1, true).topics()).isEmpty();

        marker(PID, TransactionResult.COMMIT);

        assertThat(fetch(true).errorCode()).isZero();
        assertThat(fetch(true).committedOffset()).isEqualTo(42);
        assertThat(fetch(false).committedOffset()).isEqualTo(42);
    }

    @Test
    void shouldDropTransactionalOffsetsOnAbortAndKeepTheCommittedOne() {
        commit(7);
        txnCommit(PID, -1, "", 42).join();
        assertThat(fetch(false).committedOffset()).isEqualTo(7);

        marker(PID, TransactionResult.ABORT);

        assertThat(fetch(true).errorCode()).isZero();
        assertThat(fetch(true).committedOffset()).isEqualTo(7);
        assertThat(shard.hasPendingOffset(GROUP, TP)).isFalse();
    }

    @Test
    void shouldKeepAPlainCommitWrittenAfterTheTransactionalOne() {
        txnCommit(PID, -1, "", 42).join();
        commit(50);

        marker(PID, TransactionResult.COMMIT);

        assertThat(fetch(true).committedOffset()).isEqualTo(50);
    }

    @Test
    void shouldEndOnlyTheMarkedProducersTransaction() {
        txnCommit(PID, -1, "", 42).join();
        txnCommit(OTHER_PID, -1, "", 43).join();

        marker(PID, TransactionResult.COMMIT);

        assertThat(fetch(false).committedOffset()).isEqualTo(42);
        assertThat(fetch(true).errorCode()).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT.code());
        marker(OTHER_PID, TransactionResult.COMMIT);
        assertThat(fetch(true).committedOffset()).isEqualTo(43);
    }

    @Test
    void shouldRebuildPendingAndCommittedOffsetsByReplayingTheLogInOrder() {
        txnCommit(PID, -1, "", 42).join();
        marker(PID, TransactionResult.COMMIT);
        txnCommit(PID, -1, "", 60).join();
        txnCommit(OTHER_PID, -1, "", 99).join();
        marker(OTHER_PID, TransactionResult.ABORT);

        GroupShard reloaded = new GroupShard(config);
        for (Object[] entry : log) {
            if (entry[0] instanceof TransactionResult result) {
                reloaded.replayEndTransaction((Long) entry[1], result, now);
            } else if ((Long) entry[1] >= 0) {
                reloaded.replayTransactional((GroupRecord.OffsetCommit) entry[0], (Long) entry[1], now);
            } else {
                reloaded.replay((GroupRecord) entry[0], now);
            }
        }
        reloaded.loadComplete(now);
        shard = reloaded;

        assertThat(fetch(false).committedOffset()).isEqualTo(42);
        assertThat(fetch(true).errorCode()).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT.code());
        marker(PID, TransactionResult.COMMIT);
        assertThat(fetch(true).committedOffset()).isEqualTo(60);
    }

    @Test
    void shouldValidateTheGenerationAndMemberOfAClassicGroup() {
        String member = stableGroupOfOne();

        assertThat(error(txnCommit(PID, 1, member, 5))).isEqualTo(Errors.NONE);
        assertThat(error(txnCommit(PID, 2, member, 5))).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(error(txnCommit(PID, 1, "nobody", 5))).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        // Older versions carry neither member nor generation: accepted though the group has members.
        assertThat(error(txnCommit(PID, -1, "", 5))).isEqualTo(Errors.NONE);
    }

    @Test
    void shouldAnswerIllegalGenerationForAnUnknownGroupWithAGeneration() {
        assertThat(error(txnCommit(PID, 3, "m", 5))).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(shard.state(GROUP)).isEmpty();
    }

    @Test
    void shouldNotExpireAGroupWithAnOpenTransaction() {
        txnCommit(PID, -1, "", 42).join();
        now += 120_000;
        apply(shard.poll(now), -1);
        assertThat(shard.state(GROUP)).isPresent();

        marker(PID, TransactionResult.COMMIT);
        now += 120_000;
        apply(shard.poll(now), -1);
        assertThat(shard.state(GROUP)).isEmpty();
    }

    @Test
    void shouldDeletePendingOffsetsWithTheGroup() {
        txnCommit(PID, -1, "", 42).join();

        assertThat(delete().errorCode()).isZero();
        marker(PID, TransactionResult.COMMIT);

        assertThat(shard.hasPendingOffset(GROUP, TP)).isFalse();
        assertThat(shard.fetchOffsets(GROUP, null).topics()).isEmpty();
    }

    @Test
    void shouldDeleteAPendingOffsetWithOffsetDelete() {
        txnCommit(PID, -1, "", 42).join();
        CompletableFuture<OffsetDeleteResponseData> future = new CompletableFuture<>();
        OffsetDeleteRequestTopicCollection topics = new OffsetDeleteRequestTopicCollection();
        topics.add(new OffsetDeleteRequestTopic().setName("t")
                .setPartitions(List.of(new OffsetDeleteRequestPartition().setPartitionIndex(0))));

        apply(shard.deleteOffsets(new OffsetDeleteRequestData().setGroupId(GROUP).setTopics(topics), future), -1);
        marker(PID, TransactionResult.COMMIT);

        assertThat(future.join().errorCode()).isZero();
        assertThat(fetch(true).errorCode()).isZero();
        assertThat(fetch(true).committedOffset()).isEqualTo(-1);
    }

    // ---------------------------------------------------------------- helpers

    private static Errors error(CompletableFuture<TxnOffsetCommitResponseData> response) {
        return Errors.forCode(response.join().topics().get(0).partitions().get(0).errorCode());
    }

    private OffsetFetchResponsePartitions fetch(boolean requireStable) {
        return shard.fetchOffsets(GROUP, Map.of("t", List.of(0)), null, -1, requireStable).topics().get(0)
                .partitions().get(0);
    }

    private void apply(Effects effects, long producerId) {
        for (GroupRecord record : effects.records()) {
            if (producerId >= 0 && record instanceof GroupRecord.OffsetCommit commit) {
                shard.replayTransactional(commit, producerId, now);
            } else {
                shard.replay(record, now);
            }
            log.add(new Object[]{record, producerId});
        }
        effects.completions().forEach(Effects.Completion::complete);
    }

    private void marker(long producerId, TransactionResult result) {
        shard.replayEndTransaction(producerId, result, now);
        log.add(new Object[]{result, producerId});
    }

    private CompletableFuture<TxnOffsetCommitResponseData> txnCommit(long producerId, int generation,
            String memberId, long offset) {
        CompletableFuture<TxnOffsetCommitResponseData> future = new CompletableFuture<>();
        TxnOffsetCommitRequestData request = new TxnOffsetCommitRequestData().setTransactionalId("tx")
                .setGroupId(GROUP).setProducerId(producerId).setProducerEpoch((short) 0)
                .setGenerationIdOrMemberEpoch(generation).setMemberId(memberId)
                .setTopics(List.of(new TxnOffsetCommitRequestTopic().setName("t").setPartitions(List.of(
                        new TxnOffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(offset)
                                .setCommittedMetadata("m")))));
        apply(shard.commitTransactionalOffsets(request, (short) 3, now, future), producerId);
        return future;
    }

    private void commit(long offset) {
        CompletableFuture<OffsetCommitResponseData> future = new CompletableFuture<>();
        apply(shard.commitOffsets(new OffsetCommitRequestData().setGroupId(GROUP).setGenerationIdOrMemberEpoch(-1)
                .setTopics(List.of(new OffsetCommitRequestTopic().setName("t").setPartitions(List.of(
                        new OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(offset))))),
                (short) 8, now, future), -1);
        assertThat(future.join().topics().get(0).partitions().get(0).errorCode()).isZero();
    }

    private DeletableGroupResult delete() {
        CompletableFuture<List<DeletableGroupResult>> future = new CompletableFuture<>();
        apply(shard.deleteGroups(List.of(GROUP), future), -1);
        return future.join().get(0);
    }

    private String stableGroupOfOne() {
        JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestProtocol().setName("range").setMetadata(new byte[]{1}));
        JoinGroupRequestData request = new JoinGroupRequestData().setGroupId(GROUP).setMemberId("")
                .setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(10_000).setProtocolType("consumer")
                .setProtocols(protocols);
        CompletableFuture<JoinGroupResponseData> first = new CompletableFuture<>();
        apply(shard.join(request, (short) 9, "c", "h", now, first), -1);
        String id = first.join().memberId();
        CompletableFuture<JoinGroupResponseData> second = new CompletableFuture<>();
        apply(shard.join(request.setMemberId(id), (short) 9, "c", "h", now, second), -1);
        apply(shard.poll(now), -1);
        assertThat(second.join().generationId()).isEqualTo(1);
        return id;
    }
}
