package io.brook.broker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.stream.Stream;

import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Cross-checks the decoder against kafka-clients' serializer for every API and version it defines. */
class RequestDecoderTest {

    static Stream<Arguments> everyApiAndVersion() {
        return Stream.of(ApiKeys.values()).flatMap(key -> key.allVersions().stream().map(v -> Arguments.of(key, v)));
    }

    @ParameterizedTest(name = "{0} v{1}")
    @MethodSource("everyApiAndVersion")
    void shouldDecodeWhatKafkaClientsEncodes(ApiKeys key, short version) throws MalformedRequestException {
        ByteBuffer frame = frame(key, version, 42, sampleBody(key));

        DecodedRequest decoded = RequestDecoder.decode(frame);

        assertThat(decoded.header().apiKey()).isEqualTo(key);
        assertThat(decoded.header().apiVersion()).isEqualTo(version);
        assertThat(decoded.header().correlationId()).isEqualTo(42);
        assertThat(decoded.header().clientId()).isEqualTo("decoder-test");
        assertThat(decoded.request().version()).isEqualTo(version);
        assertThat(decoded.responseVersion()).isEqualTo(version);
    }

    @ParameterizedTest(name = "{0} v{1}")
    @MethodSource("everyApiAndVersion")
    void shouldRejectAFrameMissingItsLastByte(ApiKeys key, short version) {
        ByteBuffer frame = frame(key, version, 1, sampleBody(key));
        ByteBuffer truncated = frame.slice(0, frame.remaining() - 1);

        // A body ending early either fails to parse or (for an all-defaults body) leaves the header short.
        assertThatThrownBy(() -> RequestDecoder.decode(truncated)).isInstanceOf(MalformedRequestException.class);
    }

    @Test
    void shouldTurnANewerApiVersionsRequestIntoTheV0Fallback() throws MalformedRequestException {
        ByteBuffer frame = frame(ApiKeys.API_VERSIONS, (short) 3, 9,
                ApiKeys.API_VERSIONS.messageType.newRequest());
        frame.putShort(2, (short) 77);

        DecodedRequest decoded = RequestDecoder.decode(frame);

        assertThat(decoded.responseVersion()).isZero();
        assertThat(((ApiVersionsRequest) decoded.request()).hasUnsupportedRequestVersion()).isTrue();
        assertThat(decoded.header().correlationId()).isEqualTo(9);
    }

    @Test
    void shouldRejectAVersionOutsideKafkaClientsRange() {
        ByteBuffer frame = frame(ApiKeys.FETCH, (short) 12, 1, ApiKeys.FETCH.messageType.newRequest());
        frame.putShort(2, (short) (ApiKeys.FETCH.latestVersion() + 1));

        assertThatThrownBy(() -> RequestDecoder.decode(frame)).isInstanceOf(MalformedRequestException.class)
                .hasMessageContaining("not supported");
    }

    @Test
    void shouldRejectAFrameTooShortForAHeader() {
        assertThatThrownBy(() -> RequestDecoder.decode(ByteBuffer.wrap(new byte[]{0, 18})))
                .isInstanceOf(MalformedRequestException.class);
    }

    /** The all-defaults body, except where the defaults are not a valid request. */
    private static ApiMessage sampleBody(ApiKeys key) {
        if (key == ApiKeys.DESCRIBE_ACLS) {
            byte any = 1; // ResourceType.ANY, PatternType.ANY, AclOperation.ANY, AclPermissionType.ANY
            return new DescribeAclsRequestData().setResourceTypeFilter(any).setPatternTypeFilter(any)
                    .setOperation(any).setPermissionType(any);
        }
        return key.messageType.newRequest();
    }

    /** Header then body, each serialized by kafka-clients' generated code, without the size prefix. */
    private static ByteBuffer frame(ApiKeys key, short version, int correlationId, ApiMessage body) {
        short headerVersion = key.requestHeaderVersion(version);
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(key.id).setRequestApiVersion(version)
                .setCorrelationId(correlationId).setClientId("decoder-test");
        ByteBuffer headerBytes = MessageUtil.toByteBufferAccessor(header, headerVersion).buffer();
        ByteBuffer bodyBytes = MessageUtil.toByteBufferAccessor(body, version).buffer();
        ByteBuffer frame = ByteBuffer.allocate(headerBytes.remaining() + bodyBytes.remaining());
        frame.put(headerBytes).put(bodyBytes).flip();
        return frame;
    }
}
