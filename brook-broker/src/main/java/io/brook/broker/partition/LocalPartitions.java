package io.brook.broker.partition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.metadata.MetadataImage;
import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.TopicImage;
import io.brook.storage.LogConfig;
import io.brook.storage.LogManager;
import io.brook.storage.PartitionLog;

/**
 * The partitions this node hosts, kept in step with the cluster metadata: {@link #reconcile(MetadataImage)} creates
 * logs for the partitions whose replicas include this node, applies changed topic configs and registrations (telling
 * the {@link PartitionRoleListener}), and deletes the logs of deleted topics and of partitions whose registration no
 * longer names this node (Kafka's stray replicas).
 *
 * <p>Thread-safety: lookups are lock-free reads of a concurrent map and may run on any thread; {@code reconcile} is
 * serialised by the instance lock (it runs on the metadata store's publisher thread, and once at start-up).
 *
 * <p>The metadata image a request reads may be newer than the one reconciled here (the store swaps its image before
 * its listeners hear of it): a partition that image shows but this node does not host yet is answered
 * NOT_LEADER_OR_FOLLOWER by {@link #lookup}, which clients retry, as Kafka answers while its broker catches up.
 */
public final class LocalPartitions {

    private static final Logger LOG = LoggerFactory.getLogger(LocalPartitions.class);

    private final LogManager logManager;
    private final LogConfigResolver configResolver;
    private final int localId;
    private volatile PartitionRoleListener roleListener = PartitionRoleListener.NONE;
    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();
    /** Set at shutdown: a reconcile in progress (creating a thousand logs) stops at the next partition. */
    private volatile boolean closed;

    /** A single-node view (node id 1), for tests that drive the handlers directly. */
    public LocalPartitions(LogManager logManager, LogConfigResolver configResolver) {
        this(logManager, configResolver, 1);
    }

    public LocalPartitions(LogManager logManager, LogConfigResolver configResolver, int localId) {
        this.logManager = logManager;
        this.configResolver = configResolver;
        this.localId = localId;
    }

    /** Set once, before the first {@link #reconcile}. */
    public void setRoleListener(PartitionRoleListener listener) {
        this.roleListener = listener;
    }

    /**
     * Stops reconciling: later calls do nothing and one in progress stops at its next partition, so the metadata
     * publisher is free before the log manager closes. The hosted partitions stay readable.
     */
    public void close() {
        closed = true;
    }

    public int localId() {
        return localId;
    }

    /**
     * The partition's registration. The quorum-backed store registers every partition; only the unit tests' in-memory
     * store leaves them out, and there this node leads every partition alone at epoch 0. To go once that test double
     * registers partitions too.
     */
    PartitionRegistration registrationOf(TopicImage topic, int index) {
        return topic.partition(index).orElseGet(() -> Partition.singleNode(localId));
    }

    public Optional<Partition> get(TopicPartition topicPartition) {
        return Optional.ofNullable(partitions.get(topicPartition));
    }

    public Collection<Partition> all() {
        return List.copyOf(partitions.values());
    }

    /**
     * Finds a partition this node leads, by topic name, for a client or replica request: an unknown topic or partition
     * index gives UNKNOWN_TOPIC_OR_PARTITION; a known one without a local log, or one this node only follows, gives
     * NOT_LEADER_OR_FOLLOWER; one whose log is in an offline log dir gives KAFKA_STORAGE_ERROR.
     */
    public Lookup lookup(MetadataImage image, String topic, int partition) {
        Optional<TopicImage> topicImage = image.topic(topic);
        if (topicImage.isEmpty()) {
            return Lookup.failed(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        }
        return lookup(topicImage.get(), partition);
    }

    /** As {@link #lookup(MetadataImage, String, int)} by topic id; an unknown id gives UNKNOWN_TOPIC_ID. */
    public Lookup lookup(MetadataImage image, Uuid topicId, int partition) {
        Optional<TopicImage> topicImage = image.topic(topicId);
        if (topicImage.isEmpty()) {
            return Lookup.failed(Errors.UNKNOWN_TOPIC_ID);
        }
        return lookup(topicImage.get(), partition);
    }

    private Lookup lookup(TopicImage topic, int partition) {
        if (partition < 0 || partition >= topic.partitionCount()) {
            return Lookup.failed(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        }
        Partition hosted = partitions.get(new TopicPartition(topic.name(), partition));
        if (hosted != null && hosted.log().isOffline()) {
            // its log dir failed: as Kafka, KAFKA_STORAGE_ERROR until restart (clients refresh metadata and retry)
            return Lookup.failed(Errors.KAFKA_STORAGE_ERROR);
        }
        if (hosted == null || !hosted.topicId().equals(topic.id()) || !hosted.isLeader()) {
            return new Lookup(hosted != null && hosted.topicId().equals(topic.id()) ? hosted : null,
                    Errors.NOT_LEADER_OR_FOLLOWER);
        }
        return new Lookup(hosted, Errors.NONE);
    }

    /**
     * Brings the hosted partitions in line with the image {@code latest} gives once the lock is held. With a monotonic
     * supplier (the store's current image), calls racing from start-up and the metadata listener can never apply an
     * older image after a newer one, which would recreate a deleted log.
     */
    public synchronized void reconcileLatest(Supplier<MetadataImage> latest) {
        reconcile(latest.get());
    }

    /**
     * Brings the hosted partitions in line with {@code image}. Idempotent. A storage failure for one partition is
     * logged and leaves that partition unhosted (clients get NOT_LEADER_OR_FOLLOWER) without stopping the others.
     */
    public synchronized void reconcile(MetadataImage image) {
        if (closed) {
            return;
        }
        long startNs = System.nanoTime();
        int created = 0;
        for (Partition hosted : List.copyOf(partitions.values())) {
            TopicImage topic = image.topicsByName().get(hosted.topicPartition().topic());
            boolean gone = topic == null || !topic.id().equals(hosted.topicId())
                    || hosted.topicPartition().partition() >= topic.partitionCount();
            if (gone) {
                remove(hosted);
            }
        }
        for (TopicImage topic : image.topicsByName().values()) {
            LogConfig config = configResolver.resolve(image.brokerConfigs(), topic.configs());
            for (int index = 0; index < topic.partitionCount() && !closed; index++) {
                TopicPartition topicPartition = new TopicPartition(topic.name(), index);
                PartitionRegistration registration = registrationOf(topic, index);
                Partition hosted = partitions.get(topicPartition);
                if (!registration.replicas().contains(localId)) {
                    // Only an explicit registration that leaves this node out makes the log a stray; a topic
                    // without registrations (or a partition this node never had) is not evidence of anything.
                    if (hosted != null && topic.partition(index).isPresent()) {
                        LOG.info("{} is no longer assigned to node {} (replicas {}); deleting its log",
                                topicPartition, localId, registration.replicas());
                        remove(hosted);
                    }
                    continue;
                }
                if (hosted == null) {
                    createLog(topicPartition, topic.id(), config, registration);
                    created++;
                    continue;
                }
                if (!hosted.config().equals(config)) {
                    hosted = updateConfig(hosted, config);
                }
                if (!hosted.registration().equals(registration)) {
                    Partition changed = hosted.withRegistration(registration);
                    partitions.put(topicPartition, changed);
                    notifyRegistration(hosted, changed);
                }
            }
        }
        if (created > 0) {
            // one line per batch; DefaultLogManager logs each log at DEBUG
            LOG.info("Created {} partition log(s) on node {} in {} ms", created, localId,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));
        }
    }

    private void notifyRegistration(Partition previous, Partition current) {
        try {
            roleListener.onRegistration(previous, current);
        } catch (RuntimeException e) {
            LOG.error("Could not apply the registration of {}: {}", current.topicPartition(), current.registration(),
                    e);
        }
    }

    private void remove(Partition hosted) {
        try {
            roleListener.onRemoved(hosted);
        } catch (RuntimeException e) {
            LOG.error("Could not stop the replica of {}", hosted.topicPartition(), e);
        }
        deleteLog(hosted.topicPartition());
    }

    /**
     * At start-up, before the first {@link #reconcile}: deletes logs on disk whose topic the metadata no longer has
     * (deleted while this node was down), or whose recorded topic id is not the topic's (deleted and created again
     * meanwhile). Without this a later topic of the same name would inherit the old records.
     */
    public synchronized void deleteStrayLogs(MetadataImage image) {
        List<TopicPartition> strays = new ArrayList<>();
        for (PartitionLog log : logManager.all()) {
            TopicPartition topicPartition = log.topicPartition();
            TopicImage topic = image.topicsByName().get(topicPartition.topic());
            if (topic == null || topicPartition.partition() >= topic.partitionCount()
                    || log.topicId().filter(id -> !id.equals(topic.id())).isPresent()) {
                strays.add(topicPartition);
            }
        }
        for (TopicPartition stray : strays) {
            LOG.warn("Deleting log of {}: its topic or partition is not in the cluster metadata", stray);
            deleteLog(stray);
        }
    }

    private void createLog(TopicPartition topicPartition, Uuid topicId, LogConfig config,
            PartitionRegistration registration) {
        Partition created;
        try {
            PartitionLog log = logManager.getOrCreate(topicPartition, config);
            if (log.topicId().filter(id -> !id.equals(topicId)).isPresent()) {
                // left by a deleted topic of the same name (deleted while this node was away): never adopt it
                LOG.warn("Deleting the log of {}: it belongs to topic id {}, the topic is now {}", topicPartition,
                        log.topicId().get(), topicId);
                logManager.delete(topicPartition);
                log = logManager.getOrCreate(topicPartition, config);
            }
            log.assignTopicId(topicId);
            created = new Partition(topicPartition, topicId, log, config, registration, localId);
            partitions.put(topicPartition, created);
        } catch (RuntimeException e) {
            LOG.error("Could not create the log of {}; the partition stays offline", topicPartition, e);
            return;
        }
        notifyRegistration(null, created);
    }

    private Partition updateConfig(Partition hosted, LogConfig config) {
        try {
            logManager.updateConfig(hosted.topicPartition(), config);
            Partition updated = hosted.withConfig(config);
            partitions.put(hosted.topicPartition(), updated);
            return updated;
        } catch (RuntimeException e) {
            LOG.error("Could not apply new log settings to {}", hosted.topicPartition(), e);
            return hosted;
        }
    }

    private void deleteLog(TopicPartition topicPartition) {
        partitions.remove(topicPartition);
        try {
            logManager.delete(topicPartition);
        } catch (RuntimeException e) {
            LOG.error("Could not delete the log of {}", topicPartition, e);
        }
    }

    /**
     * The outcome of a lookup: a hosted partition, or the error to answer for it.
     *
     * @param partition the partition; null when {@code error} is not NONE, except that a follower is given with
     *            NOT_LEADER_OR_FOLLOWER (see {@link #hosted()})
     * @param error NONE when found
     */
    public record Lookup(Partition partition, Errors error) {

        static Lookup failed(Errors error) {
            return new Lookup(null, error);
        }

        public boolean found() {
            return error == Errors.NONE;
        }

        /** The hosted partition even when this node only follows it (for the leader-epoch check), else null. */
        public Partition hosted() {
            return partition;
        }
    }
}
