package io.brook.broker.handlers.data;

import java.util.Optional;

import io.brook.broker.partition.LocalPartitions;
import io.brook.broker.partition.Partition;
import io.brook.metadata.BrokerRegistration;
import io.brook.metadata.Endpoint;
import io.brook.metadata.MetadataImage;

/**
 * KIP-951: a NOT_LEADER_OR_FOLLOWER answer may tell the client who leads now (Produce v10+, Fetch v12+) and how to
 * reach it (the response's node endpoints), so it can move without a metadata round trip. Stateless.
 */
final class LeaderHints {

    private LeaderHints() {
    }

    /** The partition's current leader if this node is one of its followers and knows another leader. */
    static Optional<Partition> followedPartition(LocalPartitions.Lookup lookup) {
        Partition hosted = lookup.hosted();
        if (lookup.found() || hosted == null || hosted.isLeader() || !hosted.registration().hasLeader()) {
            return Optional.empty();
        }
        return Optional.of(hosted);
    }

    /** Broker {@code id}'s endpoint on the listener the request came in on, if it is registered. */
    static Optional<Endpoint> endpoint(MetadataImage image, int id, String listenerName) {
        return image.broker(id).map(BrokerRegistration::endpoints)
                .flatMap(endpoints -> endpoints.stream().filter(e -> e.listener().equals(listenerName))
                        .findFirst());
    }

    static String rack(MetadataImage image, int id) {
        return image.broker(id).map(BrokerRegistration::rack).orElse(null);
    }
}
