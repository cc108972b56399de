package io.brook.broker.handlers.data;

import static io.brook.broker.handlers.data.DataPathTestContext.requestContext;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.ListOffsetsResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.TransactionResult;
import org.apache.kafka.common.requests.WriteTxnMarkersRequest;
import org.apache.kafka.common.requests.WriteTxnMarkersResponse;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.brook.broker.BrokerServices;
import io.brook.broker.config.BrokerConfig;
import io.brook.broker.partition.DelayedFetchPurgatory;
import io.brook.broker.partition.LocalPartitions;
import io.brook.broker.partition.LogConfigResolver;
import io.brook.broker.replication.FetcherSettings;
import io.brook.broker.replication.ReplicaManager;
import io.brook.broker.replication.ReplicatedPartitionWriter;
import io.brook.broker.testing.InMemoryMetadataStore;
import io.brook.broker.txn.TransactionMarkerWriter;
import io.brook.broker.txn.TransactionVerifier;
import io.brook.storage.DefaultLogManager;
import io.brook.storage.LogConfig;
import io.brook.storage.LogManager;

/**
 * The partition side of transactions through the data-path handlers over real storage, driven by hand-built requests
 * (a coordinator's WriteTxnMarkers included): transactional Produce, markers, read_committed Fetch and ListOffsets.
 */
@Timeout(60)
class TransactionalDataPathTest {

    private static final String TOPIC = "t";
    private static final long PID = 1000L;
    private static final short EPOCH = 1;

    @TempDir
    Path dir;

    private final InMemoryMetadataStore metadata = new InMemoryMetadataStore();
    private final BrokerServices services = new BrokerServices();
    private LogManager logs;
    private ProduceHandler produce;
    private FetchHandler fetch;
    private ListOffsetsHandler listOffsets;
    private WriteTxnMarkersHandler markers;
    private ReplicaManager replicas;

    @BeforeEach
    void setUp() {
        logs = DefaultLogManager.open(List.of(dir), LogConfig.defaults(), Time.SYSTEM);
        BrokerConfig config = BrokerConfig.parse(Map.of());
        LogConfigResolver configs = new LogConfigResolver(config);
        LocalPartitions partitions = new LocalPartitions(logs, configs);
        DelayedFetchPurgatory purgatory = new DelayedFetchPurgatory();
        replicas = new ReplicaManager(1, metadata, FetcherSettings.from(config), 30_000, Time.SYSTEM,
                purgatory::onAppend);
        partitions.setRoleListener(replicas);
        metadata.addListener((previous, current) -> partitions.reconcile(current));
        produce = new ProduceHandler(metadata, partitions, purgatory, replicas, configs, services);
        fetch = new FetchHandler(metadata, new FetchReader(partitions, replicas, Time.SYSTEM),
                new FetchSessionCache(10, 120_000, new java.util.Random(42)::nextInt), purgatory, deadline -> {
                }, Time.SYSTEM);
        listOffsets = new ListOffsetsHandler(metadata, partitions);
        markers = new WriteTxnMarkersHandler(metadata, partitions,
                new ReplicatedPartitionWriter(replicas, tp -> 1, purgatory::onAppend), services, Time.SYSTEM);
        metadata.createTopic(TOPIC, 1, (short) 1, Map.of());
    }

    @AfterEach
    void tearDown() {
        replicas.close();
        logs.close();
    }

    private static MemoryRecords transactional(int sequence, String... values) {
        return MemoryRecords.withTransactionalRecords(Compression.NONE, PID, EPOCH, sequence, simple(values));
    }

    private static SimpleRecord[] simple(String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(System.currentTimeMillis(), null, values[i].getBytes());
        }
        return records;
    }

    private ProduceResponseData.PartitionProduceResponse produce(String transactionalId, MemoryRecords records)
            throws Exception {
        ProduceRequestData data = DataPathTestContext.produceData((short) -1, TOPIC, Uuid.ZERO_UUID, 0, records)
                .setTransactionalId(transactionalId);
        short version = 12;
        ProduceResponse response = (ProduceResponse) produce
                .handle(requestContext(ApiKeys.PRODUCE, version), ProduceRequest.builder(data).build(version))
                .get(30, TimeUnit.SECONDS);
        return response.data().responses().iterator().next().partitionResponses().get(0);
    }

    private Errors writeMarker(String topic, short producerEpoch, int coordinatorEpoch, TransactionResult result)
            throws Exception {
        WriteTxnMarkersRequestData data = new WriteTxnMarkersRequestData().setMarkers(List.of(
                new WriteTxnMarkersRequestData.WritableTxnMarker().setProducerId(PID).setProducerEpoch(producerEpoch)
                        .setCoordinatorEpoch(coordinatorEpoch).setTransactionResult(result.id)
                        .setTopics(List.of(new WriteTxnMarkersRequestData.WritableTxnMarkerTopic().setName(topic)
                                .setPartitionIndexes(List.of(0))))));
        short version = ApiKeys.WRITE_TXN_MARKERS.latestVersion();
        WriteTxnMarkersResponse response = (WriteTxnMarkersResponse) markers
                .handle(requestContext(ApiKeys.WRITE_TXN_MARKERS, version),
                        new WriteTxnMarkersRequest.Builder(data).build(version))
                .get(30, TimeUnit.SECONDS);
        WriteTxnMarkersResponseData.WritableTxnMarkerResult marker = response.data().markers().get(0);
        assertThat(marker.producerId()).isEqualTo(PID);
        return Errors.forCode(marker.topics().get(0).partitions().get(0).errorCode());
    }

    private FetchResponseData.PartitionData fetch(IsolationLevel isolation) throws Exception {
        Uuid id = metadata.image().topic(TOPIC).orElseThrow().id();
        FetchRequest.Builder builder = DataPathTestContext.fetchBuilder((short) 16, 0, 0,
                Map.of(new TopicPartition(TOPIC, 0),
                        new FetchRequest.PartitionData(id, 0, -1L, 1 << 20, Optional.empty())))
                .isolationLevel(isolation);
        FetchResponse response = (FetchResponse) fetch
                .handle(requestContext(ApiKeys.FETCH, (short) 16), builder.build((short) 16))
                .get(30, TimeUnit.SECONDS);
        return response.data().responses().get(0).partitions().get(0);
    }

    private long latestOffset(IsolationLevel isolation) throws Exception {
        ListOffsetsRequestData.ListOffsetsTopic target = new ListOffsetsRequestData.ListOffsetsTopic().setName(TOPIC)
                .setPartitions(List.of(new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0)
                        .setTimestamp(ListOffsetsRequest.LATEST_TIMESTAMP).setCurrentLeaderEpoch(-1)));
        short version = 8;
        ListOffsetsRequest request = ListOffsetsRequest.Builder.forConsumer(true, isolation, false, false, false,
                false).setTargetTimes(List.of(target)).build(version);
        ListOffsetsResponse response = (ListOffsetsResponse) listOffsets
                .handle(requestContext(ApiKeys.LIST_OFFSETS, version), request).get(30, TimeUnit.SECONDS);
        ListOffsetsResponseData.ListOffsetsPartitionResponse partition = response.data().topics().get(0).partitions()
                .get(0);
        assertThat(Errors.forCode(partition.errorCode())).isEqualTo(Errors.NONE);
        return partition.offset();
    }

    @Test
    void shouldHideAnOpenTransactionFromReadCommittedAndListItsAbortedRecordsOnceAborted() throws Exception {
        assertThat(produce("tx", transactional(0, "a", "b")).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(produce(null, DataPathTestContext.records("c")).errorCode()).isEqualTo(Errors.NONE.code());

        FetchResponseData.PartitionData committed = fetch(IsolationLevel.READ_COMMITTED);
        assertThat(DataPathTestContext.values(committed)).isEmpty();
        assertThat(committed.lastStableOffset()).isZero();
        assertThat(committed.highWatermark()).isEqualTo(3);
        assertThat(DataPathTestContext.values(fetch(IsolationLevel.READ_UNCOMMITTED))).containsExactly("a", "b", "c");
        assertThat(latestOffset(IsolationLevel.READ_COMMITTED)).isZero();
        assertThat(latestOffset(IsolationLevel.READ_UNCOMMITTED)).isEqualTo(3);

        assertThat(writeMarker(TOPIC, EPOCH, 0, TransactionResult.ABORT)).isEqualTo(Errors.NONE);

        committed = fetch(IsolationLevel.READ_COMMITTED);
        assertThat(committed.lastStableOffset()).isEqualTo(4);
        assertThat(committed.abortedTransactions()).containsExactly(
                new FetchResponseData.AbortedTransaction().setProducerId(PID).setFirstOffset(0));
        assertThat(latestOffset(IsolationLevel.READ_COMMITTED)).isEqualTo(4);
        assertThat(fetch(IsolationLevel.READ_UNCOMMITTED).abortedTransactions()).isNull();
    }

    @Test
    void shouldRefuseTransactionalRecordsWithoutATransactionalId() throws Exception {
        ProduceResponseData.PartitionProduceResponse response = produce(null, transactional(0, "a"));

        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
    }

    @Test
    void shouldAskTheVerifierOnceBeforeTheFirstBatchOfATransactionAndAnswerItsError() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<Errors> answer = new AtomicReference<>(Errors.INVALID_TXN_STATE);
        services.register(TransactionVerifier.class, (transactionalId, producerId, producerEpoch, partition,
                addPartition) -> {
            calls.incrementAndGet();
            assertThat(transactionalId).isEqualTo("tx");
            assertThat(addPartition).as("Produce v12 adds the partition (transaction version 2)").isTrue();
            // completed later, on another thread, as a coordinator answers
            return CompletableFuture.supplyAsync(answer::get);
        });

        assertThat(Errors.forCode(produce("tx", transactional(0, "a")).errorCode()))
                .isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(calls).hasValue(1);

        answer.set(Errors.NONE);
        assertThat(produce("tx", transactional(0, "a")).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(produce("tx", transactional(1, "b")).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(calls).as("the open transaction needs no second verification").hasValue(2);
    }

    @Test
    void shouldRefuseAVerifiedBatchWhenAMarkerLandedBetweenItsVerificationAndItsAppend() throws Exception {
        CompletableFuture<Errors> verification = new CompletableFuture<>();
        CountDownLatch asked = new CountDownLatch(1);
        services.register(TransactionVerifier.class, (transactionalId, producerId, producerEpoch, partition,
                addPartition) -> {
            asked.countDown();
            return verification;
        });
        ProduceRequestData data = DataPathTestContext.produceData((short) -1, TOPIC, Uuid.ZERO_UUID, 0,
                transactional(0, "a")).setTransactionalId("tx");
        // Transaction version 1 (Produce v11): the abort marker keeps the epoch, so only the guard stops the batch.
        CompletableFuture<AbstractResponse> pending = produce.handle(requestContext(ApiKeys.PRODUCE, (short) 11),
                ProduceRequest.builder(data).build((short) 11));
        assertThat(asked.await(10, TimeUnit.SECONDS)).isTrue();

        // The transaction is aborted before the verified batch is appended.
        assertThat(writeMarker(TOPIC, EPOCH, 0, TransactionResult.ABORT)).isEqualTo(Errors.NONE);
        verification.complete(Errors.NONE);

        ProduceResponse response = (ProduceResponse) pending.get(30, TimeUnit.SECONDS);
        assertThat(Errors.forCode(response.data().responses().iterator().next().partitionResponses().get(0)
                .errorCode())).isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(logs.get(new TopicPartition(TOPIC, 0)).orElseThrow().logEndOffset())
                .as("only the marker: the batch did not open a transaction nobody would end").isEqualTo(1);
    }

    @Test
    void shouldAnswerMarkerErrorsPerPartition() throws Exception {
        produce("tx", transactional(0, "a"));
        assertThat(writeMarker(TOPIC, EPOCH, 3, TransactionResult.COMMIT)).isEqualTo(Errors.NONE);
        produce("tx", transactional(1, "b"));

        assertThat(writeMarker("missing", EPOCH, 3, TransactionResult.COMMIT))
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(writeMarker(TOPIC, (short) (EPOCH - 1), 3, TransactionResult.COMMIT))
                .isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(writeMarker(TOPIC, EPOCH, 2, TransactionResult.COMMIT))
                .isEqualTo(Errors.TRANSACTION_COORDINATOR_FENCED);
        assertThat(fetch(IsolationLevel.READ_COMMITTED).lastStableOffset()).isEqualTo(2);
    }

    @Test
    void shouldDelegateMarkersOfPartitionsTheMarkerWriterHandles() throws Exception {
        services.register(TransactionMarkerWriter.class, new TransactionMarkerWriter() {
            @Override
            public boolean handles(TopicPartition partition) {
                return partition.topic().equals(TOPIC);
            }

            @Override
            public CompletableFuture<Errors> writeMarker(TopicPartition partition, long producerId,
                    short producerEpoch, int coordinatorEpoch, TransactionResult result) {
                return CompletableFuture.completedFuture(Errors.COORDINATOR_LOAD_IN_PROGRESS);
            }
        });

        assertThat(writeMarker(TOPIC, EPOCH, 0, TransactionResult.COMMIT))
                .isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS);
        assertThat(fetch(IsolationLevel.READ_UNCOMMITTED).highWatermark()).isZero();
    }
}
