package io.brook.broker.replication;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;

import io.brook.broker.partition.Partition;
import io.brook.metadata.MetadataImage;

/**
 * The follower fetchers: {@code num.replica.fetchers} per leader broker at most, a partition going to fetcher
 * {@code hash(topic partition) % num.replica.fetchers} of its leader (Kafka's {@code AbstractFetcherManager}). A
 * fetcher left without partitions is stopped.
 *
 * <p>Thread-safe: every method is synchronized (calls come from the metadata thread and from shutdown).
 */
final class ReplicaFetcherManager implements AutoCloseable {

    private record FetcherKey(int sourceBrokerId, int fetcherId) {
    }

    private final int localId;
    private final Supplier<MetadataImage> image;
    private final FetcherSettings settings;
    private final Time time;
    private final Map<FetcherKey, ReplicaFetcher> fetchers = new HashMap<>();
    private final Map<TopicPartition, FetcherKey> assignment = new HashMap<>();
    private boolean closed;

    ReplicaFetcherManager(int localId, Supplier<MetadataImage> image, FetcherSettings settings, Time time) {
        this.localId = localId;
        this.image = image;
        this.settings = settings;
        this.time = time;
    }

    /** Follows {@code partition} from its registration's leader, from the start of its current leader epoch. */
    synchronized void follow(Partition partition) {
        if (closed) {
            return;
        }
        TopicPartition topicPartition = partition.topicPartition();
        FetcherKey key = new FetcherKey(partition.leaderId(),
                Utils.abs(topicPartition.hashCode()) % settings.fetchersPerBroker());
        FetcherKey previous = assignment.put(topicPartition, key);
        if (previous != null && !previous.equals(key)) {
            detach(topicPartition, previous);
        }
        ReplicaFetcher fetcher = fetchers.get(key);
        if (fetcher == null) {
            fetcher = new ReplicaFetcher(key.sourceBrokerId(), key.fetcherId(), localId, image, settings, time);
            fetchers.put(key, fetcher);
            fetcher.start();
        }
        fetcher.add(partition);
    }

    /** Stops following; when it returns no fetcher writes to the partition's log any more. */
    synchronized void unfollow(TopicPartition topicPartition) {
        FetcherKey key = assignment.remove(topicPartition);
        if (key != null) {
            detach(topicPartition, key);
        }
    }

    synchronized int fetcherCount() {
        return fetchers.size();
    }

    private void detach(TopicPartition topicPartition, FetcherKey key) {
        ReplicaFetcher fetcher = fetchers.get(key);
        if (fetcher == null) {
            return;
        }
        fetcher.remove(topicPartition);
        if (fetcher.isEmpty()) {
            fetchers.remove(key);
            fetcher.close();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (Iterator<ReplicaFetcher> it = fetchers.values().iterator(); it.hasNext();) {
            it.next().close();
            it.remove();
        }
        assignment.clear();
    }
}
