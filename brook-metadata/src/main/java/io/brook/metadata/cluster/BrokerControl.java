package io.brook.metadata.cluster;

import java.util.Optional;
import java.util.Set;
import java.util.function.IntPredicate;

import org.apache.kafka.common.protocol.Errors;

import io.brook.metadata.BrokerRegistration;
import io.brook.metadata.cluster.MetadataCommand.AllocateProducerIds;
import io.brook.metadata.cluster.MetadataCommand.ControlledShutdown;
import io.brook.metadata.cluster.MetadataCommand.FenceBroker;
import io.brook.metadata.cluster.MetadataCommand.MarkReplicasOffline;
import io.brook.metadata.cluster.MetadataCommand.RegisterBroker;
import io.brook.metadata.cluster.MetadataCommand.ReplicaRef;
import io.brook.metadata.cluster.MetadataCommand.UnfenceBroker;
import io.brook.metadata.cluster.MetadataCommand.UnregisterBroker;

/**
 * Broker lifecycle commands (Kafka's ClusterControlManager plus the partition side effects of fencing) and
 * producer-id blocks. Stateless: every method works on the given builder.
 *
 * <pre>
 *  RegisterBroker ──► fenced ──UnfenceBroker──► active ──ControlledShutdown──► shutting down
 *                       ▲                         │                                │
 *                       └──────FenceBroker────────┴──────────FenceBroker───────────┘
 * </pre>
 */
final class BrokerControl {

    private BrokerControl() {
    }

    static CommandReply register(ImageBuilder image, long index, RegisterBroker command) {
        Optional<BrokerRegistration> existing = image.broker(command.brokerId());
        if (existing.isPresent() && !existing.get().fenced()
                && !existing.get().incarnationId().equals(command.incarnationId())) {
            return CommandReply.Failed.of(Errors.DUPLICATE_BROKER_REGISTRATION,
                    "Another broker is registered with that broker id.");
        }
        image.putBroker(new BrokerRegistration(command.brokerId(), command.incarnationId(), index,
                command.endpoints(), command.rack(), true, false));
        if (existing.isPresent()) {
            // A new registration starts fenced: as after any fencing, the old incarnation's leaderships move.
            removeFromPartitions(image, command.brokerId());
        }
        return new CommandReply.BrokerRegistered(command.brokerId(), index);
    }

    static CommandReply unfence(ImageBuilder image, UnfenceBroker command) {
        Optional<CommandReply> stale = checkEpoch(image, command.brokerId(), command.brokerEpoch());
        if (stale.isPresent()) {
            return stale.get();
        }
        BrokerRegistration broker = image.broker(command.brokerId()).orElseThrow();
        if (!broker.fenced()) {
            return new CommandReply.Done();
        }
        image.putBroker(broker.withFenced(false));
        int id = broker.id();
        // Offline partitions this broker is a replica of may have a leader again.
        image.updatePartitions((topic, partition, current) -> !current.hasLeader() && current.replicas().contains(id)
                ? PartitionChange.reelect(current, image::eligible, image.uncleanAllowed(topic))
                : current);
        return new CommandReply.Done();
    }

    static CommandReply fence(ImageBuilder image, FenceBroker command) {
        Optional<CommandReply> stale = checkEpoch(image, command.brokerId(), command.brokerEpoch());
        if (stale.isPresent()) {
            return stale.get();
        }
        BrokerRegistration broker = image.broker(command.brokerId()).orElseThrow();
        if (broker.fenced()) {
            return new CommandReply.Done();
        }
        image.putBroker(broker.withFenced(true));
        removeFromPartitions(image, broker.id());
        return new CommandReply.Done();
    }

    static CommandReply controlledShutdown(ImageBuilder image, ControlledShutdown command) {
        Optional<CommandReply> stale = checkEpoch(image, command.brokerId(), command.brokerEpoch());
        if (stale.isPresent()) {
            return stale.get();
        }
        BrokerRegistration broker = image.broker(command.brokerId()).orElseThrow();
        if (broker.fenced()) {
            // Nothing left to move: a fenced broker leads nothing and may stop at once.
            return new CommandReply.Done();
        }
        image.putBroker(broker.withControlledShutdown(true));
        removeFromPartitions(image, broker.id());
        return new CommandReply.Done();
    }

    static CommandReply unregister(ImageBuilder image, UnregisterBroker command) {
        if (image.broker(command.brokerId()).isEmpty()) {
            return CommandReply.Failed.of(Errors.BROKER_ID_NOT_REGISTERED,
                    "Broker ID " + command.brokerId() + " is not registered.");
        }
        image.removeBroker(command.brokerId());
        removeFromPartitions(image, command.brokerId());
        return new CommandReply.Done();
    }

    static CommandReply allocateProducerIds(ImageBuilder image, AllocateProducerIds command) {
        Optional<CommandReply> stale = checkEpoch(image, command.brokerId(), command.brokerEpoch());
        if (stale.isPresent()) {
            return stale.get();
        }
        if (command.blockSize() < 1) {
            return CommandReply.Failed.of(Errors.INVALID_REQUEST,
                    "Producer id block size must be positive, was " + command.blockSize());
        }
        long first = image.nextProducerId();
        if (first > Long.MAX_VALUE - command.blockSize()) {
            return CommandReply.Failed.of(Errors.UNKNOWN_SERVER_ERROR, "Exhausted all producerIds.");
        }
        image.nextProducerId(first + command.blockSize());
        return new CommandReply.ProducerIdBlock(command.brokerId(), first, command.blockSize());
    }

    /**
     * Takes the broker's replicas of the listed partitions out of their ISRs (unless last) and moves their
     * leaderships to another in-sync replica that is not this broker, as Kafka's controller handles offline log dirs.
     */
    static CommandReply markReplicasOffline(ImageBuilder image, MarkReplicasOffline command) {
        Optional<CommandReply> stale = checkEpoch(image, command.brokerId(), command.brokerEpoch());
        if (stale.isPresent()) {
            return stale.get();
        }
        int id = command.brokerId();
        Set<ReplicaRef> offline = Set.copyOf(command.partitions());
        IntPredicate eligible = replica -> replica != id && image.eligible(replica);
        image.updatePartitions((topic, partition, current) -> current.replicas().contains(id)
                && offline.contains(new ReplicaRef(topic.id(), partition))
                        ? PartitionChange.withoutBroker(current, id, eligible, image.uncleanAllowed(topic))
                        : current);
        return new CommandReply.Done();
    }

    /** Leaves every ISR the broker can leave and moves its leaderships, after its registration changed. */
    private static void removeFromPartitions(ImageBuilder image, int brokerId) {
        image.updatePartitions((topic, partition, current) -> current.isr().contains(brokerId)
                || current.leader() == brokerId
                        ? PartitionChange.withoutBroker(current, brokerId, image::eligible,
                                image.uncleanAllowed(topic))
                        : current);
    }

    /** Empty when the broker is registered with this epoch, else the error Kafka's controller answers. */
    static Optional<CommandReply> checkEpoch(ImageBuilder image, int brokerId, long brokerEpoch) {
        Optional<BrokerRegistration> broker = image.broker(brokerId);
        if (broker.isEmpty()) {
            return Optional.of(CommandReply.Failed.of(Errors.BROKER_ID_NOT_REGISTERED,
                    "Broker " + brokerId + " is not registered."));
        }
        if (broker.get().epoch() != brokerEpoch) {
            return Optional.of(CommandReply.Failed.of(Errors.STALE_BROKER_EPOCH, "Expected broker epoch "
                    + broker.get().epoch() + " for broker " + brokerId + ", but got " + brokerEpoch + "."));
        }
        return Optional.empty();
    }
}
