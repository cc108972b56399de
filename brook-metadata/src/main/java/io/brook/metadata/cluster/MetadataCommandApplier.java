package io.brook.metadata.cluster;

import io.brook.metadata.MetadataImage;
import io.brook.metadata.cluster.MetadataCommand.AllocateProducerIds;
import io.brook.metadata.cluster.MetadataCommand.AlterBrokerConfigs;
import io.brook.metadata.cluster.MetadataCommand.AlterPartition;
import io.brook.metadata.cluster.MetadataCommand.AlterPartitionReassignments;
import io.brook.metadata.cluster.MetadataCommand.AlterScramCredentials;
import io.brook.metadata.cluster.MetadataCommand.AlterTopicConfigs;
import io.brook.metadata.cluster.MetadataCommand.ControlledShutdown;
import io.brook.metadata.cluster.MetadataCommand.CreatePartitions;
import io.brook.metadata.cluster.MetadataCommand.CreateTopics;
import io.brook.metadata.cluster.MetadataCommand.DeleteTopics;
import io.brook.metadata.cluster.MetadataCommand.ElectLeaders;
import io.brook.metadata.cluster.MetadataCommand.FenceBroker;
import io.brook.metadata.cluster.MetadataCommand.ImportLegacyMetadata;
import io.brook.metadata.cluster.MetadataCommand.MarkReplicasOffline;
import io.brook.metadata.cluster.MetadataCommand.RegisterBroker;
import io.brook.metadata.cluster.MetadataCommand.SetVoters;
import io.brook.metadata.cluster.MetadataCommand.UnfenceBroker;
import io.brook.metadata.cluster.MetadataCommand.UnregisterBroker;

/**
 * The pure transition function of the cluster metadata: {@code (image, index, command) → (image', reply)}. Equal
 * inputs give equal outputs on every node; nothing here reads a clock, a random source or the environment. A
 * command that is refused as a whole ({@link CommandReply.Failed}) leaves the image unchanged; batched commands apply
 * their valid items and report the others' errors, as Kafka does.
 *
 * <p>Stateless and thread-safe.
 */
public final class MetadataCommandApplier {

    /** The next image and the reply for the command's submitter. */
    public record Applied(MetadataImage image, CommandReply reply) {
    }

    private MetadataCommandApplier() {
    }

    /**
     * @param index the command's log index; a broker registered by it gets it as its broker epoch
     */
    public static Applied apply(MetadataImage image, long index, MetadataCommand command) {
        ImageBuilder builder = new ImageBuilder(image);
        CommandReply reply = dispatch(builder, index, command);
        if (reply instanceof CommandReply.Failed) {
            return new Applied(image, reply);
        }
        MetadataImage next = builder.build();
        return new Applied(next.equals(image) ? image : next, reply);
    }

    private static CommandReply dispatch(ImageBuilder image, long index, MetadataCommand command) {
        if (command instanceof RegisterBroker c) {
            return BrokerControl.register(image, index, c);
        } else if (command instanceof UnfenceBroker c) {
            return BrokerControl.unfence(image, c);
        } else if (command instanceof FenceBroker c) {
            return BrokerControl.fence(image, c);
        } else if (command instanceof ControlledShutdown c) {
            return BrokerControl.controlledShutdown(image, c);
        } else if (command instanceof UnregisterBroker c) {
            return BrokerControl.unregister(image, c);
        } else if (command instanceof AllocateProducerIds c) {
            return BrokerControl.allocateProducerIds(image, c);
        } else if (command instanceof CreateTopics c) {
            return TopicControl.createTopics(image, c);
        } else if (command instanceof DeleteTopics c) {
            return TopicControl.deleteTopics(image, c);
        } else if (command instanceof CreatePartitions c) {
            return TopicControl.createPartitions(image, c);
        } else if (command instanceof AlterTopicConfigs c) {
            return TopicControl.alterTopicConfigs(image, c);
        } else if (command instanceof AlterBrokerConfigs c) {
            return TopicControl.alterBrokerConfigs(image, c);
        } else if (command instanceof ImportLegacyMetadata c) {
            return TopicControl.importLegacy(image, c);
        } else if (command instanceof AlterPartition c) {
            return PartitionControl.alterPartition(image, c);
        } else if (command instanceof ElectLeaders c) {
            return PartitionControl.electLeaders(image, c);
        } else if (command instanceof AlterPartitionReassignments c) {
            return PartitionControl.alterReassignments(image, c);
        } else if (command instanceof MarkReplicasOffline c) {
            return BrokerControl.markReplicasOffline(image, c);
        } else if (command instanceof AlterScramCredentials c) {
            return ScramControl.alter(image, c);
        } else if (command instanceof MetadataCommand.CreateAcls c) {
            return AclControl.createAcls(image, c);
        } else if (command instanceof MetadataCommand.DeleteAcls c) {
            return AclControl.deleteAcls(image, c);
        } else if (command instanceof MetadataCommand.AlterClientQuotas c) {
            return ClientQuotaControl.alter(image, c);
        } else if (command instanceof SetVoters c) {
            image.voters(c.voters());
            return new CommandReply.Done();
        }
        throw new IllegalStateException("Unhandled command " + command.getClass().getName());
    }
}
