package io.brook.broker.handlers.data;

import static io.brook.broker.handlers.data.DataPathTestContext.values;
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
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
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

import io.brook.broker.BrokerContext;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.broker.config.BrokerConfig;
import io.brook.broker.testing.InMemoryMetadataStore;
import io.brook.storage.DefaultLogManager;
import io.brook.storage.LogConfig;
import io.brook.storage.LogManager;

/** The data path through {@link DataPathHandlers#create} over the real storage engine in a temporary directory. */
@Timeout(30)
class DataPathOnRealStorageTest {

    private static final short PRODUCE_V = 12;
    private static final short FETCH_V = 16;

    @TempDir
    Path dir;
    private LogManager logManager;
    private final InMemoryMetadataStore metadata = new InMemoryMetadataStore();
    private DataPathHandlers family;

    @BeforeEach
    void start() {
        logManager = DefaultLogManager.open(List.of(dir), LogConfig.defaults(), Time.SYSTEM);
        BrokerConfig config = BrokerConfig.parse(Map.of("log.dirs", dir.toString()));
        family = DataPathHandlers.create(new BrokerContext(config, "cluster", 1, List.of(), metadata, logManager,
                Time.SYSTEM));
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
        RequestContext context = new RequestContext(new RequestHeader(api, request.version(), "it", 1),
                InetAddress.getLoopbackAddress(), "PLAINTEXT", "c1");
        return handler.handle(context, request);
    }

    private ProduceResponseData.PartitionProduceResponse produce(short acks, MemoryRecords records)
            throws Exception {
        ProduceRequest request = ProduceRequest
                .builder(DataPathTestContext.produceData(acks, "t", Uuid.ZERO_UUID, 0, records))
                .build(PRODUCE_V);
        AbstractResponse response = call(ApiKeys.PRODUCE, request).get(10, TimeUnit.SECONDS);
        return ((ProduceResponse) response).data().responses().iterator().next().partitionResponses().get(0);
    }

    private FetchResponseData.PartitionData fetch(long offset, int maxWaitMs, int minBytes) throws Exception {
        Uuid id = metadata.image().topic("t").orElseThrow().id();
        Map<TopicPartition, FetchRequest.PartitionData> partitions = new LinkedHashMap<>();
        partitions.put(new TopicPartition("t", 0), new FetchRequest.PartitionData(id, offset, -1, 1 << 20,
                Optional.empty()));
        FetchRequest request = FetchRequest.Builder.forConsumer(FETCH_V, maxWaitMs, minBytes, partitions)
                .metadata(FetchMetadata.LEGACY).build(FETCH_V);
        AbstractResponse response = call(ApiKeys.FETCH, request).get(10, TimeUnit.SECONDS);
        return ((FetchResponse) response).data().responses().get(0).partitions().get(0);
    }

    @Test
    void shouldReadBackWhatWasProducedWithAcksAll() throws Exception {
        metadata.createTopic("t", 1, (short) 1, Map.of());

        ProduceResponseData.PartitionProduceResponse first = produce((short) -1,
                DataPathTestContext.records("a", "b"));
        ProduceResponseData.PartitionProduceResponse second = produce((short) 1, DataPathTestContext.records("c"));

        assertThat(first.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(first.baseOffset()).isZero();
        assertThat(second.baseOffset()).isEqualTo(2);
        FetchResponseData.PartitionData fetched = fetch(0, 0, 0);
        assertThat(fetched.highWatermark()).isEqualTo(3);
        assertThat(values(fetched)).containsExactly("a", "b", "c");
    }

    @Test
    void shouldReturnOriginalOffsetsForIdempotentRetry() throws Exception {
        metadata.createTopic("t", 1, (short) 1, Map.of());
        produce((short) 1, DataPathTestContext.records("x"));

        ProduceResponseData.PartitionProduceResponse original = produce((short) 1,
                MemoryRecords.withIdempotentRecords(Compression.NONE, 42L, (short) 0, 0,
                        new SimpleRecord("v".getBytes())));
        ProduceResponseData.PartitionProduceResponse retry = produce((short) 1,
                MemoryRecords.withIdempotentRecords(Compression.NONE, 42L, (short) 0, 0,
                        new SimpleRecord("v".getBytes())));

        assertThat(original.baseOffset()).isEqualTo(1);
        assertThat(retry.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(retry.baseOffset()).isEqualTo(1);
        assertThat(logManager.get(new TopicPartition("t", 0)).orElseThrow().logEndOffset()).isEqualTo(2);
    }

    @Test
    void shouldCompleteLongPollWhenRecordsArrive() throws Exception {
        metadata.createTopic("t", 1, (short) 1, Map.of());
        Uuid id = metadata.image().topic("t").orElseThrow().id();
        FetchRequest request = FetchRequest.Builder.forConsumer(FETCH_V, 20_000, 1,
                Map.of(new TopicPartition("t", 0), new FetchRequest.PartitionData(id, 0, -1, 1 << 20,
                        Optional.empty())))
                .metadata(FetchMetadata.LEGACY).build(FETCH_V);

        CompletableFuture<AbstractResponse> pending = call(ApiKeys.FETCH, request);
        assertThat(pending).isNotDone();
        produce((short) 1, DataPathTestContext.records("wake"));

        FetchResponse response = (FetchResponse) pending.get(10, TimeUnit.SECONDS);
        assertThat(values(response.data().responses().get(0).partitions().get(0))).containsExactly("wake");
    }

    @Test
    void shouldAnswerParkedFetchWhenMaxWaitPasses() throws Exception {
        metadata.createTopic("t", 1, (short) 1, Map.of());

        FetchResponseData.PartitionData partition = fetch(0, 50, 1);

        assertThat(partition.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(values(partition)).isEmpty();
    }

    @Test
    void shouldDeleteLogWhenTopicIsDeleted() {
        Uuid id = metadata.createTopic("t", 1, (short) 1, Map.of()).id();
        assertThat(logManager.get(new TopicPartition("t", 0))).isPresent();

        metadata.deleteTopic(id);

        assertThat(logManager.get(new TopicPartition("t", 0))).isEmpty();
    }
}
