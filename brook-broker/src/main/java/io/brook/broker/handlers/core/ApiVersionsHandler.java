package io.brook.broker.handlers.core;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.FinalizedFeatureKey;
import org.apache.kafka.common.message.ApiVersionsResponseData.FinalizedFeatureKeyCollection;
import org.apache.kafka.common.message.ApiVersionsResponseData.SupportedFeatureKey;
import org.apache.kafka.common.message.ApiVersionsResponseData.SupportedFeatureKeyCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.broker.registry.ApiRegistry;

/**
 * ApiVersions: advertises exactly the registry's ranges. A request newer than we know arrives here as a v0 request
 * flagged {@link ApiVersionsRequest#hasUnsupportedRequestVersion()} (the network layer's KIP-511 fallback) and is
 * answered UNSUPPORTED_VERSION with our ranges, so the client can retry with a version we speak. v3+ requests must
 * name the client software validly, else INVALID_REQUEST.
 *
 * <p>Features (v3+): the single-node broker finalizes {@code metadata.version}, which admin tools show
 * (kafka-features describe), and {@code group.version} 1 when the consumer group protocol (KIP-848) is served, as a
 * Kafka 4.x cluster does, and {@code transaction.version} 2 (KIP-890 part 2: Java clients bump the epoch at every EndTxn
 * and let partition leaders add partitions to the transaction) when transactions are served, as Kafka 4.4 finalizes by
 * default.
 *
 * <p>Stateless apart from the registry; safe on any thread.
 */
public final class ApiVersionsHandler implements ApiHandler<ApiVersionsRequest> {

    static final String METADATA_VERSION_FEATURE = "metadata.version";
    /** 3.3-IV3, the oldest metadata.version a KRaft cluster may run. */
    static final short METADATA_VERSION_MIN = 7;
    /** 4.0-IV3, the metadata.version a fresh Kafka 4.0 cluster finalizes. */
    static final short METADATA_VERSION_LEVEL = 25;
    static final String GROUP_VERSION_FEATURE = "group.version";
    /** group.version 1: the consumer group protocol (KIP-848). */
    static final short GROUP_VERSION_LEVEL = 1;
    static final String TRANSACTION_VERSION_FEATURE = "transaction.version";
    /** transaction.version 2: epoch bump at every EndTxn, partitions added by their leaders (KIP-890 part 2). */
    static final short TRANSACTION_VERSION_LEVEL = 2;
    /** Fixed: the finalized features never change on this broker. */
    static final long FINALIZED_FEATURES_EPOCH = 1;

    private final ApiRegistry registry;

    public ApiVersionsHandler(ApiRegistry registry) {
        this.registry = registry;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.API_VERSIONS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, ApiVersionsRequest request) {
        ApiVersionsResponseData data = new ApiVersionsResponseData().setApiKeys(registry.advertisedVersions());
        if (request.hasUnsupportedRequestVersion()) {
            data.setErrorCode(Errors.UNSUPPORTED_VERSION.code());
        } else if (!request.isValid()) {
            data.setErrorCode(Errors.INVALID_REQUEST.code());
        } else if (request.version() >= 3) {
            addFeatures(data, registry.handler(ApiKeys.CONSUMER_GROUP_HEARTBEAT).isPresent(),
                    registry.handler(ApiKeys.END_TXN).isPresent());
        }
        return CompletableFuture.completedFuture(new ApiVersionsResponse(data));
    }

    private static void addFeatures(ApiVersionsResponseData data, boolean consumerGroupProtocol,
            boolean transactions) {
        SupportedFeatureKeyCollection supported = new SupportedFeatureKeyCollection();
        supported.add(new SupportedFeatureKey().setName(METADATA_VERSION_FEATURE).setMinVersion(METADATA_VERSION_MIN)
                .setMaxVersion(METADATA_VERSION_LEVEL));
        FinalizedFeatureKeyCollection finalized = new FinalizedFeatureKeyCollection();
        finalized.add(new FinalizedFeatureKey().setName(METADATA_VERSION_FEATURE)
                .setMinVersionLevel(METADATA_VERSION_LEVEL).setMaxVersionLevel(METADATA_VERSION_LEVEL));
        if (consumerGroupProtocol) {
            supported.add(new SupportedFeatureKey().setName(GROUP_VERSION_FEATURE).setMinVersion((short) 0)
                    .setMaxVersion(GROUP_VERSION_LEVEL));
            finalized.add(new FinalizedFeatureKey().setName(GROUP_VERSION_FEATURE)
                    .setMinVersionLevel(GROUP_VERSION_LEVEL).setMaxVersionLevel(GROUP_VERSION_LEVEL));
        }
        if (transactions) {
            supported.add(new SupportedFeatureKey().setName(TRANSACTION_VERSION_FEATURE).setMinVersion((short) 0)
                    .setMaxVersion(TRANSACTION_VERSION_LEVEL));
            finalized.add(new FinalizedFeatureKey().setName(TRANSACTION_VERSION_FEATURE)
                    .setMinVersionLevel(TRANSACTION_VERSION_LEVEL).setMaxVersionLevel(TRANSACTION_VERSION_LEVEL));
        }
        data.setSupportedFeatures(supported).setFinalizedFeatures(finalized)
                .setFinalizedFeaturesEpoch(FINALIZED_FEATURES_EPOCH);
    }
}
