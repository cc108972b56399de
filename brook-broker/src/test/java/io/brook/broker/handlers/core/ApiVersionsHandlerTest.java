package io.brook.broker.handlers.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatRequest;
import org.apache.kafka.common.requests.EndTxnRequest;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.broker.registry.ApiRegistry;

class ApiVersionsHandlerTest {

    private final ApiRegistry registry = new ApiRegistry();
    private final ApiVersionsHandler handler = new ApiVersionsHandler(registry);

    ApiVersionsHandlerTest() {
        registry.register(handler);
        registry.register(new ApiHandler<FetchRequest>() {
            @Override
            public ApiKeys apiKey() {
                return ApiKeys.FETCH;
            }

            @Override
            public CompletableFuture<AbstractResponse> handle(RequestContext context, FetchRequest request) {
                return CompletableFuture.failedFuture(new UnsupportedOperationException());
            }
        });
    }

    @ParameterizedTest
    @ValueSource(shorts = {0, 1, 2, 3, 4, 5})
    void shouldAdvertiseTheRegistryRangesInEveryVersion(short version) {
        ApiVersionsResponse response = handle(valid(version), version);

        assertThat(response.data().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.data().apiKeys()).hasSize(2);
        assertThat(response.apiVersion(ApiKeys.FETCH.id).maxVersion()).isEqualTo(ApiKeys.FETCH.latestVersion(false));
        if (version >= 3) {
            assertThat(response.data().finalizedFeatures().find("metadata.version").maxVersionLevel())
                    .isEqualTo(ApiVersionsHandler.METADATA_VERSION_LEVEL);
            assertThat(response.data().finalizedFeaturesEpoch()).isEqualTo(ApiVersionsHandler.FINALIZED_FEATURES_EPOCH);
            // no ConsumerGroupHeartbeat handler here, so no group.version
            assertThat(response.data().finalizedFeatures().find(ApiVersionsHandler.GROUP_VERSION_FEATURE)).isNull();
            // nor an EndTxn handler, so no transaction.version
            assertThat(response.data().finalizedFeatures().find(ApiVersionsHandler.TRANSACTION_VERSION_FEATURE))
                    .isNull();
        }
    }

    @Test
    void shouldFinalizeGroupVersionWhenTheConsumerGroupProtocolIsServed() {
        registry.register(new ApiHandler<ConsumerGroupHeartbeatRequest>() {
            @Override
            public ApiKeys apiKey() {
                return ApiKeys.CONSUMER_GROUP_HEARTBEAT;
            }

            @Override
            public CompletableFuture<AbstractResponse> handle(RequestContext context,
                    ConsumerGroupHeartbeatRequest request) {
                return CompletableFuture.failedFuture(new UnsupportedOperationException());
            }
        });

        ApiVersionsResponse response = handle(valid((short) 3), (short) 3);

        assertThat(response.data().finalizedFeatures().find(ApiVersionsHandler.GROUP_VERSION_FEATURE)
                .maxVersionLevel()).isEqualTo(ApiVersionsHandler.GROUP_VERSION_LEVEL);
        assertThat(response.data().supportedFeatures().find(ApiVersionsHandler.GROUP_VERSION_FEATURE).maxVersion())
                .isEqualTo(ApiVersionsHandler.GROUP_VERSION_LEVEL);
    }

    @Test
    void shouldFinalizeTransactionVersion2WhenTransactionsAreServedAsKafka44() {
        registry.register(new ApiHandler<EndTxnRequest>() {
            @Override
            public ApiKeys apiKey() {
                return ApiKeys.END_TXN;
            }

            @Override
            public CompletableFuture<AbstractResponse> handle(RequestContext context, EndTxnRequest request) {
                return CompletableFuture.failedFuture(new UnsupportedOperationException());
            }
        });

        ApiVersionsResponse response = handle(valid((short) 3), (short) 3);

        assertThat(response.data().finalizedFeatures().find(ApiVersionsHandler.TRANSACTION_VERSION_FEATURE))
                .satisfies(f -> {
                    assertThat(f.minVersionLevel()).isEqualTo((short) 2);
                    assertThat(f.maxVersionLevel()).isEqualTo((short) 2);
                });
        assertThat(response.data().supportedFeatures().find(ApiVersionsHandler.TRANSACTION_VERSION_FEATURE))
                .satisfies(f -> {
                    assertThat(f.minVersion()).isZero();
                    assertThat(f.maxVersion()).isEqualTo((short) 2);
                });
    }

    @Test
    void shouldAnswerInvalidRequestWhenClientSoftwareNameIsInvalid() {
        ApiVersionsRequest request = new ApiVersionsRequest(
                new ApiVersionsRequestData().setClientSoftwareName("bad name!").setClientSoftwareVersion("1.0"),
                (short) 3);

        assertThat(handle(request, (short) 3).data().errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
    }

    @Test
    void shouldAnswerUnsupportedVersionWithOurRangesForTheKip511Fallback() {
        ApiVersionsRequest fallback = new ApiVersionsRequest(new ApiVersionsRequestData(), (short) 0, (short) 99);

        ApiVersionsResponse response = handle(fallback, (short) 0);

        assertThat(response.data().errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
        assertThat(response.apiVersion(ApiKeys.API_VERSIONS.id).maxVersion())
                .isEqualTo(ApiKeys.API_VERSIONS.latestVersion());
    }

    private static ApiVersionsRequest valid(short version) {
        return new ApiVersionsRequest(
                new ApiVersionsRequestData().setClientSoftwareName("apache-kafka-java")
                        .setClientSoftwareVersion("4.4.0"),
                version);
    }

    /** Handles, then round-trips the response through kafka-clients' codec. */
    private ApiVersionsResponse handle(ApiVersionsRequest request, short responseVersion) {
        RequestContext context = new RequestContext(
                new RequestHeader(ApiKeys.API_VERSIONS, request.version(), "test", 1),
                InetAddress.getLoopbackAddress(), "PLAINTEXT", "c");
        ApiVersionsResponse response = (ApiVersionsResponse) handler.handle(context, request).join();
        return ApiVersionsResponse.parse(MessageUtil.toByteBufferAccessor(response.data(), responseVersion),
                responseVersion);
    }
}
