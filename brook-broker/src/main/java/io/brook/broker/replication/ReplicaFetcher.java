package io.brook.broker.replication;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Records;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FetchMetadata;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.ListOffsetsResponse;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.broker.partition.Partition;
import io.brook.metadata.BrokerRegistration;
import io.brook.metadata.Endpoint;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.PartitionRegistration;
import io.brook.storage.EpochEndOffset;
import io.brook.storage.PartitionLog;

/**
 * One follower fetch loop against one leader broker (Kafka's {@code ReplicaFetcherThread}): fetches every partition
 * it was given from their log end offsets with the last fetched epoch, truncates on a diverging epoch, appends what
 * the leader returned as is, and follows the leader's high watermark.
 *
 * <p>Threading: one daemon thread runs the loop. {@link #add} and {@link #remove} may be called from any thread; they
 * take the partition lock, which the loop holds while it touches logs (never while it waits on the network), so once
 * {@code remove} returns the fetcher no longer writes to that partition's log.
 */
final class ReplicaFetcher implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaFetcher.class);
    /** How long an idle fetcher sleeps before looking for partitions again. */
    private static final long IDLE_WAIT_MS = 100;
    /**
     * How soon a partition is fetched again when its leader refused it only because it has not caught up with the
     * metadata yet (see {@link #leaderCatchingUp}); other errors wait {@code replica.fetch.backoff.ms}.
     */
    static final long LEADER_CATCHING_UP_RETRY_MS = 50;

    private final int sourceBrokerId;
    private final int localId;
    private final Supplier<MetadataImage> image;
    private final FetcherSettings settings;
    private final Time time;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Guarded by {@code lock}. */
    private final Map<TopicPartition, Followed> partitions = new LinkedHashMap<>();
    private volatile boolean running = true;
    private volatile BrokerConnection connection;

    /** A partition this fetcher follows; {@code retryAtMs} delays it after an error. */
    private static final class Followed {
        final Partition partition;
        long retryAtMs;

        Followed(Partition partition) {
            this.partition = partition;
        }
    }

    ReplicaFetcher(int sourceBrokerId, int fetcherId, int localId, Supplier<MetadataImage> image,
            FetcherSettings settings, Time time) {
        this.sourceBrokerId = sourceBrokerId;
        this.localId = localId;
        this.image = image;
        this.settings = settings;
        this.time = time;
        this.thread = new Thread(this, "brook-replica-fetcher-" + fetcherId + "-from-" + sourceBrokerId);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    int sourceBrokerId() {
        return sourceBrokerId;
    }

    /** Starts (or restarts, for a new leader epoch) following {@code partition}. */
    void add(Partition partition) {
        lock.lock();
        try {
            partitions.put(partition.topicPartition(), new Followed(partition));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops following; once this returns the fetcher no longer touches the partition's log. */
    void remove(TopicPartition topicPartition) {
        lock.lock();
        try {
            partitions.remove(topicPartition);
        } finally {
            lock.unlock();
        }
    }

    boolean isEmpty() {
        lock.lock();
        try {
            return partitions.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void run() {
        while (running) {
            try {
                doWork();
            } catch (IOException e) {
                LOG.info("Fetch from broker {} failed ({}); retrying in {} ms", sourceBrokerId, e.toString(),
                        settings.backoffMs());
                closeConnection();
                pause(settings.backoffMs());
            } catch (RuntimeException e) {
                LOG.error("Replica fetcher from broker {} failed; retrying in {} ms", sourceBrokerId,
                        settings.backoffMs(), e);
                closeConnection();
                pause(settings.backoffMs());
            }
        }
        closeConnection();
    }

    /** One round: build a fetch from the partitions' current state, send it, apply the answer. */
    void doWork() throws IOException {
        Map<TopicPartition, FetchRequest.PartitionData> request = new LinkedHashMap<>();
        Map<TopicPartition, Followed> sent = new HashMap<>();
        lock.lock();
        try {
            long now = time.milliseconds();
            for (Map.Entry<TopicPartition, Followed> entry : partitions.entrySet()) {
                Followed followed = entry.getValue();
                // a log in an offline log dir is not fetched for any more (as Kafka removes it from its fetchers)
                if (followed.retryAtMs <= now && !followed.partition.log().isOffline()) {
                    request.put(entry.getKey(), fetchData(followed.partition));
                    sent.put(entry.getKey(), followed);
                }
            }
            if (request.isEmpty()) {
                awaitChange(IDLE_WAIT_MS);
                return;
            }
        } finally {
            lock.unlock();
        }
        BrokerConnection leader = connect();
        if (leader == null) {
            pause(settings.backoffMs());
            return;
        }
        long brokerEpoch = image.get().broker(localId).map(BrokerRegistration::epoch).orElse(-1L);
        FetchRequest fetch = FetchRequest.Builder
                .forReplica(ApiKeys.FETCH.latestVersion(false), localId, brokerEpoch, settings.maxWaitMs(),
                        settings.minBytes(), request)
                .setMaxBytes(settings.maxBytes())
                .metadata(FetchMetadata.LEGACY)
                .build(ApiKeys.FETCH.latestVersion(false));
        AbstractResponse response = leader.send(fetch);
        if (!(response instanceof FetchResponse fetchResponse)) {
            throw new IOException("Unexpected response " + response.getClass().getSimpleName());
        }
        if (fetchResponse.error() != Errors.NONE) {
            LOG.warn("Fetch from broker {} failed with {}", sourceBrokerId, fetchResponse.error());
            pause(settings.backoffMs());
            return;
        }
        Map<Uuid, String> names = new HashMap<>();
        sent.values().forEach(f -> names.put(f.partition.topicId(), f.partition.topicPartition().topic()));
        lock.lock();
        try {
            for (FetchResponseData.FetchableTopicResponse topic : fetchResponse.data().responses()) {
                String name = topic.topic() != null && !topic.topic().isEmpty()
                        ? topic.topic()
                        : names.get(topic.topicId());
                for (FetchResponseData.PartitionData data : topic.partitions()) {
                    TopicPartition topicPartition = new TopicPartition(name, data.partitionIndex());
                    Followed followed = partitions.get(topicPartition);
                    // Skip answers for partitions removed or re-added (new epoch) while the fetch was in flight.
                    if (followed != null && followed == sent.get(topicPartition)) {
                        process(leader, followed, data);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private FetchRequest.PartitionData fetchData(Partition partition) {
        PartitionLog log = partition.log();
        Optional<Integer> lastFetchedEpoch = log.latestEpoch().isPresent()
                ? Optional.of(log.latestEpoch().getAsInt())
                : Optional.empty();
        return new FetchRequest.PartitionData(partition.topicId(), log.logEndOffset(), log.logStartOffset(),
                settings.maxBytesPerPartition(), Optional.of(partition.leaderEpoch()), lastFetchedEpoch);
    }

    /** Applies one partition's answer; the lock is held. */
    private void process(BrokerConnection leader, Followed followed, FetchResponseData.PartitionData data)
            throws IOException {
        Partition partition = followed.partition;
        PartitionLog log = partition.log();
        Errors error = Errors.forCode(data.errorCode());
        try {
            switch (error) {
                case NONE -> {
                    Optional<FetchResponseData.EpochEndOffset> diverging = FetchResponse.divergingEpoch(data);
                    if (diverging.isPresent()) {
                        truncate(partition, new EpochEndOffset(diverging.get().epoch(), diverging.get().endOffset()));
                        return;
                    }
                    Records records = FetchResponse.recordsOrFail(data);
                    if (records.sizeInBytes() > 0) {
                        log.appendAsFollower(toMemoryRecords(records));
                    }
                    if (data.highWatermark() >= 0) {
                        log.updateHighWatermark(Math.min(data.highWatermark(), log.logEndOffset()));
                    }
                    if (data.logStartOffset() > log.logStartOffset()) {
                        // the leader's retention or DeleteRecords moved its start: records below it go here too
                        // (the retention pass then deletes the segments wholly below it)
                        log.maybeIncrementLogStartOffset(Math.min(data.logStartOffset(), log.highWatermark()));
                    }
                }
                case OFFSET_OUT_OF_RANGE -> handleOutOfRange(leader, partition);
                default -> {
                    // Fenced or unknown epoch, not leader, unknown topic: the metadata will bring the change; back
                    // off this partition meanwhile, as Kafka marks it failed until the next leadership update. A
                    // leader that our metadata still names at our epoch is only behind us (it has not created the
                    // log yet, as just after CreateTopics): ask it again soon rather than after the full back-off.
                    long delayMs = leaderCatchingUp(partition, error)
                            ? Math.min(LEADER_CATCHING_UP_RETRY_MS, settings.backoffMs())
                            : settings.backoffMs();
                    LOG.debug("Fetch of {} from broker {} failed with {}; retrying in {} ms",
                            partition.topicPartition(), sourceBrokerId, error, delayMs);
                    followed.retryAtMs = time.milliseconds() + delayMs;
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not apply the fetch of {} from broker {}; retrying in {} ms", partition.topicPartition(),
                    sourceBrokerId, settings.backoffMs(), e);
            followed.retryAtMs = time.milliseconds() + settings.backoffMs();
        }
    }

    /**
     * True when the leader refused the partition as not hosted while this node's newest metadata still has it leading
     * at the epoch we follow: the leader has not applied that metadata yet, and will host the partition shortly.
     */
    private boolean leaderCatchingUp(Partition partition, Errors error) {
        Optional<PartitionRegistration> current = image.get().topic(partition.topicId())
                .flatMap(topic -> topic.partition(partition.topicPartition().partition()));
        return leaderCatchingUp(error, current, sourceBrokerId, partition.leaderEpoch());
    }

    /**
     * The pure rule of {@link #leaderCatchingUp(Partition, Errors)}: the leader answered that it does not host the
     * partition, and {@code current} (this node's newest registration) still has {@code leaderId} leading at
     * {@code followedEpoch}.
     */
    static boolean leaderCatchingUp(Errors error, Optional<PartitionRegistration> current, int leaderId,
            int followedEpoch) {
        if (error != Errors.NOT_LEADER_OR_FOLLOWER && error != Errors.UNKNOWN_TOPIC_OR_PARTITION
                && error != Errors.UNKNOWN_TOPIC_ID) {
            return false;
        }
        return current.filter(registration -> registration.leader() == leaderId
                && registration.leaderEpoch() == followedEpoch).isPresent();
    }

    private void truncate(Partition partition, EpochEndOffset diverging) {
        PartitionLog log = partition.log();
        EpochEndOffset local = diverging.epoch() >= 0
                ? log.endOffsetForEpoch(diverging.epoch())
                : EpochEndOffset.UNDEFINED;
        long offset = Divergence.truncationOffset(diverging, local, log.logEndOffset());
        long highWatermark = log.highWatermark();
        if (offset < highWatermark) {
            LOG.warn("Truncating {} to {}, below its high watermark {} (leader {} diverged at epoch {})",
                    partition.topicPartition(), offset, highWatermark, sourceBrokerId, diverging.epoch());
        } else {
            LOG.info("Truncating {} from {} to {}: leader {} diverged at epoch {} ending at {}",
                    partition.topicPartition(), log.logEndOffset(), offset, sourceBrokerId, diverging.epoch(),
                    diverging.endOffset());
        }
        log.truncateTo(offset);
    }

    /**
     * Kafka's rule: a fetch offset above the leader's log end means our tail is not on the leader (truncate to its
     * end); below the leader's log start means we missed deleted records (start over at the leader's log start).
     */
    private void handleOutOfRange(BrokerConnection leader, Partition partition) throws IOException {
        PartitionLog log = partition.log();
        long leaderEnd = listOffset(leader, partition, ListOffsetsRequest.LATEST_TIMESTAMP);
        if (leaderEnd >= 0 && leaderEnd < log.logEndOffset()) {
            LOG.warn("Truncating {} to the leader's log end offset {} (was {})", partition.topicPartition(),
                    leaderEnd, log.logEndOffset());
            log.truncateTo(leaderEnd);
            return;
        }
        long leaderStart = listOffset(leader, partition, ListOffsetsRequest.EARLIEST_TIMESTAMP);
        if (leaderStart > log.logEndOffset()) {
            LOG.warn("{} starts over at the leader's log start offset {} (its log ended at {})",
                    partition.topicPartition(), leaderStart, log.logEndOffset());
            log.truncateFullyAndStartAt(leaderStart);
        }
    }

    private long listOffset(BrokerConnection leader, Partition partition, long timestamp) throws IOException {
        TopicPartition topicPartition = partition.topicPartition();
        ListOffsetsRequest request = ListOffsetsRequest.Builder.forReplica(ApiKeys.LIST_OFFSETS.latestVersion(false),
                localId)
                .setTargetTimes(List.of(new ListOffsetsRequestData.ListOffsetsTopic()
                        .setName(topicPartition.topic())
                        .setPartitions(List.of(new ListOffsetsRequestData.ListOffsetsPartition()
                                .setPartitionIndex(topicPartition.partition())
                                .setCurrentLeaderEpoch(partition.leaderEpoch())
                                .setTimestamp(timestamp)))))
                .build(ApiKeys.LIST_OFFSETS.latestVersion(false));
        AbstractResponse response = leader.send(request);
        if (response instanceof ListOffsetsResponse offsets) {
            for (ListOffsetsResponseData.ListOffsetsTopicResponse topic : offsets.data().topics()) {
                for (ListOffsetsResponseData.ListOffsetsPartitionResponse p : topic.partitions()) {
                    if (p.errorCode() == Errors.NONE.code()) {
                        return p.offset();
                    }
                }
            }
        }
        return -1;
    }

    private static MemoryRecords toMemoryRecords(Records records) {
        if (records instanceof MemoryRecords memory) {
            return memory;
        }
        throw new IllegalStateException("Fetched records are not in memory: " + records.getClass());
    }

    private BrokerConnection connect() {
        BrokerConnection current = connection;
        if (current != null) {
            return current;
        }
        Optional<Endpoint> endpoint = image.get().broker(sourceBrokerId)
                .flatMap(b -> b.endpoints().stream()
                        .filter(e -> e.listener().equals(settings.listenerName()))
                        .findFirst());
        if (endpoint.isEmpty()) {
            LOG.warn("Broker {} has no registered {} endpoint to fetch from", sourceBrokerId,
                    settings.listenerName());
            return null;
        }
        try {
            current = new BrokerConnection(settings.sockets(), endpoint.get().host(), endpoint.get().port(),
                    settings.socketTimeoutMs(),
                    settings.maxBytes() + (1 << 20));
        } catch (IOException e) {
            LOG.info("Cannot connect to broker {} at {}:{} ({})", sourceBrokerId, endpoint.get().host(),
                    endpoint.get().port(), e.toString());
            return null;
        }
        connection = current;
        if (!running) {
            closeConnection();
            return null;
        }
        return current;
    }

    private void closeConnection() {
        BrokerConnection current = connection;
        connection = null;
        if (current != null) {
            current.close();
        }
    }

    private void awaitChange(long ms) {
        try {
            changed.await(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void pause(long ms) {
        lock.lock();
        try {
            if (running) {
                awaitChange(ms);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops the loop: closes the connection (unblocking a pending read) and waits for the thread, bounded. */
    @Override
    public void close() {
        running = false;
        closeConnection();
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        // No interrupt: it would close the FileChannel of a log the thread is appending to.
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("Replica fetcher from broker {} did not stop within 5 s", sourceBrokerId);
        }
    }
}
