package io.brook.broker.txn;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.WriteTxnMarkersRequest;
import org.apache.kafka.common.requests.WriteTxnMarkersResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.broker.replication.BrokerConnection;
import io.brook.broker.security.InterBrokerSockets;

/**
 * Sends markers as WriteTxnMarkers requests over the inter-broker listener, also to this node itself, so every marker
 * takes the same path. Pending transactions are batched: each round sends one request per leader broker carrying the
 * markers of every transaction with partitions there. A partition that fails with a retriable error (no leader, a
 * leader change, NOT_ENOUGH_REPLICAS, a lost connection...) is retried after {@code backoffMs}, looking its leader up
 * again; a transaction's markers are complete when every partition answered NONE.
 *
 * <p>Threading: one owner thread, {@code brook-txn-marker-sender}, does the blocking network I/O (one connection per
 * leader, bounded by the socket timeout) and owns every pending transaction; {@link #send} only queues.
 */
public final class NetworkTransactionMarkerSender implements TransactionMarkerSender {

    private static final Logger LOG = LoggerFactory.getLogger(NetworkTransactionMarkerSender.class);
    /** Where partitions and brokers are, from the current metadata. Thread-safe. */
    public interface Cluster {
        /** The leader of {@code partition}: empty if it has none now; {@code -2} if the partition no longer exists. */
        OptionalInt leaderOf(TopicPartition partition);

        /** The inter-broker endpoint of a broker. */
        Optional<InetSocketAddress> endpoint(int brokerId);
    }

    /** The leader id {@link Cluster#leaderOf} answers for a partition that does not exist. */
    public static final int NO_SUCH_PARTITION = -2;

    private static final class Pending {
        final MarkerJob job;
        final Set<TopicPartition> remaining;
        final CompletableFuture<Boolean> done = new CompletableFuture<>();

        Pending(MarkerJob job) {
            this.job = job;
            this.remaining = new HashSet<>(job.partitions());
        }
    }

    private record Connection(InetSocketAddress address, BrokerConnection connection) {
    }

    private final Cluster cluster;
    private final InterBrokerSockets sockets;
    private final int socketTimeoutMs;
    private final long backoffMs;
    private final ScheduledThreadPoolExecutor owner;
    private final ArrayDeque<Pending> ready = new ArrayDeque<>();
    private final Map<Integer, Connection> connections = new HashMap<>();
    private boolean drainQueued;
    private volatile boolean closed;

    public NetworkTransactionMarkerSender(Cluster cluster, int socketTimeoutMs, long backoffMs) {
        this(cluster, InterBrokerSockets.plaintext(), socketTimeoutMs, backoffMs);
    }

    /** Connects through {@code sockets}: TLS when the inter-broker listener is SSL. */
    public NetworkTransactionMarkerSender(Cluster cluster, InterBrokerSockets sockets, int socketTimeoutMs,
            long backoffMs) {
        this.cluster = cluster;
        this.sockets = sockets;
        this.socketTimeoutMs = socketTimeoutMs;
        this.backoffMs = backoffMs;
        this.owner = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "brook-txn-marker-sender");
            t.setDaemon(true);
            return t;
        });
        owner.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public CompletableFuture<Boolean> send(MarkerJob job) {
        Pending pending = new Pending(job);
        if (!enqueue(pending)) {
            pending.done.complete(false);
        }
        return pending.done;
    }

    private boolean enqueue(Pending pending) {
        if (closed) {
            return false;
        }
        try {
            owner.execute(() -> {
                ready.add(pending);
                if (!drainQueued) {
                    drainQueued = true;
                    owner.execute(this::drain);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** One round: every ready transaction, one request per leader. Owner thread. */
    private void drain() {
        drainQueued = false;
        List<Pending> batch = new ArrayList<>(ready);
        ready.clear();
        if (closed) {
            batch.forEach(p -> p.done.complete(false));
            return;
        }
        Map<Integer, Map<Pending, List<TopicPartition>>> byLeader = new HashMap<>();
        for (Pending p : batch) {
            for (TopicPartition tp : List.copyOf(p.remaining)) {
                OptionalInt leader = cluster.leaderOf(tp);
                if (leader.isPresent() && leader.getAsInt() == NO_SUCH_PARTITION) {
                    p.remaining.remove(tp);
                } else if (leader.isPresent()) {
                    byLeader.computeIfAbsent(leader.getAsInt(), l -> new HashMap<>())
                            .computeIfAbsent(p, x -> new ArrayList<>()).add(tp);
                }
            }
        }
        byLeader.forEach(this::sendTo);
        for (Pending p : batch) {
            if (p.done.isDone()) {
                continue;
            }
            if (p.remaining.isEmpty()) {
                p.done.complete(true);
            } else {
                retryLater(p);
            }
        }
    }

    private void retryLater(Pending p) {
        try {
            owner.schedule(() -> {
                if (enqueue(p)) {
                    return;
                }
                p.done.complete(false);
            }, backoffMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            p.done.complete(false);
        }
    }

    private void sendTo(int leader, Map<Pending, List<TopicPartition>> markers) {
        BrokerConnection connection = connection(leader);
        if (connection == null) {
            return;
        }
        List<WriteTxnMarkersRequest.TxnMarkerEntry> entries = new ArrayList<>();
        Map<Long, Pending> byProducer = new HashMap<>();
        markers.forEach((p, partitions) -> {
            entries.add(new WriteTxnMarkersRequest.TxnMarkerEntry(p.job.producerId(), p.job.producerEpoch(),
                    p.job.coordinatorEpoch(), p.job.result(), partitions, p.job.transactionVersion()));
            byProducer.put(p.job.producerId(), p);
        });
        AbstractResponse response;
        try {
            response = connection.send(new WriteTxnMarkersRequest.Builder(entries)
                    .build(ApiKeys.WRITE_TXN_MARKERS.latestVersion()));
        } catch (IOException | RuntimeException e) {
            LOG.info("Could not send transaction markers to broker {} ({}); retrying", leader, e.toString());
            dropConnection(leader);
            return;
        }
        WriteTxnMarkersResponseData data = ((WriteTxnMarkersResponse) response).data();
        for (WriteTxnMarkersResponseData.WritableTxnMarkerResult marker : data.markers()) {
            Pending p = byProducer.get(marker.producerId());
            if (p == null) {
                continue;
            }
            for (WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult topic : marker.topics()) {
                for (WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult partition : topic.partitions()) {
                    handle(p, new TopicPartition(topic.name(), partition.partitionIndex()),
                            Errors.forCode(partition.errorCode()));
                }
            }
        }
    }

    private void handle(Pending p, TopicPartition tp, Errors error) {
        switch (error) {
            case NONE, UNSUPPORTED_FOR_MESSAGE_FORMAT, UNSUPPORTED_VERSION -> p.remaining.remove(tp);
            case INVALID_PRODUCER_EPOCH, TRANSACTION_COORDINATOR_FENCED -> {
                // A newer coordinator (epoch) owns the transaction now and finishes it.
                LOG.info("Stopping the markers of {}: {} answered {}", p.job.transactionalId(), tp, error);
                p.done.complete(false);
            }
            default -> LOG.debug("Marker of {} for {} failed with {}; retrying", p.job.transactionalId(), tp,
                    error);
        }
    }

    private BrokerConnection connection(int brokerId) {
        Optional<InetSocketAddress> address = cluster.endpoint(brokerId);
        Connection current = connections.get(brokerId);
        if (current != null && address.isPresent() && current.address().equals(address.get())) {
            return current.connection();
        }
        dropConnection(brokerId);
        if (address.isEmpty()) {
            return null;
        }
        try {
            BrokerConnection connection = new BrokerConnection(sockets, address.get().getHostString(),
                    address.get().getPort(), socketTimeoutMs, 16 << 20);
            connections.put(brokerId, new Connection(address.get(), connection));
            return connection;
        } catch (IOException e) {
            LOG.info("Cannot connect to broker {} at {} to send transaction markers ({})", brokerId, address.get(),
                    e.toString());
            return null;
        }
    }

    private void dropConnection(int brokerId) {
        Connection dropped = connections.remove(brokerId);
        if (dropped != null) {
            dropped.connection().close();
        }
    }

    /** Abandons pending markers (their futures complete with false) and closes the connections. */
    @Override
    public void close() {
        closed = true;
        try {
            owner.execute(() -> {
                ready.forEach(p -> p.done.complete(false));
                ready.clear();
                connections.values().forEach(c -> c.connection().close());
                connections.clear();
            });
        } catch (RejectedExecutionException e) {
            // already closed
        }
        owner.shutdown();
        try {
            if (!owner.awaitTermination(5, TimeUnit.SECONDS)) {
                owner.shutdownNow();
            }
        } catch (InterruptedException e) {
            owner.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
