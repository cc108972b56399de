package io.brook.broker.handlers.data;

import static io.brook.broker.handlers.data.DataPathTestContext.records;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.brook.broker.testing.FakePartitionLog;

class ProduceHandlerTest {

    private static final short V12 = 12;
    private final DataPathTestContext ctx = new DataPathTestContext();
    private final TopicPartition t0 = new TopicPartition("t", 0);

    private static ProduceResponseData.PartitionProduceResponse only(CompletableFuture<AbstractResponse> future) {
        assertThat(future).isDone();
        ProduceResponseData data = ((ProduceResponse) future.join()).data();
        return data.responses().iterator().next().partitionResponses().get(0);
    }

    @ParameterizedTest
    @ValueSource(shorts = {3, 8, 12, 13})
    void shouldAppendAndAnswerOffsetsWhenAcksIsOne(short version) {
        ctx.createTopic("t", 1);

        ProduceResponseData.PartitionProduceResponse first = only(
                ctx.produce(version, (short) 1, "t", 0, records("a", "b")));
        ProduceResponseData.PartitionProduceResponse second = only(
                ctx.produce(version, (short) 1, "t", 0, records("c")));

        assertThat(first.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(first.baseOffset()).isZero();
        assertThat(first.logAppendTimeMs()).isEqualTo(-1);
        assertThat(first.logStartOffset()).isZero();
        assertThat(second.baseOffset()).isEqualTo(2);
        assertThat(ctx.logs.log(t0).logEndOffset()).isEqualTo(3);
    }

    @Test
    void shouldAnswerNothingWhenAcksIsZero() {
        ctx.createTopic("t", 1);

        CompletableFuture<AbstractResponse> future = ctx.produce(V12, (short) 0, "t", 0, records("a"));

        assertThat(future).isCompletedWithValue(null);
        assertThat(ctx.logs.log(t0).logEndOffset()).isEqualTo(1);
    }

    @Test
    void shouldAnswerOnlyOnceDurableWhenAcksIsAll() {
        ctx.createTopic("t", 1);
        FakePartitionLog log = ctx.logs.log(t0);

        CompletableFuture<AbstractResponse> future = ctx.produce(V12, (short) -1, "t", 0, records("a", "b"));

        assertThat(future).isNotDone();
        assertThat(log.durabilityRequests()).containsExactly(2L);
        log.makeDurableUpTo(1);
        assertThat(future).isNotDone();
        log.makeDurableUpTo(2);
        assertThat(only(future).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(only(future).baseOffset()).isZero();
    }

    @Test
    void shouldAcceptAcksAllWhenMinInsyncReplicasExceedsTheReplicationFactor() {
        // Kafka caps min.insync.replicas at the replica count, so one replica is enough for a single-replica topic.
        ctx.createTopic("t", 1, Map.of("min.insync.replicas", "2"));

        CompletableFuture<AbstractResponse> future = ctx.produce(V12, (short) -1, "t", 0, records("a"));
        ctx.logs.log(t0).makeDurableUpTo(1);

        assertThat(only(future).errorCode()).isEqualTo(Errors.NONE.code());
    }

    @Test
    void shouldAnswerStorageErrorWhenFsyncFailsWithAcksAll() {
        ctx.createTopic("t", 1);

        CompletableFuture<AbstractResponse> future = ctx.produce(V12, (short) -1, "t", 0, records("a"));
        ctx.logs.log(t0).failDurability(new KafkaStorageException("disk gone"));

        assertThat(only(future).errorCode()).isEqualTo(Errors.KAFKA_STORAGE_ERROR.code());
        assertThat(only(future).baseOffset()).isEqualTo(-1);
    }

    @Test
    void shouldAnswerInvalidRequiredAcksAndAppendNothingWhenAcksIsTwo() {
        ctx.createTopic("t", 1);

        ProduceRequest request = new ProduceRequest(
                DataPathTestContext.produceData((short) 2, "t", Uuid.ZERO_UUID, 0, records("a")), V12);
        CompletableFuture<AbstractResponse> future = ctx.produce.handle(
                DataPathTestContext.requestContext(ApiKeys.PRODUCE, V12), request);

        assertThat(only(future).errorCode()).isEqualTo(Errors.INVALID_REQUIRED_ACKS.code());
        assertThat(ctx.logs.log(t0).logEndOffset()).isZero();
    }

    @Test
    void shouldAnswerUnknownTopicOrPartitionWhenTopicOrPartitionIsMissing() {
        ctx.createTopic("t", 1);

        assertThat(only(ctx.produce(V12, (short) 1, "missing", 0, records("a"))).errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(only(ctx.produce(V12, (short) 1, "t", 1, records("a"))).errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    @Test
    void shouldAnswerUnknownTopicIdWhenV13TopicIdIsMissing() {
        ProduceRequest request = ProduceRequest.builder(
                DataPathTestContext.produceData((short) 1, "", Uuid.randomUuid(), 0, records("a")))
                .build((short) 13);

        CompletableFuture<AbstractResponse> future = ctx.produce.handle(
                DataPathTestContext.requestContext(ApiKeys.PRODUCE, (short) 13), request);

        assertThat(only(future).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
    }

    @Test
    void shouldAnswerInvalidTopicWhenNameIsIllegalOrInternal() {
        ctx.createTopic("__consumer_offsets", 1);

        assertThat(only(ctx.produce(V12, (short) 1, "bad name!", 0, records("a"))).errorCode())
                .isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code());
        assertThat(only(ctx.produce(V12, (short) 1, "__consumer_offsets", 0, records("a"))).errorCode())
                .isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code());
    }

    @Test
    void shouldAnswerMessageTooLargeWhenBatchExceedsTopicMaxMessageBytes() {
        ctx.createTopic("t", 1, Map.of("max.message.bytes", "100"));

        ProduceResponseData.PartitionProduceResponse response = only(
                ctx.produce(V12, (short) 1, "t", 0, records("x".repeat(200))));

        assertThat(response.errorCode()).isEqualTo(Errors.MESSAGE_TOO_LARGE.code());
        assertThat(response.errorMessage()).contains("max.message.bytes=100");
        assertThat(ctx.logs.log(t0).logEndOffset()).isZero();
    }

    @Test
    void shouldAnswerTransactionalIdAuthorizationFailedWhenATransactionalBatchComesWithoutTransactionalId() {
        ctx.createTopic("t", 1);
        MemoryRecords transactional = MemoryRecords.withTransactionalRecords(Compression.NONE, 7L, (short) 0, 0,
                new SimpleRecord("v".getBytes()));

        assertThat(only(ctx.produce(V12, (short) 1, "t", 0, transactional)).errorCode())
                .isEqualTo(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code());
        assertThat(ctx.logs.log(t0).logEndOffset()).isZero();
    }

    @Test
    void shouldAnswerInvalidRecordAndAppendNothingWhenAClientSendsATransactionMarker() {
        ctx.createTopic("t", 1);
        MemoryRecords marker = MemoryRecords.withEndTransactionMarker(7L, (short) 0,
                new EndTransactionMarker(ControlRecordType.COMMIT, 0));

        ProduceResponseData.PartitionProduceResponse response = only(ctx.produce(V12, (short) 1, "t", 0, marker));

        assertThat(response.errorCode()).isEqualTo(Errors.INVALID_RECORD.code());
        assertThat(ctx.logs.log(t0).logEndOffset()).isZero();
    }

    @Test
    void shouldMapStorageExceptionsToTheirErrors() {
        ctx.createTopic("t", 1);
        FakePartitionLog log = ctx.logs.log(t0);

        log.failNextAppend(new CorruptRecordException("bad crc"));
        ProduceResponseData.PartitionProduceResponse corrupt = only(ctx.produce(V12, (short) 1, "t", 0,
                records("a")));
        log.failNextAppend(new OutOfOrderSequenceException("gap"));
        ProduceResponseData.PartitionProduceResponse outOfOrder = only(ctx.produce(V12, (short) 1, "t", 0,
                records("a")));
        log.failNextAppend(new IllegalStateException("bug"));
        ProduceResponseData.PartitionProduceResponse unexpected = only(ctx.produce(V12, (short) 1, "t", 0,
                records("a")));

        assertThat(corrupt.errorCode()).isEqualTo(Errors.CORRUPT_MESSAGE.code());
        assertThat(corrupt.errorMessage()).isEqualTo("bad crc");
        assertThat(outOfOrder.errorCode()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.code());
        assertThat(unexpected.errorCode()).isEqualTo(Errors.UNKNOWN_SERVER_ERROR.code());
    }
}
