package io.brook.metadata.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.common.Uuid;

import io.brook.metadata.AclEntry;
import io.brook.metadata.BrokerRegistration;
import io.brook.metadata.ClientQuotaEntity;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.ScramUserCredential;
import io.brook.metadata.TopicImage;

/**
 * A mutable working copy of a {@link MetadataImage} for applying one command. Not thread-safe; short-lived.
 */
final class ImageBuilder {

    static final String UNCLEAN_LEADER_ELECTION_ENABLE = "unclean.leader.election.enable";

    private final Map<String, TopicImage> topicsByName;
    private final Map<Uuid, String> namesById;
    private final Map<String, String> brokerConfigs;
    private final Map<Integer, BrokerRegistration> brokers;
    private long nextProducerId;
    private List<Integer> voters;
    private final Map<String, Map<String, ScramUserCredential>> scramUsers;
    private final Set<AclEntry> acls;
    private final Map<ClientQuotaEntity, Map<String, Double>> clientQuotas;

    ImageBuilder(MetadataImage base) {
        this.topicsByName = new HashMap<>(base.topicsByName());
        this.namesById = new HashMap<>();
        base.topicsById().forEach((id, topic) -> namesById.put(id, topic.name()));
        this.brokerConfigs = new HashMap<>(base.brokerConfigs());
        this.brokers = new HashMap<>(base.brokers());
        this.nextProducerId = base.nextProducerId();
        this.voters = new ArrayList<>(base.voters());
        this.scramUsers = new HashMap<>(base.scramUsers());
        this.acls = new HashSet<>(base.acls());
        this.clientQuotas = new HashMap<>(base.clientQuotas());
    }

    Optional<TopicImage> topic(String name) {
        return Optional.ofNullable(topicsByName.get(name));
    }

    Optional<TopicImage> topic(Uuid id) {
        String name = namesById.get(id);
        return name == null ? Optional.empty() : topic(name);
    }

    boolean hasTopicId(Uuid id) {
        return namesById.containsKey(id);
    }

    /** Topics in name order, so that iterating them is deterministic. */
    List<TopicImage> topicsSorted() {
        return new ArrayList<>(new TreeMap<>(topicsByName).values());
    }

    void putTopic(TopicImage topic) {
        TopicImage previous = topicsByName.put(topic.name(), topic);
        if (previous != null) {
            namesById.remove(previous.id());
        }
        namesById.put(topic.id(), topic.name());
    }

    void removeTopic(TopicImage topic) {
        topicsByName.remove(topic.name());
        namesById.remove(topic.id());
    }

    /** Replaces one partition's registration in its topic. */
    void putPartition(String topicName, int partition, PartitionRegistration registration) {
        TopicImage topic = topicsByName.get(topicName);
        Map<Integer, PartitionRegistration> partitions = new HashMap<>(topic.partitions());
        partitions.put(partition, registration);
        putTopic(new TopicImage(topic.name(), topic.id(), topic.partitionCount(), topic.replicationFactor(),
                topic.configs(), partitions));
    }

    /**
     * Rewrites partitions: {@code update} gets each partition (topics in name order, partitions in index order) and
     * returns its next registration, or the same object to leave it unchanged.
     */
    void updatePartitions(PartitionUpdate update) {
        for (TopicImage topic : topicsSorted()) {
            Map<Integer, PartitionRegistration> changed = null;
            for (Map.Entry<Integer, PartitionRegistration> entry : new TreeMap<>(topic.partitions()).entrySet()) {
                PartitionRegistration next = update.apply(topic, entry.getKey(), entry.getValue());
                if (next != entry.getValue()) {
                    if (changed == null) {
                        changed = new HashMap<>(topic.partitions());
                    }
                    changed.put(entry.getKey(), next);
                }
            }
            if (changed != null) {
                putTopic(new TopicImage(topic.name(), topic.id(), topic.partitionCount(), topic.replicationFactor(),
                        topic.configs(), changed));
            }
        }
    }

    @FunctionalInterface
    interface PartitionUpdate {
        PartitionRegistration apply(TopicImage topic, int partition, PartitionRegistration current);
    }

    /**
     * {@code unclean.leader.election.enable} for the topic: its override, else the dynamic cluster default, else
     * false (Kafka's default; a static server.properties value is not part of the replicated state).
     */
    boolean uncleanAllowed(TopicImage topic) {
        String value = topic.configs().get(UNCLEAN_LEADER_ELECTION_ENABLE);
        if (value == null) {
            value = brokerConfigs.get(UNCLEAN_LEADER_ELECTION_ENABLE);
        }
        return Boolean.parseBoolean(value);
    }

    Optional<BrokerRegistration> broker(int id) {
        return Optional.ofNullable(brokers.get(id));
    }

    /** Whether the broker is registered, unfenced and not shutting down. */
    boolean eligible(int brokerId) {
        BrokerRegistration broker = brokers.get(brokerId);
        return broker != null && broker.eligible();
    }

    /** Registered brokers in id order. */
    List<BrokerRegistration> brokersSorted() {
        return new ArrayList<>(new TreeMap<>(brokers).values());
    }

    void putBroker(BrokerRegistration broker) {
        brokers.put(broker.id(), broker);
    }

    void removeBroker(int id) {
        brokers.remove(id);
    }

    Map<String, String> brokerConfigs() {
        return brokerConfigs;
    }

    long nextProducerId() {
        return nextProducerId;
    }

    void nextProducerId(long value) {
        this.nextProducerId = value;
    }

    void voters(List<Integer> newVoters) {
        this.voters = new ArrayList<>(new LinkedHashSet<>(newVoters));
    }

    Map<String, Map<String, ScramUserCredential>> scramUsers() {
        return scramUsers;
    }

    /** Sets ({@code credential} non-null) or removes one user's credential for one mechanism. */
    void scramCredential(String user, String mechanism, ScramUserCredential credential) {
        Map<String, ScramUserCredential> byMechanism = new HashMap<>(scramUsers.getOrDefault(user, Map.of()));
        if (credential == null) {
            byMechanism.remove(mechanism);
        } else {
            byMechanism.put(mechanism, credential);
        }
        if (byMechanism.isEmpty()) {
            scramUsers.remove(user);
        } else {
            scramUsers.put(user, Map.copyOf(byMechanism));
        }
    }

    /** The ACLs, mutable. */
    Set<AclEntry> acls() {
        return acls;
    }

    /** Client quotas by entity, mutable (each entity's values are an immutable map). */
    Map<ClientQuotaEntity, Map<String, Double>> clientQuotas() {
        return clientQuotas;
    }

    MetadataImage build() {
        Map<Uuid, TopicImage> byId = new HashMap<>();
        topicsByName.values().forEach(topic -> byId.put(topic.id(), topic));
        return new MetadataImage(Map.copyOf(topicsByName), Map.copyOf(byId), Map.copyOf(brokerConfigs),
                Map.copyOf(brokers), nextProducerId, Set.copyOf(voters), Map.copyOf(scramUsers), Set.copyOf(acls),
                Map.copyOf(clientQuotas));
    }
}
