package io.brook.broker.fuzz;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;

/**
 * Valid request frames (without their size prefix) to start mutating from: every API kafka-clients knows, at every
 * version it can write, with default field values; and, for the data path, requests that carry real content
 * (records, topic names, partitions) aimed at one topic.
 *
 * <p>Immutable after construction.
 */
final class SeedFrames {

    private final List<byte[]> frames = new ArrayList<>();
    private int skipped;

    SeedFrames(String topic, Uuid topicId) {
        for (ApiKeys apiKey : ApiKeys.values()) {
            for (short version : apiKey.allVersions()) {
                add(apiKey, version, apiKey.messageType.newRequest());
            }
        }
        for (short version : ApiKeys.PRODUCE.allVersions()) {
            add(ApiKeys.PRODUCE, version, produce(topic, topicId, version));
        }
        for (short version : ApiKeys.FETCH.allVersions()) {
            add(ApiKeys.FETCH, version, fetch(topic, topicId, version));
        }
        for (short version : ApiKeys.METADATA.allVersions()) {
            add(ApiKeys.METADATA, version, new MetadataRequestData().setTopics(List.of(
                    new MetadataRequestData.MetadataRequestTopic().setName(topic))));
        }
        for (short version : ApiKeys.LIST_OFFSETS.allVersions()) {
            add(ApiKeys.LIST_OFFSETS, version, new ListOffsetsRequestData().setReplicaId(-1).setTopics(List.of(
                    new ListOffsetsRequestData.ListOffsetsTopic().setName(topic).setPartitions(List.of(
                            new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0)
                                    .setTimestamp(-1))))));
        }
        for (short version : ApiKeys.CREATE_TOPICS.allVersions()) {
            CreateTopicsRequestData.CreatableTopicCollection topics = new CreateTopicsRequestData.CreatableTopicCollection();
            topics.add(new CreateTopicsRequestData.CreatableTopic().setName("fuzz-created-" + version)
                    .setNumPartitions(2).setReplicationFactor((short) 1));
            add(ApiKeys.CREATE_TOPICS, version, new CreateTopicsRequestData().setTopics(topics).setTimeoutMs(5000));
        }
    }

    List<byte[]> frames() {
        return frames;
    }

    /** How many (api key, version) pairs could not be written with those values; reported, not an error. */
    int skipped() {
        return skipped;
    }

    /** Header and body of one request, as a client writes them after the size prefix. */
    static byte[] encode(ApiKeys apiKey, short version, int correlationId, ApiMessage body) {
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(apiKey.id).setRequestApiVersion(version)
                .setCorrelationId(correlationId).setClientId("fuzz");
        ByteBuffer headerBytes = MessageUtil.toByteBufferAccessor(header, apiKey.requestHeaderVersion(version))
                .buffer();
        ByteBuffer bodyBytes = MessageUtil.toByteBufferAccessor(body, version).buffer();
        ByteBuffer frame = ByteBuffer.allocate(headerBytes.remaining() + bodyBytes.remaining());
        frame.put(headerBytes).put(bodyBytes);
        return frame.array();
    }

    private void add(ApiKeys apiKey, short version, ApiMessage body) {
        try {
            frames.add(encode(apiKey, version, frames.size(), body));
        } catch (RuntimeException e) {
            // A default or seed value this version cannot carry (a field it does not have).
            skipped++;
        }
    }

    private static ProduceRequestData produce(String topic, Uuid topicId, short version) {
        MemoryRecords records = MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord(System.currentTimeMillis(), "k".getBytes(StandardCharsets.UTF_8),
                        "seed".getBytes(StandardCharsets.UTF_8)));
        ProduceRequestData.TopicProduceData data = new ProduceRequestData.TopicProduceData()
                .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData().setIndex(0)
                        .setRecords(records)));
        if (version >= 13) {
            data.setTopicId(topicId);
        } else {
            data.setName(topic);
        }
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(data);
        return new ProduceRequestData().setAcks((short) -1).setTimeoutMs(5000).setTopicData(topics);
    }

    private static FetchRequestData fetch(String topic, Uuid topicId, short version) {
        FetchRequestData.FetchTopic data = new FetchRequestData.FetchTopic().setPartitions(List.of(
                new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0).setPartitionMaxBytes(65536)));
        if (version >= 13) {
            data.setTopicId(topicId);
        } else {
            data.setTopic(topic);
        }
        // A short wait: a mutated copy that parses should not park the connection for long.
        return new FetchRequestData().setReplicaId(-1).setMaxWaitMs(10).setMinBytes(1).setMaxBytes(1 << 20)
                .setTopics(List.of(data));
    }
}
