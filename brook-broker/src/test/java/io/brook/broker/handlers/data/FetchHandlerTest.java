package io.brook.broker.handlers.data;

import static io.brook.broker.handlers.data.DataPathTestContext.records;
import static io.brook.broker.handlers.data.DataPathTestContext.values;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FetchMetadata;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FetchHandlerTest {

    private static final short V12 = 12;
    private final DataPathTestContext ctx = new DataPathTestContext();

    private static FetchResponseData data(CompletableFuture<AbstractResponse> future) {
        assertThat(future).isDone();
        return ((FetchResponse) future.join()).data();
    }

    private static List<FetchResponseData.PartitionData> partitions(FetchResponseData data) {
        List<FetchResponseData.PartitionData> all = new ArrayList<>();
        data.responses().forEach(topic -> all.addAll(topic.partitions()));
        return all;
    }

    private static int batchSize() {
        return records("0123456789").sizeInBytes();
    }

    private void produce(String topic, int partition, String... values) {
        ctx.produce(V12, (short) 1, topic, partition, records(values));
    }

    private Map<TopicPartition, FetchRequest.PartitionData> one(String topic, int partition, long offset,
            int maxBytes) {
        return Map.of(new TopicPartition(topic, partition), ctx.fetchPartition(topic, offset, maxBytes));
    }

    @ParameterizedTest
    @ValueSource(shorts = {4, 7, 12, 13, 18})
    void shouldReturnProducedRecordsAtEveryVersion(short version) {
        ctx.createTopic("t", 1);
        produce("t", 0, "a", "b");
        produce("t", 0, "c");

        FetchResponseData data = data(ctx.fetch(version,
                DataPathTestContext.fetchBuilder(version, 0, 0, one("t", 0, 0, 1 << 20))));

        FetchResponseData.PartitionData partition = partitions(data).get(0);
        assertThat(partition.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(partition.highWatermark()).isEqualTo(3);
        assertThat(partition.lastStableOffset()).isEqualTo(3);
        assertThat(partition.logStartOffset()).isZero();
        assertThat(partition.preferredReadReplica()).isEqualTo(-1);
        assertThat(values(partition)).containsExactly("a", "b", "c");
        if (version >= 13) {
            assertThat(data.responses().get(0).topicId()).isEqualTo(ctx.metadata.image().topic("t").get().id());
        } else {
            assertThat(data.responses().get(0).topic()).isEqualTo("t");
        }
    }

    @Test
    void shouldStopAtPartitionMaxBytesButReturnOneWholeBatch() {
        ctx.createTopic("t", 1);
        produce("t", 0, "0123456789");
        produce("t", 0, "0123456789");

        FetchResponseData limited = data(ctx.fetch(V12,
                DataPathTestContext.fetchBuilder(V12, 0, 0, one("t", 0, 0, batchSize() + batchSize() / 2))));
        FetchResponseData tiny = data(ctx.fetch(V12,
                DataPathTestContext.fetchBuilder(V12, 0, 0, one("t", 0, 0, 10))));

        assertThat(values(partitions(limited).get(0))).hasSize(1);
        assertThat(values(partitions(tiny).get(0))).as("first partition gets one whole batch").hasSize(1);
    }

    @Test
    void shouldStopAtResponseMaxBytesAcrossPartitions() {
        ctx.createTopic("t", 2);
        produce("t", 0, "0123456789");
        produce("t", 1, "0123456789");
        Map<TopicPartition, FetchRequest.PartitionData> both = new LinkedHashMap<>();
        both.put(new TopicPartition("t", 0), ctx.fetchPartition("t", 0, 1 << 20));
        both.put(new TopicPartition("t", 1), ctx.fetchPartition("t", 0, 1 << 20));

        FetchResponseData data = data(ctx.fetch(V12,
                DataPathTestContext.fetchBuilder(V12, 0, 0, both).setMaxBytes(batchSize())));

        List<FetchResponseData.PartitionData> partitions = partitions(data);
        assertThat(values(partitions.get(0))).hasSize(1);
        assertThat(values(partitions.get(1))).isEmpty();
        assertThat(partitions.get(1).highWatermark()).isEqualTo(1);
    }

    @Test
    void shouldGiveFirstPartitionWithDataOneBatchEvenAboveResponseMaxBytes() {
        ctx.createTopic("t", 2);
        produce("t", 1, "0123456789");
        Map<TopicPartition, FetchRequest.PartitionData> both = new LinkedHashMap<>();
        both.put(new TopicPartition("t", 0), ctx.fetchPartition("t", 0, 1 << 20));
        both.put(new TopicPartition("t", 1), ctx.fetchPartition("t", 0, 1 << 20));

        FetchResponseData data = data(ctx.fetch(V12,
                DataPathTestContext.fetchBuilder(V12, 0, 0, both).setMaxBytes(1)));

        assertThat(values(partitions(data).get(1))).containsExactly("0123456789");
    }

    @Test
    void shouldAnswerPartitionErrors() {
        ctx.createTopic("t", 1);
        produce("t", 0, "a");
        Map<TopicPartition, FetchRequest.PartitionData> request = new LinkedHashMap<>();
        request.put(new TopicPartition("missing", 0), ctx.fetchPartition("missing", 0, 1024));
        request.put(new TopicPartition("t", 0), ctx.fetchPartition("t", 5, 1024));

        List<FetchResponseData.PartitionData> partitions = partitions(data(ctx.fetch(V12,
                DataPathTestContext.fetchBuilder(V12, 0, 0, request))));

        assertThat(partitions.get(0).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(partitions.get(1).errorCode()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code());
        assertThat(partitions.get(1).highWatermark()).isEqualTo(-1);
    }

    @Test
    void shouldAnswerUnknownTopicIdWhenV13TopicIdIsMissing() {
        Map<TopicPartition, FetchRequest.PartitionData> request = Map.of(new TopicPartition("gone", 0),
                new FetchRequest.PartitionData(Uuid.randomUuid(), 0, -1, 1024, Optional.empty()));

        List<FetchResponseData.PartitionData> partitions = partitions(data(ctx.fetch((short) 13,
                DataPathTestContext.fetchBuilder((short) 13, 0, 0, request))));

        assertThat(partitions.get(0).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
    }

    @Test
    void shouldAnswerUnknownLeaderEpochWhenClientIsAhead() {
        ctx.createTopic("t", 1);
        Uuid id = ctx.metadata.image().topic("t").get().id();
        Map<TopicPartition, FetchRequest.PartitionData> request = Map.of(new TopicPartition("t", 0),
                new FetchRequest.PartitionData(id, 0, -1, 1024, Optional.of(1)));

        List<FetchResponseData.PartitionData> partitions = partitions(data(ctx.fetch(V12,
                DataPathTestContext.fetchBuilder(V12, 0, 0, request))));

        assertThat(partitions.get(0).errorCode()).isEqualTo(Errors.UNKNOWN_LEADER_EPOCH.code());
    }

    @Test
    void shouldCheckLeaderEpochBothWays() {
        assertThat(LeaderEpochs.check(-1, 3)).isEqualTo(Errors.NONE);
        assertThat(LeaderEpochs.check(3, 3)).isEqualTo(Errors.NONE);
        assertThat(LeaderEpochs.check(2, 3)).isEqualTo(Errors.FENCED_LEADER_EPOCH);
        assertThat(LeaderEpochs.check(4, 3)).isEqualTo(Errors.UNKNOWN_LEADER_EPOCH);
    }

    @Test
    void shouldReturnEmptyAbortedTransactionsWhenReadCommitted() {
        ctx.createTopic("t", 1);
        produce("t", 0, "a");

        FetchResponseData committed = data(ctx.fetch(V12, DataPathTestContext
                .fetchBuilder(V12, 0, 0, one("t", 0, 0, 1024)).isolationLevel(IsolationLevel.READ_COMMITTED)));
        FetchResponseData uncommitted = data(ctx.fetch(V12,
                DataPathTestContext.fetchBuilder(V12, 0, 0, one("t", 0, 0, 1024))));

        assertThat(partitions(committed).get(0).abortedTransactions()).isEmpty();
        assertThat(partitions(uncommitted).get(0).abortedTransactions()).isNull();
        assertThat(values(partitions(committed).get(0))).containsExactly("a");
    }

    @Test
    void shouldWaitForDataAndCompleteWhenProduceArrives() {
        ctx.createTopic("t", 1);

        CompletableFuture<AbstractResponse> future = ctx.fetch(V12,
                DataPathTestContext.fetchBuilder(V12, 500, 1, one("t", 0, 0, 1024)));
        assertThat(future).isNotDone();
        assertThat(ctx.purgatory.watching(new TopicPartition("t", 0))).isEqualTo(1);

        produce("t", 0, "late");

        assertThat(values(partitions(data(future)).get(0))).containsExactly("late");
        assertThat(ctx.purgatory.size()).isZero();
    }

    @Test
    void shouldKeepWaitingWhileFewerThanMinBytesArrived() {
        ctx.createTopic("t", 1);

        CompletableFuture<AbstractResponse> future = ctx.fetch(V12,
                DataPathTestContext.fetchBuilder(V12, 500, 2 * batchSize(), one("t", 0, 0, 1 << 20)));
        produce("t", 0, "0123456789");
        assertThat(future).isNotDone();
        produce("t", 0, "0123456789");

        assertThat(values(partitions(data(future)).get(0))).hasSize(2);
    }

    @Test
    void shouldAnswerWithWhatIsThereWhenMaxWaitPasses() {
        ctx.createTopic("t", 1);

        CompletableFuture<AbstractResponse> future = ctx.fetch(V12,
                DataPathTestContext.fetchBuilder(V12, 500, 1, one("t", 0, 0, 1024)));
        ctx.sleep(499);
        assertThat(future).isNotDone();
        ctx.sleep(1);

        FetchResponseData.PartitionData partition = partitions(data(future)).get(0);
        assertThat(partition.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(values(partition)).isEmpty();
    }

    @Test
    void shouldAnswerAtOnceWhenAPartitionHasAnError() {
        CompletableFuture<AbstractResponse> future = ctx.fetch(V12,
                DataPathTestContext.fetchBuilder(V12, 500, 1, one("missing", 0, 0, 1024)));

        assertThat(partitions(data(future)).get(0).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    @Test
    void shouldOpenSessionAndAnswerOnlyChangedPartitionsIncrementally() {
        ctx.createTopic("t", 2);
        produce("t", 0, "a");
        Map<TopicPartition, FetchRequest.PartitionData> both = new LinkedHashMap<>();
        both.put(new TopicPartition("t", 0), ctx.fetchPartition("t", 1, 1024));
        both.put(new TopicPartition("t", 1), ctx.fetchPartition("t", 0, 1024));

        FetchResponseData full = data(ctx.fetch(V12,
                DataPathTestContext.fetchBuilder(V12, 0, 0, both).metadata(FetchMetadata.INITIAL)));
        int sessionId = full.sessionId();
        assertThat(sessionId).isNotZero();
        assertThat(partitions(full)).hasSize(2);

        FetchResponseData quiet = data(ctx.fetch(V12, DataPathTestContext.fetchBuilder(V12, 0, 0, Map.of())
                .metadata(new FetchMetadata(sessionId, 1))));
        assertThat(quiet.sessionId()).isEqualTo(sessionId);
        assertThat(quiet.responses()).isEmpty();

        produce("t", 1, "b");
        FetchResponseData changed = data(ctx.fetch(V12, DataPathTestContext.fetchBuilder(V12, 0, 0, Map.of())
                .metadata(new FetchMetadata(sessionId, 2))));
        assertThat(partitions(changed)).hasSize(1);
        assertThat(partitions(changed).get(0).partitionIndex()).isEqualTo(1);
        assertThat(values(partitions(changed).get(0))).containsExactly("b");
    }

    @Test
    void shouldAnswerTopLevelErrorWhenSessionIsUnknown() {
        FetchResponseData data = data(ctx.fetch(V12, DataPathTestContext.fetchBuilder(V12, 0, 0, Map.of())
                .metadata(new FetchMetadata(424242, 3))));

        assertThat(data.errorCode()).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND.code());
        assertThat(data.responses()).isEmpty();
        assertThat(data.sessionId()).isZero();
    }
}
