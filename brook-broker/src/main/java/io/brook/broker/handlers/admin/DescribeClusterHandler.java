package io.brook.broker.handlers.admin;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeClusterResponseData.DescribeClusterBroker;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeClusterRequest;
import org.apache.kafka.common.requests.DescribeClusterResponse;
import org.apache.kafka.common.utils.Utils;

import io.brook.broker.BrokerContext;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.broker.authz.Authorization;
import io.brook.broker.cluster.ClusterView;
import io.brook.metadata.MetadataImage;

/**
 * DescribeCluster from the cluster image. Asked for brokers (endpoint type 1) on a broker listener, or for controllers
 * (2) on a listener named in {@code controller.listener.names}, it lists the registered brokers with their endpoint on
 * the request's listener, and as controller id the quorum leader when it is a broker, else a live broker; the other combinations get MISMATCHED_ENDPOINT_TYPE and unknown
 * types UNSUPPORTED_ENDPOINT_TYPE, as Kafka. Answered inline.
 */
final class DescribeClusterHandler implements ApiHandler<DescribeClusterRequest> {

    static final byte BROKERS = 1;
    static final byte CONTROLLERS = 2;

    /** What a cluster resource allows with no authorizer: every operation Kafka defines for it. */
    private static final int ALL_CLUSTER_OPERATIONS = Utils.to32BitField(Set.of(AclOperation.CREATE.code(),
            AclOperation.CLUSTER_ACTION.code(), AclOperation.DESCRIBE_CONFIGS.code(),
            AclOperation.ALTER_CONFIGS.code(), AclOperation.IDEMPOTENT_WRITE.code(), AclOperation.ALTER.code(),
            AclOperation.DESCRIBE.code()));

    private final BrokerContext context;

    DescribeClusterHandler(BrokerContext context) {
        this.context = context;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CLUSTER;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext requestContext,
            DescribeClusterRequest request) {
        byte wanted = request.data().endpointType();
        byte served = isControllerListener(requestContext.listenerName()) ? CONTROLLERS : BROKERS;
        MetadataImage image = context.metadata().image();
        DescribeClusterResponseData response = new DescribeClusterResponseData()
                .setClusterId(context.clusterId())
                .setControllerId(ClusterView.controllerId(context, image))
                .setEndpointType(wanted);
        if (wanted != BROKERS && wanted != CONTROLLERS) {
            response.setErrorCode(Errors.UNSUPPORTED_ENDPOINT_TYPE.code())
                    .setErrorMessage("Unsupported endpoint type " + wanted);
        } else if (wanted != served) {
            response.setErrorCode(Errors.MISMATCHED_ENDPOINT_TYPE.code())
                    .setErrorMessage("The request was sent to an endpoint of type " + name(served)
                            + ", but we wanted an endpoint of type " + name(wanted));
        } else {
            // Registered unfenced brokers (and fenced ones, flagged, when asked: KIP-1073) with their endpoint on
            // this listener.
            for (ClusterView.BrokerNode node : ClusterView.brokers(context, image, requestContext.listenerName(),
                    request.data().includeFencedBrokers())) {
                response.brokers().add(new DescribeClusterBroker()
                        .setBrokerId(node.id())
                        .setHost(node.host())
                        .setPort(node.port())
                        .setRack(node.rack())
                        .setIsFenced(node.fenced()));
            }
            if (request.data().includeClusterAuthorizedOperations()) {
                Authorization authorization = Authorization.of(context);
                response.setClusterAuthorizedOperations(authorization.enabled()
                        ? authorization.clusterOperations(requestContext)
                        : ALL_CLUSTER_OPERATIONS);
            }
        }
        return CompletableFuture.completedFuture(new DescribeClusterResponse(response));
    }

    private boolean isControllerListener(String listenerName) {
        return listenerName != null && context.config().controllerListenerNames().contains(listenerName);
    }

    private static String name(byte endpointType) {
        return endpointType == CONTROLLERS ? "CONTROLLER" : "BROKER";
    }
}
