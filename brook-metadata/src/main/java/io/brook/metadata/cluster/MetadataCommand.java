package io.brook.metadata.cluster;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import io.brook.metadata.AclEntry;
import io.brook.metadata.ClientQuotaEntity;
import io.brook.metadata.Endpoint;
import io.brook.metadata.ScramUserCredential;

/**
 * A change to the cluster metadata, replicated through the quorum and applied by {@link MetadataCommandApplier}.
 * Each command carries everything random or time-dependent (ids, placement seeds), so applying it is deterministic.
 *
 * <p>Encoded by {@link MetadataCodec} as JSON objects whose {@code "type"} property is the record's simple name, e.g.
 * {@code {"type":"FenceBroker","brokerId":1,"brokerEpoch":42}}. Adding a record component is a format change: give
 * it a default on decode (a missing JSON property decodes to null/0/false) or bump {@link MetadataCodec#VERSION}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(MetadataCommand.RegisterBroker.class),
        @JsonSubTypes.Type(MetadataCommand.UnfenceBroker.class), @JsonSubTypes.Type(MetadataCommand.FenceBroker.class),
        @JsonSubTypes.Type(MetadataCommand.ControlledShutdown.class),
        @JsonSubTypes.Type(MetadataCommand.UnregisterBroker.class),
        @JsonSubTypes.Type(MetadataCommand.CreateTopics.class), @JsonSubTypes.Type(MetadataCommand.DeleteTopics.class),
        @JsonSubTypes.Type(MetadataCommand.CreatePartitions.class),
        @JsonSubTypes.Type(MetadataCommand.AlterTopicConfigs.class),
        @JsonSubTypes.Type(MetadataCommand.AlterBrokerConfigs.class),
        @JsonSubTypes.Type(MetadataCommand.AllocateProducerIds.class),
        @JsonSubTypes.Type(MetadataCommand.AlterPartition.class),
        @JsonSubTypes.Type(MetadataCommand.ElectLeaders.class),
        @JsonSubTypes.Type(MetadataCommand.AlterPartitionReassignments.class),
        @JsonSubTypes.Type(MetadataCommand.SetVoters.class),
        @JsonSubTypes.Type(MetadataCommand.ImportLegacyMetadata.class),
        @JsonSubTypes.Type(MetadataCommand.MarkReplicasOffline.class),
        @JsonSubTypes.Type(MetadataCommand.AlterScramCredentials.class),
        @JsonSubTypes.Type(MetadataCommand.CreateAcls.class), @JsonSubTypes.Type(MetadataCommand.DeleteAcls.class),
        @JsonSubTypes.Type(MetadataCommand.AlterClientQuotas.class)})
public sealed interface MetadataCommand {

    /**
     * A broker (re-)registers at start-up. It starts fenced; its broker epoch becomes the command's log index. A live
     * registration with another incarnation id is refused (DUPLICATE_BROKER_REGISTRATION) until it is fenced.
     */
    record RegisterBroker(int brokerId, Uuid incarnationId, List<Endpoint> endpoints, String rack)
            implements
                MetadataCommand {
    }

    /** The broker caught up with the metadata log and asked (by heartbeat) to be unfenced. */
    record UnfenceBroker(int brokerId, long brokerEpoch) implements MetadataCommand {
    }

    /**
     * The broker is fenced: its heartbeat session expired (submitted by the active controller's timer), or its
     * controlled shutdown completed. Its leaderships move and it leaves every ISR where it is not the last member.
     */
    record FenceBroker(int brokerId, long brokerEpoch) implements MetadataCommand {
    }

    /** The broker asked to shut down: leaderships move off it and it leaves ISRs where possible. */
    record ControlledShutdown(int brokerId, long brokerEpoch) implements MetadataCommand {
    }

    /**
     * The broker's replicas of these partitions are offline: their log dir failed (Kafka's broker heartbeat with
     * offline log dirs). The broker leaves their ISRs (unless it is the last member) and their leaderships move to
     * another in-sync, eligible replica; with none the partition goes offline. It rejoins the ISRs as a follower
     * after a restart.
     */
    record MarkReplicasOffline(int brokerId, long brokerEpoch, List<ReplicaRef> partitions) implements MetadataCommand {
    }

    /** A partition of a topic incarnation, by topic id (a topic deleted and re-created has another id). */
    record ReplicaRef(Uuid topicId, int partition) {
    }

    /** Removes a broker's registration (its replicas stay assigned, as in Kafka). */
    record UnregisterBroker(int brokerId) implements MetadataCommand {
    }

    /**
     * Creates topics, each independently. {@code placementSeed} chooses the placement's random start.
     *
     * @param topics topics to create, in order (placement consumes the seeded random source in this order)
     */
    record CreateTopics(List<NewTopic> topics, long placementSeed) implements MetadataCommand {
    }

    /**
     * One topic to create. With {@code assignments} (partition index → ordered replicas) the partition count and
     * replication factor must be -1, as in Kafka's CreateTopics; else they are the resolved values (the submitter
     * replaces -1 by {@code num.partitions} / {@code default.replication.factor}).
     */
    record NewTopic(String name, Uuid topicId, int numPartitions, short replicationFactor,
            Map<Integer, List<Integer>> assignments, Map<String, String> configs) {

        public NewTopic {
            assignments = assignments == null ? Map.of() : Map.copyOf(assignments);
            configs = configs == null ? Map.of() : Map.copyOf(configs);
        }
    }

    record DeleteTopics(List<Uuid> topicIds) implements MetadataCommand {
    }

    /** Raises partition counts; placement as for CreateTopics. */
    record CreatePartitions(List<PartitionsIncrease> topics, long placementSeed) implements MetadataCommand {
    }

    /** @param assignments replicas of each new partition, or null to let the controller place them */
    record PartitionsIncrease(String topic, int totalCount, List<List<Integer>> assignments) {
    }

    /**
     * Alters a topic's overrides: {@code set} puts values, {@code remove} drops overrides; {@code replaceAll} (legacy
     * AlterConfigs) first drops every override.
     */
    record AlterTopicConfigs(String topic, Map<String, String> set, List<String> remove, boolean replaceAll)
            implements
                MetadataCommand {

        public AlterTopicConfigs {
            set = set == null ? Map.of() : Map.copyOf(set);
            remove = remove == null ? List.of() : List.copyOf(remove);
        }
    }

    /** The same for the cluster-wide dynamic broker configs. */
    record AlterBrokerConfigs(Map<String, String> set, List<String> remove, boolean replaceAll)
            implements
                MetadataCommand {

        public AlterBrokerConfigs {
            set = set == null ? Map.of() : Map.copyOf(set);
            remove = remove == null ? List.of() : List.copyOf(remove);
        }
    }

    /** Hands the broker the next block of {@code blockSize} producer ids (Kafka's AllocateProducerIds). */
    record AllocateProducerIds(int brokerId, long brokerEpoch, int blockSize) implements MetadataCommand {
    }

    /** A partition leader's ISR changes (Kafka's AlterPartition request). */
    record AlterPartition(int brokerId, long brokerEpoch, List<PartitionIsrChange> partitions)
            implements
                MetadataCommand {
    }

    /**
     * @param newIsr each replica with the broker epoch the leader saw it fetch with, or -1 to skip that check
     */
    record PartitionIsrChange(Uuid topicId, int partition, int leaderEpoch, int partitionEpoch,
            List<IsrMember> newIsr) {
    }

    record IsrMember(int brokerId, long brokerEpoch) {
    }

    /** @param partitions the partitions to elect for, or null for every partition */
    record ElectLeaders(ElectionType electionType, List<TopicPartitionRef> partitions) implements MetadataCommand {
    }

    enum ElectionType {
        PREFERRED, UNCLEAN
    }

    record TopicPartitionRef(String topic, int partition) {
    }

    record AlterPartitionReassignments(List<Reassignment> reassignments) implements MetadataCommand {
    }

    /** @param targetReplicas the new replicas, or null to cancel the ongoing reassignment */
    record Reassignment(String topic, int partition, List<Integer> targetReplicas) {
    }

    /** Records the quorum's voters (status only). */
    record SetVoters(List<Integer> voters) implements MetadataCommand {
    }

    /**
     * Seeds an empty cluster with a single-node {@code metadata.json}'s state: its topics keep their ids, every
     * partition gets the one replica {@code brokerId}, and the producer-id counter never goes back.
     */
    record ImportLegacyMetadata(int brokerId, List<LegacyTopic> topics, Map<String, String> brokerConfigs,
            long nextProducerId) implements MetadataCommand {

        public ImportLegacyMetadata {
            topics = List.copyOf(topics);
            brokerConfigs = brokerConfigs == null ? Map.of() : Map.copyOf(brokerConfigs);
        }
    }

    record LegacyTopic(String name, Uuid topicId, int partitions, Map<String, String> configs) {

        public LegacyTopic {
            configs = configs == null ? Map.of() : Map.copyOf(configs);
        }
    }

    /**
     * Sets and removes SCRAM credentials (AlterUserScramCredentials). The submitting broker derives the keys from the
     * client's salted password, so no password or salted password is ever replicated. Validated per user, as Kafka's
     * controller does: a user with any invalid alteration gets that error and none of its alterations is applied.
     */
    record AlterScramCredentials(List<ScramUpsertion> upsertions, List<ScramDeletion> deletions)
            implements
                MetadataCommand {

        public AlterScramCredentials {
            upsertions = upsertions == null ? List.of() : List.copyOf(upsertions);
            deletions = deletions == null ? List.of() : List.copyOf(deletions);
        }
    }

    /** @param mechanism SCRAM-SHA-256 or SCRAM-SHA-512 */
    record ScramUpsertion(String user, String mechanism, ScramUserCredential credential) {
    }

    record ScramDeletion(String user, String mechanism) {
    }

    /** Adds ACLs (already validated by the submitter); an ACL that exists already is left as it is, as in Kafka. */
    record CreateAcls(List<AclEntry> acls) implements MetadataCommand {

        public CreateAcls {
            acls = List.copyOf(acls);
        }
    }

    /**
     * Removes every ACL matching any of the filters; the reply ({@link CommandReply.AclsDeleted}) lists, per filter,
     * the ACLs it matched.
     */
    record DeleteAcls(List<AclFilter> filters) implements MetadataCommand {

        public DeleteAcls {
            filters = List.copyOf(filters);
        }
    }

    /**
     * Kafka's {@link AclBindingFilter} as a record: a null name, principal or host matches any; the enums may be ANY,
     * and the pattern type MATCH.
     */
    record AclFilter(ResourceType resourceType, String resourceName, PatternType patternType, String principal,
            String host, AclOperation operation, AclPermissionType permissionType) {

        public static AclFilter of(AclBindingFilter filter) {
            ResourcePatternFilter pattern = filter.patternFilter();
            AccessControlEntryFilter entry = filter.entryFilter();
            return new AclFilter(pattern.resourceType(), pattern.name(), pattern.patternType(), entry.principal(),
                    entry.host(), entry.operation(), entry.permissionType());
        }

        public AclBindingFilter toFilter() {
            return new AclBindingFilter(new ResourcePatternFilter(resourceType, resourceName, patternType),
                    new AccessControlEntryFilter(principal, host, operation, permissionType));
        }

        public boolean matches(AclEntry acl) {
            return toFilter().matches(acl.toBinding());
        }
    }

    /**
     * Sets and removes client quotas (AlterClientQuotas), validated by the submitter with
     * {@link ClientQuotaControl#validate}; an alteration that does not validate is skipped when applied. An entity
     * left without values disappears.
     */
    record AlterClientQuotas(List<QuotaAlteration> alterations) implements MetadataCommand {

        public AlterClientQuotas {
            alterations = List.copyOf(alterations);
        }
    }

    /** The changes to one entity's quotas, applied in order. */
    record QuotaAlteration(ClientQuotaEntity entity, List<QuotaOp> ops) {

        public QuotaAlteration {
            ops = List.copyOf(ops);
        }
    }

    /** Sets {@code key} to {@code value}, or removes it when {@code value} is null. */
    record QuotaOp(String key, Double value) {
    }
}
