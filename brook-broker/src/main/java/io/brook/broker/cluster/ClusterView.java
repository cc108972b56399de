package io.brook.broker.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

import io.brook.broker.BrokerContext;
import io.brook.metadata.BrokerRegistration;
import io.brook.metadata.Endpoint;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.TopicImage;
import io.brook.metadata.cluster.QuorumMetadataStore;

/**
 * The cluster as handlers describe it to clients, read from the metadata image: brokers with the endpoint of the
 * listener a request came in on, each partition's registration, the controller id. A store without broker
 * registrations (a test double) is read as the single node this broker is, leading every partition.
 *
 * <p>Stateless and thread-safe.
 */
public final class ClusterView {

    private ClusterView() {
    }

    /** A broker as responses list it. */
    public record BrokerNode(int id, String host, int port, String rack, boolean fenced) {
    }

    /**
     * Registered brokers that have an endpoint on {@code listenerName}, ordered by id; fenced ones only when
     * {@code includeFenced}.
     */
    public static List<BrokerNode> brokers(BrokerContext broker, MetadataImage image, String listenerName,
            boolean includeFenced) {
        if (image.brokers().isEmpty()) {
            return selfOnly(broker, listenerName);
        }
        List<BrokerNode> nodes = new ArrayList<>();
        for (BrokerRegistration registration : new TreeMap<>(image.brokers()).values()) {
            if (registration.fenced() && !includeFenced) {
                continue;
            }
            endpoint(registration, listenerName).ifPresent(e -> nodes.add(new BrokerNode(registration.id(), e.host(),
                    e.port(), registration.rack(), registration.fenced())));
        }
        return nodes;
    }

    /** The partition's registration, or this node leading it alone when the store keeps no registrations. */
    public static PartitionRegistration partition(BrokerContext broker, TopicImage topic, int index) {
        return topic.partition(index).orElseGet(() -> PartitionRegistration.initial(List.of(broker.nodeId()),
                List.of(broker.nodeId()), broker.nodeId()));
    }

    /** Whether a replica's broker is registered and unfenced (always true without registrations). */
    public static boolean live(MetadataImage image, int brokerId) {
        return image.brokers().isEmpty() || image.broker(brokerId).map(b -> !b.fenced()).orElse(false);
    }

    /**
     * The controller id clients are told: the quorum leader when it is also a live broker, else (a dedicated
     * controller leads) a live broker, as Kafka gives clients a broker to send controller requests to; -1 when none is
     * live. Without a quorum, this node.
     */
    public static int controllerId(BrokerContext broker, MetadataImage image) {
        if (!(broker.metadata() instanceof QuorumMetadataStore quorum)) {
            return broker.nodeId();
        }
        OptionalInt leader = quorum.quorum().leaderId();
        if (leader.isPresent() && live(image, leader.getAsInt()) && image.broker(leader.getAsInt()).isPresent()) {
            return leader.getAsInt();
        }
        if (live(image, broker.nodeId()) && image.broker(broker.nodeId()).isPresent()) {
            return broker.nodeId();
        }
        return image.brokers().values().stream().filter(b -> !b.fenced()).mapToInt(BrokerRegistration::id).min()
                .orElse(-1);
    }

    private static Optional<Endpoint> endpoint(BrokerRegistration registration, String listenerName) {
        return registration.endpoints().stream().filter(e -> e.listener().equals(listenerName)).findFirst();
    }

    private static List<BrokerNode> selfOnly(BrokerContext broker, String listenerName) {
        List<org.apache.kafka.common.Endpoint> endpoints = broker.advertisedListeners();
        return endpoints.stream().filter(e -> e.listener().equals(listenerName)).findFirst()
                .or(() -> endpoints.stream().findFirst())
                .map(e -> List.of(new BrokerNode(broker.nodeId(), e.host(), e.port(),
                        broker.config().brokerRack().orElse(null), false)))
                .orElse(List.of());
    }
}
