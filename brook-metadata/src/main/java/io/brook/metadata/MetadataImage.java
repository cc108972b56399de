package io.brook.metadata;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.Uuid;

/**
 * Immutable snapshot of cluster metadata.
 *
 * @param topicsByName every live topic by name
 * @param topicsById the same topics by id
 * @param brokerConfigs dynamic broker config overrides (cluster-wide)
 * @param brokers registered brokers by id (empty for the single-node store)
 * @param nextProducerId the first producer id not yet handed out in a block (the cluster state machine's counter;
 *     the single-node store keeps its own and leaves this 0)
 * @param voters the controller quorum's voter ids as last recorded, for status only
 * @param scramUsers SCRAM credentials: user name, then mechanism name (SCRAM-SHA-256, SCRAM-SHA-512)
 * @param acls the ACLs (CreateAcls / DeleteAcls), read by the authorizer
 * @param clientQuotas client quotas (AlterClientQuotas): entity, then quota key (e.g. producer_byte_rate) to value
 */
public record MetadataImage(Map<String, TopicImage> topicsByName, Map<Uuid, TopicImage> topicsById,
        Map<String, String> brokerConfigs, Map<Integer, BrokerRegistration> brokers, long nextProducerId,
        Set<Integer> voters, Map<String, Map<String, ScramUserCredential>> scramUsers, Set<AclEntry> acls,
        Map<ClientQuotaEntity, Map<String, Double>> clientQuotas) {

    public static final MetadataImage EMPTY = new MetadataImage(Map.of(), Map.of(), Map.of());

    public MetadataImage {
        brokers = Map.copyOf(brokers);
        voters = Set.copyOf(voters);
        scramUsers = scramUsers == null ? Map.of() : Map.copyOf(scramUsers);
        acls = acls == null ? Set.of() : Set.copyOf(acls);
        clientQuotas = clientQuotas == null ? Map.of() : Map.copyOf(clientQuotas);
    }

    /** An image without client quotas. */
    public MetadataImage(Map<String, TopicImage> topicsByName, Map<Uuid, TopicImage> topicsById,
            Map<String, String> brokerConfigs, Map<Integer, BrokerRegistration> brokers, long nextProducerId,
            Set<Integer> voters, Map<String, Map<String, ScramUserCredential>> scramUsers, Set<AclEntry> acls) {
        this(topicsByName, topicsById, brokerConfigs, brokers, nextProducerId, voters, scramUsers, acls, Map.of());
    }

    /** An image without ACLs. */
    public MetadataImage(Map<String, TopicImage> topicsByName, Map<Uuid, TopicImage> topicsById,
            Map<String, String> brokerConfigs, Map<Integer, BrokerRegistration> brokers, long nextProducerId,
            Set<Integer> voters, Map<String, Map<String, ScramUserCredential>> scramUsers) {
        this(topicsByName, topicsById, brokerConfigs, brokers, nextProducerId, voters, scramUsers, Set.of());
    }

    /** An image without SCRAM users. */
    public MetadataImage(Map<String, TopicImage> topicsByName, Map<Uuid, TopicImage> topicsById,
            Map<String, String> brokerConfigs, Map<Integer, BrokerRegistration> brokers, long nextProducerId,
            Set<Integer> voters, Set<AclEntry> acls) {
        this(topicsByName, topicsById, brokerConfigs, brokers, nextProducerId, voters, Map.of(), acls);
    }

    /** An image without SCRAM users or ACLs. */
    public MetadataImage(Map<String, TopicImage> topicsByName, Map<Uuid, TopicImage> topicsById,
            Map<String, String> brokerConfigs, Map<Integer, BrokerRegistration> brokers, long nextProducerId,
            Set<Integer> voters) {
        this(topicsByName, topicsById, brokerConfigs, brokers, nextProducerId, voters, Map.of(), Set.of());
    }

    /** Topics and configs only, without the cluster parts (the single-node store's form). */
    public MetadataImage(Map<String, TopicImage> topicsByName, Map<Uuid, TopicImage> topicsById,
            Map<String, String> brokerConfigs) {
        this(topicsByName, topicsById, brokerConfigs, Map.of(), 0, Set.of());
    }

    public Optional<TopicImage> topic(String name) {
        return Optional.ofNullable(topicsByName.get(name));
    }

    public Optional<TopicImage> topic(Uuid id) {
        return Optional.ofNullable(topicsById.get(id));
    }

    /** The SCRAM credential of {@code user} for {@code mechanism} (e.g. SCRAM-SHA-256). */
    public Optional<ScramUserCredential> scramCredential(String user, String mechanism) {
        Map<String, ScramUserCredential> byMechanism = scramUsers.get(user);
        return byMechanism == null ? Optional.empty() : Optional.ofNullable(byMechanism.get(mechanism));
    }

    public Optional<BrokerRegistration> broker(int id) {
        return Optional.ofNullable(brokers.get(id));
    }
}
