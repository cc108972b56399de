package io.brook.broker.handlers.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DeleteRecordsRequest;
import org.apache.kafka.common.requests.DeleteRecordsResponse;
import org.apache.kafka.common.requests.FetchMetadata;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.brook.broker.BrokerContext;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.broker.config.BrokerConfig;
import io.brook.broker.testing.InMemoryMetadataStore;
import io.brook.storage.DefaultLogManager;
import io.brook.storage.LogConfig;
import io.brook.storage.LogManager;

/** DeleteRecords through {@link DataPathHandlers#create} over the real storage engine: results and Kafka's errors. */
@Timeout(30)
class DeleteRecordsHandlerTest {

    @TempDir
    Path dir;
    private LogManager logManager;
    private final InMemoryMetadataStore metadata = new InMemoryMetadataStore();
    private DataPathHandlers family;

    @BeforeEach
    void start() throws Exception {
        logManager = DefaultLogManager.open(List.of(dir), LogConfig.defaults(), Time.SYSTEM);
        BrokerConfig config = BrokerConfig.parse(Map.of("log.dirs", dir.toString()));
        family = DataPathHandlers.create(new BrokerContext(config, "cluster", 1, List.of(), metadata, logManager,
                Time.SYSTEM));
        metadata.createTopic("t", 1, (short) 1, Map.of());
        ProduceResponseData.PartitionProduceResponse produced = produce("t");
        assertThat(produced.errorCode()).isEqualTo(Errors.NONE.code());
    }

    @AfterEach
    void stop() {
        family.close();
        logManager.close();
    }

    @SuppressWarnings("unchecked")
    private <R extends AbstractRequest> CompletableFuture<AbstractResponse> call(ApiKeys api, R request) {
        ApiHandler<R> handler = (ApiHandler<R>) family.handlers().stream().filter(h -> h.apiKey() == api)
                .findFirst().orElseThrow();
        RequestContext context = new RequestContext(new RequestHeader(api, request.version(), "test", 1),
                InetAddress.getLoopbackAddress(), "PLAINTEXT", "c1");
        return handler.handle(context, request);
    }

    /** Five records "a".."e" at offsets 0..4. */
    private ProduceResponseData.PartitionProduceResponse produce(String topic) throws Exception {
        ProduceRequest request = ProduceRequest.builder(DataPathTestContext.produceData((short) 1, topic,
                Uuid.ZERO_UUID, 0, DataPathTestContext.records("a", "b", "c", "d", "e"))).build((short) 12);
        AbstractResponse response = call(ApiKeys.PRODUCE, request).get(10, TimeUnit.SECONDS);
        return ((ProduceResponse) response).data().responses().iterator().next().partitionResponses().get(0);
    }

    private DeleteRecordsResponseData.DeleteRecordsPartitionResult deleteRecords(String topic, long offset,
            short version) throws Exception {
        DeleteRecordsRequestData data = new DeleteRecordsRequestData().setTimeoutMs(1000);
        data.topics().add(new DeleteRecordsRequestData.DeleteRecordsTopic().setName(topic)
                .setPartitions(List.of(new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(0)
                        .setOffset(offset))));
        AbstractResponse response = call(ApiKeys.DELETE_RECORDS, new DeleteRecordsRequest.Builder(data)
                .build(version)).get(10, TimeUnit.SECONDS);
        return ((DeleteRecordsResponse) response).data().topics().iterator().next().partitions().iterator().next();
    }

    private FetchResponseData.PartitionData fetch(long offset) throws Exception {
        Uuid id = metadata.image().topic("t").orElseThrow().id();
        Map<TopicPartition, FetchRequest.PartitionData> partitions = new LinkedHashMap<>();
        partitions.put(new TopicPartition("t", 0), new FetchRequest.PartitionData(id, offset, -1, 1 << 20,
                Optional.empty()));
        FetchRequest request = FetchRequest.Builder.forConsumer((short) 16, 0, 0, partitions)
                .metadata(FetchMetadata.LEGACY).build((short) 16);
        AbstractResponse response = call(ApiKeys.FETCH, request).get(10, TimeUnit.SECONDS);
        return ((FetchResponse) response).data().responses().get(0).partitions().get(0);
    }

    @ParameterizedTest
    @ValueSource(shorts = {0, 1, 2})
    void shouldMoveTheLogStartOffsetAndAnswerItAsTheLowWatermark(short version) throws Exception {
        DeleteRecordsResponseData.DeleteRecordsPartitionResult result = deleteRecords("t", 3, version);

        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.lowWatermark()).isEqualTo(3);
        assertThat(fetch(3).logStartOffset()).isEqualTo(3);
        // whole batches, as Kafka: the consumer skips the records below its fetch offset
        assertThat(DataPathTestContext.values(fetch(3))).endsWith("d", "e");
        assertThat(fetch(2).errorCode()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code());
    }

    @Test
    void shouldDeleteUpToTheHighWatermarkWhenTheOffsetIsMinusOne() throws Exception {
        assertThat(deleteRecords("t", -1, (short) 2).lowWatermark()).isEqualTo(5);
    }

    @Test
    void shouldKeepTheLogStartOffsetWhenTheOffsetIsBelowIt() throws Exception {
        deleteRecords("t", 4, (short) 2);

        DeleteRecordsResponseData.DeleteRecordsPartitionResult result = deleteRecords("t", 1, (short) 2);

        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.lowWatermark()).isEqualTo(4);
    }

    @ParameterizedTest
    @ValueSource(longs = {6, -2})
    void shouldAnswerOffsetOutOfRangeAboveTheHighWatermarkOrBelowMinusOne(long offset) throws Exception {
        DeleteRecordsResponseData.DeleteRecordsPartitionResult result = deleteRecords("t", offset, (short) 2);

        assertThat(result.errorCode()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code());
        assertThat(result.lowWatermark()).isEqualTo(DeleteRecordsResponse.INVALID_LOW_WATERMARK);
        assertThat(fetch(0).errorCode()).isEqualTo(Errors.NONE.code());
    }

    @Test
    void shouldAnswerPolicyViolationForACompactedTopic() throws Exception {
        metadata.createTopic("compacted", 1, (short) 1, Map.of("cleanup.policy", "compact"));
        produce("compacted");

        assertThat(deleteRecords("compacted", 2, (short) 2).errorCode()).isEqualTo(Errors.POLICY_VIOLATION.code());
    }

    @Test
    void shouldAnswerInvalidTopicForAnInternalTopic() throws Exception {
        metadata.createTopic("__consumer_offsets", 1, (short) 1, Map.of());

        assertThat(deleteRecords("__consumer_offsets", 0, (short) 2).errorCode())
                .isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code());
    }

    @Test
    void shouldAnswerUnknownTopicOrPartitionForAnUnknownTopic() throws Exception {
        assertThat(deleteRecords("missing", 0, (short) 2).errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }
}
