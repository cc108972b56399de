package io.brook.broker.handlers.data;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.Records;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FetchMetadata;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.RequestHeader;

import io.brook.broker.BrokerServices;
import io.brook.broker.api.RequestContext;
import io.brook.broker.config.BrokerConfig;
import io.brook.broker.partition.DelayedFetchPurgatory;
import io.brook.broker.partition.LocalPartitions;
import io.brook.broker.partition.LogConfigResolver;
import io.brook.broker.replication.FetcherSettings;
import io.brook.broker.replication.ReplicaManager;
import io.brook.broker.testing.FakeLogManager;
import io.brook.broker.testing.InMemoryMetadataStore;
import io.brook.broker.testing.ManualTime;
import io.brook.metadata.TopicImage;

/**
 * The data-path handlers over in-memory storage and metadata, with a manual clock: {@link #sleep} advances time and
 * expires due fetches, as the timer thread would.
 */
final class DataPathTestContext {

    final ManualTime time = new ManualTime();
    final InMemoryMetadataStore metadata = new InMemoryMetadataStore();
    final FakeLogManager logs = new FakeLogManager();
    final LogConfigResolver configs = new LogConfigResolver(BrokerConfig.parse(Map.of()));
    final LocalPartitions partitions = new LocalPartitions(logs, configs);
    final DelayedFetchPurgatory purgatory = new DelayedFetchPurgatory();
    final ReplicaManager replicas = new ReplicaManager(1, metadata,
            FetcherSettings.from(BrokerConfig.parse(Map.of())), 30_000, time, purgatory::onAppend);
    final FetchSessionCache sessions = new FetchSessionCache(10, 120_000, new java.util.Random(42)::nextInt);
    final ProduceHandler produce = new ProduceHandler(metadata, partitions, purgatory, replicas, configs);
    final FetchHandler fetch = new FetchHandler(metadata, new FetchReader(partitions, replicas, time), sessions,
            purgatory, deadline -> {
            }, time);
    final ListOffsetsHandler listOffsets = new ListOffsetsHandler(metadata, partitions);
    final OffsetForLeaderEpochHandler offsetForLeaderEpoch = new OffsetForLeaderEpochHandler(metadata, partitions,
            replicas);
    final InitProducerIdHandler initProducerId = new InitProducerIdHandler(
            new ProducerIdBlockAllocator(metadata::allocateProducerIds, 1000), new BrokerServices());

    DataPathTestContext() {
        partitions.setRoleListener(replicas);
        metadata.addListener((previous, current) -> partitions.reconcile(current));
    }

    TopicImage createTopic(String name, int partitionCount) {
        return createTopic(name, partitionCount, Map.of());
    }

    TopicImage createTopic(String name, int partitionCount, Map<String, String> configs) {
        return metadata.createTopic(name, partitionCount, (short) 1, configs);
    }

    void sleep(long ms) {
        time.sleep(ms);
        purgatory.expireDue(time.milliseconds());
    }

    static RequestContext requestContext(ApiKeys api, short version) {
        return new RequestContext(new RequestHeader(api, version, "test-client", 1), InetAddress.getLoopbackAddress(),
                "PLAINTEXT", "conn-1");
    }

    static MemoryRecords records(String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(1_000L + i, ("k" + i).getBytes(), values[i].getBytes());
        }
        return MemoryRecords.withRecords(Compression.NONE, records);
    }

    static ProduceRequestData produceData(short acks, String topic, Uuid topicId, int partition,
            MemoryRecords records) {
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData()
                .setName(topic)
                .setTopicId(topicId)
                .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData()
                        .setIndex(partition)
                        .setRecords(records))));
        return new ProduceRequestData().setAcks(acks).setTimeoutMs(30_000).setTopicData(topics);
    }

    CompletableFuture<AbstractResponse> produce(short version, short acks, String topic, int partition,
            MemoryRecords records) {
        Uuid id = metadata.image().topic(topic).map(TopicImage::id).orElse(Uuid.ZERO_UUID);
        ProduceRequestData data = produceData(acks, version >= 13 ? null : topic, version >= 13 ? id : Uuid.ZERO_UUID,
                partition, records);
        if (version >= 13) {
            data.topicData().iterator().next().setName("");
        }
        ProduceRequest request = ProduceRequest.builder(data).build(version);
        return produce.handle(requestContext(ApiKeys.PRODUCE, version), request);
    }

    /** The values of every record in a fetched partition, in offset order, as UTF-8 strings. */
    static List<String> values(FetchResponseData.PartitionData partition) {
        List<String> values = new ArrayList<>();
        for (RecordBatch batch : ((Records) partition.records()).batches()) {
            for (Record record : batch) {
                values.add(StandardCharsets.UTF_8.decode(record.value()).toString());
            }
        }
        return values;
    }

    /** A consumer fetch request builder; partitions in insertion order. */
    static FetchRequest.Builder fetchBuilder(short version, int maxWaitMs, int minBytes,
            Map<TopicPartition, FetchRequest.PartitionData> partitions) {
        return FetchRequest.Builder.forConsumer(version, maxWaitMs, minBytes, new LinkedHashMap<>(partitions))
                .metadata(FetchMetadata.LEGACY);
    }

    FetchRequest.PartitionData fetchPartition(String topic, long offset, int maxBytes) {
        Uuid id = metadata.image().topic(topic).map(TopicImage::id).orElse(Uuid.randomUuid());
        return new FetchRequest.PartitionData(id, offset, -1L, maxBytes, java.util.Optional.empty());
    }

    CompletableFuture<AbstractResponse> fetch(short version, FetchRequest.Builder builder) {
        return fetch.handle(requestContext(ApiKeys.FETCH, version), builder.build(version));
    }

    CompletableFuture<AbstractResponse> listOffsets(short version, IsolationLevel isolation, String topic,
            int partition, long timestamp, int currentLeaderEpoch) {
        ListOffsetsRequestData.ListOffsetsTopic target = new ListOffsetsRequestData.ListOffsetsTopic()
                .setName(topic)
                .setPartitions(List.of(new ListOffsetsRequestData.ListOffsetsPartition()
                        .setPartitionIndex(partition)
                        .setTimestamp(timestamp)
                        .setCurrentLeaderEpoch(currentLeaderEpoch)));
        ListOffsetsRequest request = ListOffsetsRequest.Builder.forConsumer(true, isolation, true, true, true, true)
                .setTargetTimes(List.of(target))
                .build(version);
        return listOffsets.handle(requestContext(ApiKeys.LIST_OFFSETS, version), request);
    }
}
