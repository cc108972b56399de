package io.brook.broker.txn;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.broker.replication.BrokerConnection;
import io.brook.broker.security.InterBrokerSockets;

/**
 * The {@link TransactionVerifier} of a broker: asks this node's {@link TransactionCoordinator} when it coordinates the
 * transactional id, else the coordinator node (the leader of the id's {@code __transaction_state} partition) with
 * AddPartitionsToTxn v4+ in the broker form ({@code verify_only}, or an add with {@code addPartition}).
 *
 * <p>Thread-safe. Remote requests run on one thread, {@code brook-txn-verifier}, over blocking connections (one per
 * coordinator node); a connection failure answers COORDINATOR_NOT_AVAILABLE, which the producer retries.
 */
public final class CoordinatorTransactionVerifier implements TransactionVerifier, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorTransactionVerifier.class);

    private final TransactionCoordinator coordinator;
    private final NetworkTransactionMarkerSender.Cluster cluster;
    private final Function<String, Integer> stateLogPartitions;
    private final InterBrokerSockets sockets;
    private final int socketTimeoutMs;
    private final ExecutorService remote;
    private final Map<Integer, BrokerConnection> connections = new HashMap<>();
    private final Map<Integer, InetSocketAddress> addresses = new HashMap<>();

    /**
     * @param cluster where partition leaders and brokers are
     * @param stateLogPartitions the partition count of {@code __transaction_state} (null if it does not exist), by
     *        topic name
     */
    public CoordinatorTransactionVerifier(TransactionCoordinator coordinator,
            NetworkTransactionMarkerSender.Cluster cluster, Function<String, Integer> stateLogPartitions,
            int socketTimeoutMs) {
        this(coordinator, cluster, stateLogPartitions, InterBrokerSockets.plaintext(), socketTimeoutMs);
    }

    /** As above, connecting to other coordinators through {@code sockets} (TLS when inter-broker is SSL). */
    public CoordinatorTransactionVerifier(TransactionCoordinator coordinator,
            NetworkTransactionMarkerSender.Cluster cluster, Function<String, Integer> stateLogPartitions,
            InterBrokerSockets sockets, int socketTimeoutMs) {
        this.coordinator = coordinator;
        this.sockets = sockets;
        this.cluster = cluster;
        this.stateLogPartitions = stateLogPartitions;
        this.socketTimeoutMs = socketTimeoutMs;
        // Bounded: a backlog beyond this answers COORDINATOR_NOT_AVAILABLE rather than growing without limit.
        this.remote = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(10_000), r -> {
            Thread t = new Thread(r, "brook-txn-verifier");
            t.setDaemon(true);
            return t;
        });
    }

    /** The local coordinator wakes the caller when the id leaves its Prepare state (or does not coordinate it). */
    @Override
    public CompletableFuture<Void> whenNotCompleting(String transactionalId) {
        return coordinator.whenNotCompleting(transactionalId);
    }

    @Override
    public CompletableFuture<Errors> verify(String transactionalId, long producerId, short producerEpoch,
            TopicPartition partition, boolean addPartition) {
        CompletableFuture<Errors> local = addPartition
                ? coordinator.addPartitions(transactionalId, producerId, producerEpoch, Set.of(partition),
                        TransactionMetadata.TRANSACTION_VERSION_2)
                : coordinator.verify(transactionalId, producerId, producerEpoch, Set.of(partition))
                        .thenApply(errors -> errors.getOrDefault(partition, Errors.UNKNOWN_SERVER_ERROR));
        return local.thenCompose(error -> error == Errors.NOT_COORDINATOR
                ? askCoordinatorNode(transactionalId, producerId, producerEpoch, partition, addPartition)
                : CompletableFuture.completedFuture(error));
    }

    private CompletableFuture<Errors> askCoordinatorNode(String transactionalId, long producerId, short epoch,
            TopicPartition partition, boolean addPartition) {
        CompletableFuture<Errors> result = new CompletableFuture<>();
        try {
            remote.execute(() -> result.complete(send(transactionalId, producerId, epoch, partition, addPartition)));
        } catch (RejectedExecutionException e) {
            result.complete(Errors.COORDINATOR_NOT_AVAILABLE);
        }
        return result;
    }

    /** Blocking, on the verifier thread. */
    private Errors send(String transactionalId, long producerId, short epoch, TopicPartition partition,
            boolean addPartition) {
        Integer partitions = stateLogPartitions.apply(Topic.TRANSACTION_STATE_TOPIC_NAME);
        if (partitions == null) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        OptionalInt node = cluster.leaderOf(new TopicPartition(Topic.TRANSACTION_STATE_TOPIC_NAME,
                TransactionCoordinator.partitionFor(transactionalId, partitions)));
        if (node.isEmpty() || node.getAsInt() < 0) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
        topics.add(new AddPartitionsToTxnTopic().setName(partition.topic())
                .setPartitions(List.of(partition.partition())));
        AddPartitionsToTxnTransactionCollection transactions = new AddPartitionsToTxnTransactionCollection();
        transactions.add(new AddPartitionsToTxnTransaction().setTransactionalId(transactionalId)
                .setProducerId(producerId).setProducerEpoch(epoch).setVerifyOnly(!addPartition).setTopics(topics));
        try {
            BrokerConnection connection = connection(node.getAsInt());
            if (connection == null) {
                return Errors.COORDINATOR_NOT_AVAILABLE;
            }
            AddPartitionsToTxnResponse response = (AddPartitionsToTxnResponse) connection.send(
                    AddPartitionsToTxnRequest.Builder.forBroker(transactions)
                            .build(ApiKeys.ADD_PARTITIONS_TO_TXN.latestVersion()));
            if (response.data().errorCode() != Errors.NONE.code()) {
                return Errors.forCode(response.data().errorCode());
            }
            Map<TopicPartition, Errors> errors = response.errors().getOrDefault(transactionalId, Map.of());
            return errors.getOrDefault(partition, Errors.UNKNOWN_SERVER_ERROR);
        } catch (IOException | RuntimeException e) {
            LOG.info("Could not verify the transaction of {} with broker {} ({})", transactionalId, node.getAsInt(),
                    e.toString());
            Optional.ofNullable(connections.remove(node.getAsInt())).ifPresent(BrokerConnection::close);
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
    }

    private BrokerConnection connection(int brokerId) throws IOException {
        Optional<InetSocketAddress> address = cluster.endpoint(brokerId);
        if (address.isEmpty()) {
            return null;
        }
        BrokerConnection current = connections.get(brokerId);
        if (current != null && address.get().equals(addresses.get(brokerId))) {
            return current;
        }
        if (current != null) {
            current.close();
        }
        BrokerConnection connection = new BrokerConnection(sockets, address.get().getHostString(),
                address.get().getPort(), socketTimeoutMs, 1 << 20);
        connections.put(brokerId, connection);
        addresses.put(brokerId, address.get());
        return connection;
    }

    @Override
    public void close() {
        remote.shutdown();
        try {
            if (!remote.awaitTermination(5, TimeUnit.SECONDS)) {
                remote.shutdownNow();
            }
        } catch (InterruptedException e) {
            remote.shutdownNow();
            Thread.currentThread().interrupt();
        }
        connections.values().forEach(BrokerConnection::close);
    }
}
