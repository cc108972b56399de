package io.brook.metadata.cluster;

import java.util.List;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import io.brook.metadata.AclEntry;

/**
 * What applying a {@link MetadataCommand} answers its submitter: a whole-command error, or the command's success
 * payload (which may hold per-item Kafka error codes, as Kafka's batched responses do). Encoded like commands, by
 * {@link MetadataCodec}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(CommandReply.Failed.class), @JsonSubTypes.Type(CommandReply.Done.class),
        @JsonSubTypes.Type(CommandReply.BrokerRegistered.class),
        @JsonSubTypes.Type(CommandReply.TopicResults.class), @JsonSubTypes.Type(CommandReply.ProducerIdBlock.class),
        @JsonSubTypes.Type(CommandReply.AlterPartitionResults.class),
        @JsonSubTypes.Type(CommandReply.PartitionResults.class),
        @JsonSubTypes.Type(CommandReply.UserResults.class), @JsonSubTypes.Type(CommandReply.AclsDeleted.class)})
public sealed interface CommandReply {

    /** The whole command was refused; nothing changed. */
    record Failed(short errorCode, String message) implements CommandReply {

        public static Failed of(Errors error, String message) {
            return new Failed(error.code(), message);
        }

        public Errors error() {
            return Errors.forCode(errorCode);
        }
    }

    /** Applied, nothing to report. */
    record Done() implements CommandReply {
    }

    record BrokerRegistered(int brokerId, long brokerEpoch) implements CommandReply {
    }

    /** Per-topic outcome of CreateTopics, DeleteTopics, CreatePartitions and AlterTopicConfigs. */
    record TopicResults(List<TopicResult> topics) implements CommandReply {
    }

    /**
     * @param topicId the topic's id when known
     * @param numPartitions the partition count after the command (-1 on error)
     * @param replicationFactor the replication factor (-1 on error)
     */
    record TopicResult(String name, Uuid topicId, short errorCode, String message, int numPartitions,
            short replicationFactor) {

        public Errors error() {
            return Errors.forCode(errorCode);
        }
    }

    /** A block of producer ids {@code [firstProducerId, firstProducerId + size)} now owned by the broker. */
    record ProducerIdBlock(int brokerId, long firstProducerId, int size) implements CommandReply {
    }

    /** Per-partition outcome of AlterPartition, with the partition's state afterwards (as the response carries). */
    record AlterPartitionResults(List<AlterPartitionResult> partitions) implements CommandReply {
    }

    record AlterPartitionResult(Uuid topicId, int partition, short errorCode, int leader, int leaderEpoch,
            int partitionEpoch, List<Integer> isr) {

        public Errors error() {
            return Errors.forCode(errorCode);
        }
    }

    /** Per-partition outcome of ElectLeaders and AlterPartitionReassignments. */
    record PartitionResults(List<PartitionResult> partitions) implements CommandReply {
    }

    record PartitionResult(String topic, int partition, short errorCode, String message) {

        public Errors error() {
            return Errors.forCode(errorCode);
        }
    }

    /** Per-user outcome of AlterScramCredentials, in the order users first appear in the command. */
    record UserResults(List<UserResult> users) implements CommandReply {
    }

    record UserResult(String user, short errorCode, String message) {

        public Errors error() {
            return Errors.forCode(errorCode);
        }
    }

    /** DeleteAcls' outcome: for each filter, in request order, the ACLs it removed. */
    record AclsDeleted(List<List<AclEntry>> deletedPerFilter) implements CommandReply {
    }
}
