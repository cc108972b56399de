package io.brook.broker.handlers.data;

import static io.brook.broker.handlers.data.DataPathTestContext.records;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.ListOffsetsResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ListOffsetsAndInitProducerIdTest {

    private static final short V11 = 11;
    private final DataPathTestContext ctx = new DataPathTestContext();

    private static ListOffsetsResponseData.ListOffsetsPartitionResponse only(
            CompletableFuture<AbstractResponse> future) {
        assertThat(future).isDone();
        return ((ListOffsetsResponse) future.join()).data().topics().get(0).partitions().get(0);
    }

    private ListOffsetsResponseData.ListOffsetsPartitionResponse list(long timestamp) {
        return only(ctx.listOffsets(V11, IsolationLevel.READ_UNCOMMITTED, "t", 0, timestamp, -1));
    }

    private void givenThreeBatches() {
        ctx.createTopic("t", 1);
        ctx.produce((short) 12, (short) 1, "t", 0, records("a", "b")); // timestamps 1000, 1001
        ctx.produce((short) 12, (short) 1, "t", 0, records("c"));
        ctx.logs.log(new org.apache.kafka.common.TopicPartition("t", 0)).setLogStartOffset(0);
    }

    @Test
    void shouldAnswerEarliestAndLatestOffsets() {
        givenThreeBatches();

        assertThat(list(ListOffsetsRequest.EARLIEST_TIMESTAMP).offset()).isZero();
        assertThat(list(ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP).offset()).isZero();
        ListOffsetsResponseData.ListOffsetsPartitionResponse latest = list(ListOffsetsRequest.LATEST_TIMESTAMP);
        assertThat(latest.offset()).isEqualTo(3);
        assertThat(latest.timestamp()).isEqualTo(-1);
        assertThat(latest.leaderEpoch()).isZero();
        assertThat(only(ctx.listOffsets(V11, IsolationLevel.READ_COMMITTED, "t", 0,
                ListOffsetsRequest.LATEST_TIMESTAMP, -1)).offset()).isEqualTo(3);
    }

    @Test
    void shouldAnswerMaxTimestampRecord() {
        givenThreeBatches();

        ListOffsetsResponseData.ListOffsetsPartitionResponse max = list(ListOffsetsRequest.MAX_TIMESTAMP);

        assertThat(max.timestamp()).isEqualTo(1001);
        assertThat(max.offset()).isEqualTo(1);
    }

    @Test
    void shouldAnswerMinusOneForTieredStorageTimestamps() {
        givenThreeBatches();

        assertThat(list(ListOffsetsRequest.LATEST_TIERED_TIMESTAMP).offset()).isEqualTo(-1);
        assertThat(list(ListOffsetsRequest.EARLIEST_PENDING_UPLOAD_TIMESTAMP).offset()).isEqualTo(-1);
        assertThat(list(ListOffsetsRequest.EARLIEST_PENDING_UPLOAD_TIMESTAMP).errorCode()).isZero();
    }

    @Test
    void shouldFindOffsetByTimestampOrMinusOneWhenAfterEveryRecord() {
        givenThreeBatches();

        assertThat(list(1000).offset()).isZero();
        ListOffsetsResponseData.ListOffsetsPartitionResponse none = list(5_000);
        assertThat(none.offset()).isEqualTo(-1);
        assertThat(none.timestamp()).isEqualTo(-1);
        assertThat(none.errorCode()).isZero();
    }

    @ParameterizedTest
    @ValueSource(shorts = {1, 4, 7, 11})
    void shouldAnswerUnknownTopicOrPartitionAtEveryVersion(short version) {
        assertThat(only(ctx.listOffsets(version, IsolationLevel.READ_UNCOMMITTED, "missing", 0, -1, -1))
                .errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    @Test
    void shouldAnswerLeaderEpochErrors() {
        givenThreeBatches();

        assertThat(only(ctx.listOffsets(V11, IsolationLevel.READ_UNCOMMITTED, "t", 0, -1, 5)).errorCode())
                .isEqualTo(Errors.UNKNOWN_LEADER_EPOCH.code());
    }

    private InitProducerIdResponseData initProducerId(InitProducerIdRequestData data) {
        InitProducerIdRequest request = new InitProducerIdRequest.Builder(data).build((short) 5);
        return ((InitProducerIdResponse) ctx.initProducerId
                .handle(DataPathTestContext.requestContext(ApiKeys.INIT_PRODUCER_ID, (short) 5), request).join())
                .data();
    }

    @Test
    void shouldAllocateFreshProducerIdsFromOneDurableBlock() {
        InitProducerIdResponseData first = initProducerId(new InitProducerIdRequestData().setTransactionalId(null)
                .setTransactionTimeoutMs(60_000).setProducerId(-1).setProducerEpoch((short) -1));
        InitProducerIdResponseData second = initProducerId(new InitProducerIdRequestData().setTransactionalId(null)
                .setTransactionTimeoutMs(60_000).setProducerId(-1).setProducerEpoch((short) -1));

        assertThat(first.errorCode()).isZero();
        assertThat(first.producerId()).isZero();
        assertThat(first.producerEpoch()).isZero();
        assertThat(second.producerId()).isEqualTo(1);
        assertThat(ctx.metadata.producerIdBlocks()).isEqualTo(1);
    }

    @Test
    void shouldGiveFreshIdWhenIdempotentProducerReinitialises() {
        InitProducerIdResponseData first = initProducerId(new InitProducerIdRequestData().setTransactionalId(null)
                .setTransactionTimeoutMs(60_000).setProducerId(-1).setProducerEpoch((short) -1));

        InitProducerIdResponseData again = initProducerId(new InitProducerIdRequestData().setTransactionalId(null)
                .setTransactionTimeoutMs(60_000).setProducerId(first.producerId())
                .setProducerEpoch(first.producerEpoch()));

        assertThat(again.errorCode()).isZero();
        assertThat(again.producerId()).isNotEqualTo(first.producerId());
        assertThat(again.producerEpoch()).isZero();
    }

    @Test
    void shouldAnswerCoordinatorNotAvailableForTransactionalProducer() {
        InitProducerIdResponseData response = initProducerId(new InitProducerIdRequestData()
                .setTransactionalId("tx").setTransactionTimeoutMs(60_000).setProducerId(-1)
                .setProducerEpoch((short) -1));

        assertThat(response.errorCode()).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE.code());
        assertThat(response.producerId()).isEqualTo(-1);
    }

    @Test
    void shouldReserveNewBlockWhenBlockIsUsedUp() {
        long[] next = {5000};
        int[] calls = {0};
        ProducerIdBlockAllocator allocator = new ProducerIdBlockAllocator(count -> {
            calls[0]++;
            long first = next[0];
            next[0] += count;
            return first;
        }, 2);

        assertThat(allocator.nextProducerId()).isEqualTo(5000);
        assertThat(allocator.nextProducerId()).isEqualTo(5001);
        assertThat(allocator.nextProducerId()).isEqualTo(5002);
        assertThat(calls[0]).isEqualTo(2);
    }
}
