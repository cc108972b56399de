package io.brook.broker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.DescribeClusterRequest;
import org.apache.kafka.common.requests.DescribeClusterResponse;
import org.apache.kafka.common.requests.ListGroupsRequest;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.brook.broker.HandlerFamily;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.broker.config.BrokerConfig;
import io.brook.broker.testing.RawKafkaClient;
import io.brook.broker.testing.TestBroker;

/** Bad and unusual input over a real socket against a real broker; every case leaves other clients unaffected. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RawSocketBrokerTest {

    private static final int MAX_REQUEST_BYTES = 64 * 1024;

    @TempDir
    Path dir;
    private TestBroker broker;
    private final ControlledFamily controlled = new ControlledFamily();

    @BeforeEach
    void startBroker() throws IOException {
        broker = TestBroker.start(dir,
                Map.of(BrokerConfig.SOCKET_REQUEST_MAX_BYTES, Integer.toString(MAX_REQUEST_BYTES)),
                List.of(context -> controlled));
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    @Test
    void shouldAnswerApiVersionsWithTheRegistryRanges() throws IOException {
        try (RawKafkaClient client = client()) {
            ApiVersionsResponse response = apiVersions(client, 7);

            assertThat(response.data().errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(response.apiVersion(ApiKeys.METADATA.id).minVersion()).isZero();
            assertThat(response.apiVersion(ApiKeys.METADATA.id).maxVersion())
                    .isEqualTo(ApiKeys.METADATA.latestVersion(false));
            assertThat(response.apiVersion(ApiKeys.DESCRIBE_CLUSTER.id).minVersion()).isEqualTo((short) 1);
            assertThat(response.data().finalizedFeatures().find("metadata.version")).isNotNull();
        }
    }

    @Test
    void shouldAnswerNewerApiVersionsWithV0UnsupportedVersionListingOurRanges() throws IOException {
        try (RawKafkaClient client = client()) {
            // A v3 header (the header version v99 would use too) with the version field patched to 99.
            RequestHeader v3 = new RequestHeader(ApiKeys.API_VERSIONS, (short) 3, "future-client", 5);
            byte[] header = headerBytes(v3, new ApiVersionsRequest(new ApiVersionsRequestData(), (short) 3));
            ByteBuffer.wrap(header).putShort(2, (short) 99);
            byte[] futureBody = {1, 2, 3, 4, 5, 6, 7};
            client.sendRaw(frameOf(header, futureBody));

            ByteBuffer frame = client.receiveFrame();
            assertThat(frame.getInt()).isEqualTo(5);
            ApiVersionsResponse response = ApiVersionsResponse.parse(new ByteBufferAccessor(frame), (short) 0);

            assertThat(response.data().errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
            ApiVersion apiVersions = response.apiVersion(ApiKeys.API_VERSIONS.id);
            assertThat(apiVersions.maxVersion()).isEqualTo(ApiKeys.API_VERSIONS.latestVersion());
            assertThat(response.apiVersion(ApiKeys.METADATA.id)).isNotNull();
        }
    }

    @Test
    void shouldCloseConnectionWhenSizePrefixExceedsMaxAndKeepServingOthers() throws IOException {
        try (RawKafkaClient bad = client(); RawKafkaClient good = client()) {
            bad.sendRaw(ByteBuffer.allocate(4).putInt(MAX_REQUEST_BYTES + 1).array());

            assertThat(bad.isClosedByPeer()).isTrue();
            assertThat(apiVersions(good, 1).data().errorCode()).isEqualTo(Errors.NONE.code());
        }
    }

    @Test
    void shouldCloseConnectionWhenSizePrefixIsNegative() throws IOException {
        try (RawKafkaClient bad = client()) {
            bad.sendRaw(ByteBuffer.allocate(4).putInt(-1).array());

            assertThat(bad.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void shouldKeepServingWhenAClientClosesMidFrame() throws IOException {
        try (RawKafkaClient bad = client()) {
            byte[] frame = RawKafkaClient.frame(RawKafkaClient.header(apiVersionsRequest(), 1), apiVersionsRequest());
            bad.sendRaw(Arrays.copyOf(frame, frame.length - 3));
            bad.shutdownOutput();
        }
        try (RawKafkaClient good = client()) {
            assertThat(apiVersions(good, 2).data().errorCode()).isEqualTo(Errors.NONE.code());
        }
    }

    @Test
    void shouldCloseConnectionOnUnknownApiKey() throws IOException {
        try (RawKafkaClient client = client()) {
            ByteBuffer body = ByteBuffer.allocate(10).putShort((short) 9999).putShort((short) 0).putInt(1)
                    .putShort((short) -1);
            client.sendRaw(frameOf(body.array(), new byte[0]));

            assertThat(client.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void shouldCloseConnectionOnGarbageBody() throws IOException {
        try (RawKafkaClient client = client()) {
            MetadataRequest request = new MetadataRequest.Builder(new MetadataRequestData()).build((short) 12);
            RequestHeader header = RawKafkaClient.header(request, 3);
            client.sendRaw(
                    frameOf(headerBytes(header, request), new byte[]{(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                            (byte) 0xff}));

            assertThat(client.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void shouldCloseConnectionWhenBytesRemainAfterTheBody() throws IOException {
        try (RawKafkaClient client = client()) {
            byte[] frame = RawKafkaClient.frame(RawKafkaClient.header(apiVersionsRequest(), 1), apiVersionsRequest());
            ByteBuffer padded = ByteBuffer.allocate(frame.length + 2);
            padded.putInt(frame.length - 4 + 2).put(frame, 4, frame.length - 4).putShort((short) 0);
            client.sendRaw(padded.array());

            assertThat(client.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void shouldAnswerUnsupportedVersionWhenTheHandlerDoesNotAcceptTheVersion() throws IOException {
        try (RawKafkaClient client = client()) {
            DescribeClusterRequest request = new DescribeClusterRequest.Builder(new DescribeClusterRequestData())
                    .build((short) 0);
            DescribeClusterResponse response = (DescribeClusterResponse) client.receive(client.send(request, 4));

            assertThat(response.data().errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
        }
    }

    @Test
    void shouldAssembleAFrameSplitAcrossSeveralWrites() throws IOException {
        try (RawKafkaClient client = client()) {
            RequestHeader header = RawKafkaClient.header(apiVersionsRequest(), 11);
            byte[] frame = RawKafkaClient.frame(header, apiVersionsRequest());
            client.sendRaw(Arrays.copyOfRange(frame, 0, 3));
            client.sendRaw(Arrays.copyOfRange(frame, 3, frame.length - 1));
            client.sendRaw(Arrays.copyOfRange(frame, frame.length - 1, frame.length));

            AbstractResponse response = client.receive(header);
            assertThat(((ApiVersionsResponse) response).data().errorCode()).isEqualTo(Errors.NONE.code());
        }
    }

    @Test
    void shouldAnswerPipelinedRequestsInOrder() throws IOException {
        try (RawKafkaClient client = client()) {
            List<RequestHeader> headers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                headers.add(i % 2 == 0
                        ? client.send(apiVersionsRequest(), i)
                        : client.send(new MetadataRequest.Builder(new MetadataRequestData().setTopics(null))
                                .build((short) 12), i));
            }
            for (RequestHeader header : headers) {
                // parseResponse fails on a correlation id other than the expected one
                AbstractResponse response = client.receive(header);
                assertThat(response.apiKey()).isEqualTo(header.apiKey());
            }
        }
    }

    @Test
    void shouldWriteResponsesInRequestOrderWhenFuturesCompleteOutOfOrder() throws Exception {
        try (RawKafkaClient client = client()) {
            RequestHeader slow = client.send(
                    new DescribeClusterRequest.Builder(new DescribeClusterRequestData()).build((short) 1), 1);
            client.send(new ListGroupsRequest.Builder(new ListGroupsRequestData()).build((short) 4), 2);
            RequestHeader fast = client.send(apiVersionsRequest(), 3);
            CompletableFuture<AbstractResponse> held = controlled.held.poll(10, TimeUnit.SECONDS);
            assertThat(held).isNotNull();
            assertThat(client.hasNothingToReadWithin(200)).as("nothing may be answered before the first request")
                    .isTrue();

            held.complete(new DescribeClusterResponse(new DescribeClusterResponseData().setClusterId("c")));

            assertThat(client.receive(slow)).isInstanceOf(DescribeClusterResponse.class);
            // the acks=0-like ListGroups sends nothing; the next response is the ApiVersions one
            assertThat(client.receive(fast)).isInstanceOf(ApiVersionsResponse.class);
        }
    }

    @Test
    void shouldDispatchAtMostMaxInFlightRequestsAndResumeAsTheyComplete() throws Exception {
        int total = KafkaConnectionHandler.MAX_IN_FLIGHT + 50;
        try (RawKafkaClient client = client()) {
            List<RequestHeader> headers = sendDescribeClusterBurst(client, total);

            List<CompletableFuture<AbstractResponse>> dispatched = new ArrayList<>();
            awaitDispatched(dispatched, KafkaConnectionHandler.MAX_IN_FLIGHT, Duration.ofSeconds(20));
            assertThat(client.hasNothingToReadWithin(200)).isTrue();
            controlled.held.drainTo(dispatched);
            assertThat(dispatched).hasSize(KafkaConnectionHandler.MAX_IN_FLIGHT);

            for (int i = 0; i < total; i++) {
                if (i == dispatched.size()) {
                    awaitDispatched(dispatched, i + 1, Duration.ofSeconds(20));
                }
                dispatched.get(i).complete(new DescribeClusterResponse(new DescribeClusterResponseData()));
                assertThat(client.receive(headers.get(i))).isInstanceOf(DescribeClusterResponse.class);
            }
        }
    }

    @Test
    void shouldDispatchTheWaitingRequestOnceTheMuteOfAThrottledResponseEnds() throws Exception {
        // a full pipeline plus one waiting request, then a throttled answer mutes the connection: the waiting request
        // must go once the mute ends (the event loop must not spin on it meanwhile)
        int total = KafkaConnectionHandler.MAX_IN_FLIGHT + 1;
        try (RawKafkaClient client = client()) {
            List<RequestHeader> headers = sendDescribeClusterBurst(client, total);
            List<CompletableFuture<AbstractResponse>> dispatched = new ArrayList<>();
            awaitDispatched(dispatched, KafkaConnectionHandler.MAX_IN_FLIGHT, Duration.ofSeconds(20));

            dispatched.get(0).complete(new DescribeClusterResponse(new DescribeClusterResponseData()
                    .setThrottleTimeMs(200)));

            assertThat(client.receive(headers.get(0))).isInstanceOf(DescribeClusterResponse.class);
            awaitDispatched(dispatched, total, Duration.ofSeconds(10));
            for (int i = 1; i < total; i++) {
                dispatched.get(i).complete(new DescribeClusterResponse(new DescribeClusterResponseData()));
                assertThat(client.receive(headers.get(i))).isInstanceOf(DescribeClusterResponse.class);
            }
        }
    }

    @Test
    void shouldAnswerMetadataWithTheBoundListener() throws IOException {
        broker.metadata().createTopic("orders", 3, (short) 1, Map.of());
        try (RawKafkaClient client = client()) {
            MetadataRequest request = new MetadataRequest.Builder(List.of("orders"), false).build((short) 12);
            MetadataResponse response = (MetadataResponse) client.receive(client.send(request, 9));

            assertThat(response.brokers()).singleElement().satisfies(node -> {
                assertThat(node.host()).isEqualTo("localhost");
                assertThat(node.port()).isEqualTo(broker.port());
            });
            assertThat(response.topicMetadata()).singleElement()
                    .satisfies(topic -> assertThat(topic.partitionMetadata()).hasSize(3));
        }
    }

    /** Sends {@code count} DescribeCluster requests in one write, correlation ids 0..count-1. */
    private static List<RequestHeader> sendDescribeClusterBurst(RawKafkaClient client, int count) throws IOException {
        java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
        List<RequestHeader> headers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            DescribeClusterRequest request = new DescribeClusterRequest.Builder(new DescribeClusterRequestData())
                    .build((short) 1);
            RequestHeader header = RawKafkaClient.header(request, i);
            headers.add(header);
            burst.write(RawKafkaClient.frame(header, request));
        }
        client.sendRaw(burst.toByteArray());
        return headers;
    }

    /** Waits until the held handler has been called at least {@code count} times, collecting its futures. */
    private void awaitDispatched(List<CompletableFuture<AbstractResponse>> dispatched, int count, Duration atMost) {
        await().atMost(atMost).until(() -> {
            controlled.held.drainTo(dispatched);
            return dispatched.size() >= count;
        });
    }

    private RawKafkaClient client() throws IOException {
        return new RawKafkaClient(broker.port());
    }

    private static ApiVersionsRequest apiVersionsRequest() {
        return new ApiVersionsRequest(new ApiVersionsRequestData().setClientSoftwareName("raw-test")
                .setClientSoftwareVersion("1.0"), ApiKeys.API_VERSIONS.latestVersion());
    }

    private static ApiVersionsResponse apiVersions(RawKafkaClient client, int correlationId) throws IOException {
        return (ApiVersionsResponse) client.receive(client.send(apiVersionsRequest(), correlationId));
    }

    /** The bytes of {@code header} alone, as kafka-clients serializes them in front of {@code request}. */
    private static byte[] headerBytes(RequestHeader header, AbstractRequest request) {
        ByteBuffer serialized = request.serializeWithHeader(header);
        byte[] bytes = new byte[header.size()];
        serialized.get(bytes);
        return bytes;
    }

    private static byte[] frameOf(byte[] header, byte[] body) {
        return ByteBuffer.allocate(4 + header.length + body.length).putInt(header.length + body.length).put(header)
                .put(body).array();
    }

    /**
     * DescribeCluster from v1 with futures the test completes, and ListGroups answered with nothing (as acks=0
     * produce is).
     */
    static final class ControlledFamily implements HandlerFamily {

        final LinkedBlockingQueue<CompletableFuture<AbstractResponse>> held = new LinkedBlockingQueue<>();

        @Override
        public List<ApiHandler<?>> handlers() {
            return List.of(new ApiHandler<DescribeClusterRequest>() {
                @Override
                public ApiKeys apiKey() {
                    return ApiKeys.DESCRIBE_CLUSTER;
                }

                @Override
                public short minVersion() {
                    return 1;
                }

                @Override
                public CompletableFuture<AbstractResponse> handle(RequestContext context,
                        DescribeClusterRequest request) {
                    CompletableFuture<AbstractResponse> future = new CompletableFuture<>();
                    held.add(future);
                    return future;
                }
            }, new ApiHandler<ListGroupsRequest>() {
                @Override
                public ApiKeys apiKey() {
                    return ApiKeys.LIST_GROUPS;
                }

                @Override
                public CompletableFuture<AbstractResponse> handle(RequestContext context, ListGroupsRequest request) {
                    return CompletableFuture.completedFuture(null);
                }
            });
        }
    }
}
