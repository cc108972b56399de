package io.brook.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.Records;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.brook.broker.HandlerFamily;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.broker.testing.RawKafkaClient;
import io.brook.broker.testing.TestBroker;
import io.netty.buffer.ByteBuf;
import io.netty.channel.FileRegion;
import io.netty.util.ReferenceCountUtil;

/** File-backed records leave as a FileRegion over the log's channel, and arrive intact. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ZeroCopyFetchTest {

    @TempDir
    Path dir;
    private FileRecords log;

    @BeforeEach
    void writeLog() throws IOException {
        log = FileRecords.open(dir.resolve("00000000000000000000.log").toFile());
        log.append(MemoryRecords.withRecords(0L, Compression.NONE, record("a"), record("b")));
        log.append(MemoryRecords.withRecords(2L, Compression.NONE, record("c")));
    }

    @AfterEach
    void closeLog() throws IOException {
        log.close();
    }

    @Test
    void shouldCarryFileRecordsAsAFileRegionWithoutClosingTheLog() throws IOException {
        FetchResponse response = fetchResponse(log.slice(0, log.sizeInBytes()));
        short version = ApiKeys.FETCH.latestVersion(false);

        List<Object> messages = SendWriter.toMessages(response.toSend(new ResponseHeader(1, (short) 1), version));
        try {
            long fileBytes = messages.stream().filter(FileRegion.class::isInstance)
                    .mapToLong(m -> ((FileRegion) m).count()).sum();
            long bufferBytes = messages.stream().filter(ByteBuf.class::isInstance)
                    .mapToLong(m -> ((ByteBuf) m).readableBytes()).sum();
            assertThat(fileBytes).isEqualTo(log.sizeInBytes());
            assertThat(fileBytes + bufferBytes).isEqualTo(response.toSend(new ResponseHeader(1, (short) 1), version)
                    .size());
        } finally {
            messages.forEach(ReferenceCountUtil::release);
        }
        assertThat(log.channel().isOpen()).as("releasing the region must not close the log").isTrue();
    }

    @Test
    void shouldDeliverFileBackedFetchRecordsOverTheSocket() throws IOException {
        HandlerFamily family = () -> List.of(new ApiHandler<FetchRequest>() {
            @Override
            public ApiKeys apiKey() {
                return ApiKeys.FETCH;
            }

            @Override
            public CompletableFuture<AbstractResponse> handle(RequestContext context, FetchRequest request) {
                return CompletableFuture.completedFuture(fetchResponse(log.slice(0, log.sizeInBytes())));
            }
        });
        try (TestBroker broker = TestBroker.start(dir.resolve("broker"), Map.of(), List.of(context -> family));
                RawKafkaClient client = new RawKafkaClient(broker.port())) {
            for (int round = 0; round < 3; round++) {
                FetchRequest request = new FetchRequest(new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0)
                        .setMinBytes(1), (short) 12);
                RequestHeader header = client.send(request, round);

                FetchResponse response = (FetchResponse) client.receive(header);

                PartitionData partition = response.data().responses().get(0).partitions().get(0);
                Records records = FetchResponse.recordsOrFail(partition);
                List<String> values = new ArrayList<>();
                for (Record record : records.records()) {
                    values.add(StandardCharsets.UTF_8.decode(record.value()).toString());
                }
                assertThat(values).containsExactly("a", "b", "c");
            }
        }
        assertThat(log.channel().isOpen()).isTrue();
    }

    private static FetchResponse fetchResponse(Records records) {
        FetchResponseData data = new FetchResponseData().setResponses(List.of(new FetchableTopicResponse()
                .setTopic("t").setPartitions(List.of(new PartitionData().setPartitionIndex(0).setHighWatermark(3)
                        .setRecords(records)))));
        return FetchResponse.of(data);
    }

    private static SimpleRecord record(String value) {
        return new SimpleRecord(value.getBytes(StandardCharsets.UTF_8));
    }
}
