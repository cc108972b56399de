package io.brook.broker.handlers.data;

import static io.brook.broker.handlers.data.DataPathTestContext.records;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OffsetForLeaderEpochHandlerTest {

    private final DataPathTestContext ctx = new DataPathTestContext();

    static short[] versions() {
        short oldest = ApiKeys.OFFSET_FOR_LEADER_EPOCH.oldestVersion();
        short latest = ApiKeys.OFFSET_FOR_LEADER_EPOCH.latestVersion();
        short[] all = new short[latest - oldest + 1];
        for (int i = 0; i < all.length; i++) {
            all[i] = (short) (oldest + i);
        }
        return all;
    }

    private EpochEndOffset ask(short version, String topic, int currentLeaderEpoch, int leaderEpoch) {
        OffsetForLeaderEpochRequestData data = new OffsetForLeaderEpochRequestData();
        data.topics().add(new OffsetForLeaderTopic().setTopic(topic)
                .setPartitions(java.util.List.of(new OffsetForLeaderPartition().setPartition(0)
                        .setCurrentLeaderEpoch(currentLeaderEpoch).setLeaderEpoch(leaderEpoch))));
        OffsetsForLeaderEpochRequest request = new OffsetsForLeaderEpochRequest(data, version);
        OffsetsForLeaderEpochResponse response = (OffsetsForLeaderEpochResponse) ctx.offsetForLeaderEpoch
                .handle(DataPathTestContext.requestContext(ApiKeys.OFFSET_FOR_LEADER_EPOCH, version), request).join();
        // the answer must be writable in the version asked
        OffsetsForLeaderEpochResponse.parse(
                org.apache.kafka.common.protocol.MessageUtil.toByteBufferAccessor(response.data(), version), version);
        return response.data().topics().iterator().next().partitions().get(0);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void shouldAnswerTheEndOfTheCurrentEpochInEveryVersion(short version) {
        ctx.createTopic("t", 1);
        ctx.produce((short) 12, (short) 1, "t", 0, records("a", "b", "c"));

        EpochEndOffset answer = ask(version, "t", -1, 0);

        assertThat(answer.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(answer.leaderEpoch()).isZero();
        assertThat(answer.endOffset()).isEqualTo(3);
    }

    @Test
    void shouldAnswerUndefinedForAnEpochAboveTheLeaders() {
        ctx.createTopic("t", 1);

        EpochEndOffset answer = ask(ApiKeys.OFFSET_FOR_LEADER_EPOCH.latestVersion(), "t", -1, 7);

        assertThat(answer.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(answer.leaderEpoch()).isEqualTo(OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH);
        assertThat(answer.endOffset()).isEqualTo(OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH_OFFSET);
    }

    @Test
    void shouldCheckTheCallersCurrentLeaderEpoch() {
        ctx.createTopic("t", 1);

        assertThat(ask(ApiKeys.OFFSET_FOR_LEADER_EPOCH.latestVersion(), "t", 1, 0).errorCode())
                .isEqualTo(Errors.UNKNOWN_LEADER_EPOCH.code());
    }

    @Test
    void shouldAnswerUnknownTopic() {
        assertThat(ask(ApiKeys.OFFSET_FOR_LEADER_EPOCH.latestVersion(), "missing", -1, 0).errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }
}
