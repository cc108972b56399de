package io.brook.broker.handlers.admin;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import org.apache.kafka.common.message.DescribeQuorumRequestData;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeQuorumRequest;
import org.apache.kafka.common.requests.DescribeQuorumResponse;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.broker.BrokerContext;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.metadata.cluster.QuorumMetadataStore;
import io.brook.metadata.quorum.QuorumStatus;
import io.brook.metadata.quorum.QuorumUnavailableException;

/**
 * DescribeQuorum ({@code kafka-metadata-quorum describe}, {@code Admin.describeMetadataQuorum}) on any node: where a
 * Kafka broker forwards it to the active controller, this node asks the metadata quorum's leader for its view (the
 * only one with every member's progress) and maps it with {@link QuorumDescription}. As KRaft: a request for anything
 * but {@code __cluster_metadata-0} gets UNKNOWN_TOPIC_OR_PARTITION, and no reachable leader NOT_LEADER_OR_FOLLOWER,
 * which the admin client retries. Never blocks the event loop: the response completes when the leader answers.
 */
final class DescribeQuorumHandler implements ApiHandler<DescribeQuorumRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(DescribeQuorumHandler.class);

    private final Supplier<CompletableFuture<QuorumStatus>> leaderStatus;
    private final String controllerListener;
    private final Time time;

    DescribeQuorumHandler(Supplier<CompletableFuture<QuorumStatus>> leaderStatus, String controllerListener,
            Time time) {
        this.leaderStatus = leaderStatus;
        this.controllerListener = controllerListener;
        this.time = time;
    }

    /** Over the broker's metadata quorum; a node without one (tests' in-memory store) answers that it has none. */
    static DescribeQuorumHandler create(BrokerContext context) {
        Supplier<CompletableFuture<QuorumStatus>> source = context.metadata() instanceof QuorumMetadataStore quorum
                ? quorum::leaderStatus
                : () -> CompletableFuture
                        .failedFuture(new QuorumUnavailableException("this node has no metadata quorum"));
        List<String> controllerListeners = context.config().controllerListenerNames();
        return new DescribeQuorumHandler(source,
                controllerListeners.isEmpty() ? "CONTROLLER" : controllerListeners.get(0),
                context.time());
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_QUORUM;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext requestContext, DescribeQuorumRequest request) {
        if (!asksForTheMetadataPartition(request.data())) {
            return respond(DescribeQuorumRequest.getPartitionLevelErrorResponse(request.data(),
                    Errors.UNKNOWN_TOPIC_OR_PARTITION));
        }
        boolean withNodes = request.version() >= 2;
        return leaderStatus.get().handle((status, error) -> {
            if (error == null) {
                return new DescribeQuorumResponse(
                        QuorumDescription.describe(status, time.milliseconds(), controllerListener, withNodes));
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause()
                    : error;
            if (cause instanceof QuorumUnavailableException) {
                return new DescribeQuorumResponse(
                        QuorumDescription.error(Errors.NOT_LEADER_OR_FOLLOWER, cause.getMessage()));
            }
            LOG.warn("DescribeQuorum failed", cause);
            return new DescribeQuorumResponse(QuorumDescription.error(Errors.UNKNOWN_SERVER_ERROR, cause.toString()));
        });
    }

    private static boolean asksForTheMetadataPartition(DescribeQuorumRequestData data) {
        return data.topics().size() == 1
                && data.topics().get(0).topicName().equals(QuorumDescription.METADATA_PARTITION.topic())
                && data.topics().get(0).partitions().size() == 1
                && data.topics().get(0).partitions().get(0).partitionIndex() == QuorumDescription.METADATA_PARTITION
                        .partition();
    }

    private static CompletableFuture<AbstractResponse> respond(DescribeQuorumResponseData data) {
        return CompletableFuture.completedFuture(new DescribeQuorumResponse(data));
    }
}
