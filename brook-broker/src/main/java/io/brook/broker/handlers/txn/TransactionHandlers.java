package io.brook.broker.handlers.txn;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.internals.Topic;

import io.brook.broker.BrokerContext;
import io.brook.broker.HandlerFamily;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.cluster.ClusterView;
import io.brook.broker.replication.PartitionWriter;
import io.brook.broker.security.InterBrokerSockets;
import io.brook.broker.txn.CoordinatorTransactionVerifier;
import io.brook.broker.txn.NetworkTransactionMarkerSender;
import io.brook.broker.txn.ProducerIdSource;
import io.brook.broker.txn.TransactionConfig;
import io.brook.broker.txn.TransactionCoordinator;
import io.brook.broker.txn.TransactionVerifier;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.TopicImage;

/**
 * The transaction coordinator's APIs (AddPartitionsToTxn, AddOffsetsToTxn, EndTxn, DescribeTransactions,
 * ListTransactions) over one {@link TransactionCoordinator}, which writes {@code __transaction_state} through the data
 * path's {@link PartitionWriter} and takes producer ids from its {@link ProducerIdSource} (so the data path family
 * must be built first). It registers the coordinator (transactional InitProducerId and FindCoordinator use it) and a
 * {@link TransactionVerifier} in the context's services. {@link #close()} stops the coordinator, its marker sender
 * and the verifier. Thread-safe.
 */
public final class TransactionHandlers implements HandlerFamily {

    /** Kafka's default {@code retry.backoff.ms}, between two rounds of markers to a partition. */
    private static final long MARKER_RETRY_BACKOFF_MS = 100;
    /** How long a {@code __transaction_state} write waits for the in-sync replicas. */
    private static final long WRITE_TIMEOUT_MS = 5000;

    private final TransactionCoordinator coordinator;
    private final CoordinatorTransactionVerifier verifier;
    private final List<ApiHandler<?>> handlers;

    private TransactionHandlers(TransactionCoordinator coordinator, CoordinatorTransactionVerifier verifier,
            List<ApiHandler<?>> handlers) {
        this.coordinator = coordinator;
        this.verifier = verifier;
        this.handlers = handlers;
    }

    public static TransactionHandlers create(BrokerContext ctx) {
        PartitionWriter writer = ctx.services().require(PartitionWriter.class, "the data path (DataPathHandlers)");
        ProducerIdSource producerIds = ctx.services().require(ProducerIdSource.class,
                "the data path (DataPathHandlers)");
        NetworkTransactionMarkerSender.Cluster cluster = cluster(ctx);
        // markers and remote verifications travel like replication: TLS when the inter-broker listener is SSL
        InterBrokerSockets sockets = InterBrokerSockets.from(ctx.config());
        NetworkTransactionMarkerSender markers = new NetworkTransactionMarkerSender(cluster, sockets,
                ctx.config().replicaSocketTimeoutMs(), MARKER_RETRY_BACKOFF_MS);
        TransactionCoordinator coordinator = new TransactionCoordinator(ctx.metadata(), ctx.nodeId(),
                ctx.logManager(), writer, producerIds, markers, config(ctx), ctx.time());
        coordinator.start();
        CoordinatorTransactionVerifier verifier = new CoordinatorTransactionVerifier(coordinator, cluster,
                topic -> ctx.metadata().image().topic(topic).map(TopicImage::partitionCount).orElse(null),
                sockets, ctx.config().replicaSocketTimeoutMs());
        ctx.services().register(TransactionCoordinator.class, coordinator);
        ctx.services().register(TransactionVerifier.class, verifier);
        List<ApiHandler<?>> handlers = List.of(
                new AddPartitionsToTxnHandler(coordinator, ctx.metadata()),
                new AddOffsetsToTxnHandler(coordinator, () -> ctx.metadata().image()
                        .topic(Topic.GROUP_METADATA_TOPIC_NAME).map(TopicImage::partitionCount)
                        .orElse(ctx.config().offsetsTopicNumPartitions())),
                new EndTxnHandler(coordinator),
                new DescribeTransactionsHandler(coordinator),
                new ListTransactionsHandler(coordinator, ctx.time()));
        return new TransactionHandlers(coordinator, verifier, handlers);
    }

    static TransactionConfig config(BrokerContext ctx) {
        // A single node (no controller.quorum.voters) is the whole cluster: one replica, as for __consumer_offsets.
        short replication = ctx.config().explicitQuorumVoters().isPresent()
                ? ctx.config().transactionStateLogReplicationFactor()
                : 1;
        return new TransactionConfig(ctx.config().transactionStateLogNumPartitions(), replication,
                ctx.config().transactionStateLogMinIsr(), ctx.config().transactionStateLogSegmentBytes(),
                ctx.config().transactionMaxTimeoutMs(), ctx.config().transactionAbortTimedOutCleanupIntervalMs(),
                ctx.config().transactionalIdExpirationMs(), ctx.config().transactionRemoveExpiredCleanupIntervalMs(),
                WRITE_TIMEOUT_MS);
    }

    /** Partition leaders and inter-broker endpoints from the current metadata. */
    static NetworkTransactionMarkerSender.Cluster cluster(BrokerContext ctx) {
        String listener = ctx.config().replicationListenerName();
        return new NetworkTransactionMarkerSender.Cluster() {
            @Override
            public OptionalInt leaderOf(TopicPartition partition) {
                MetadataImage image = ctx.metadata().image();
                Optional<TopicImage> topic = image.topic(partition.topic());
                if (topic.isEmpty() || partition.partition() >= topic.get().partitionCount()) {
                    return OptionalInt.of(NetworkTransactionMarkerSender.NO_SUCH_PARTITION);
                }
                int leader = ClusterView.partition(ctx, topic.get(), partition.partition()).leader();
                return leader >= 0 && ClusterView.live(image, leader) ? OptionalInt.of(leader) : OptionalInt.empty();
            }

            @Override
            public Optional<InetSocketAddress> endpoint(int brokerId) {
                return ClusterView.brokers(ctx, ctx.metadata().image(), listener, true).stream()
                        .filter(b -> b.id() == brokerId).findFirst()
                        .map(b -> InetSocketAddress.createUnresolved(b.host(), b.port()));
            }
        };
    }

    @Override
    public List<ApiHandler<?>> handlers() {
        return handlers;
    }

    @Override
    public void close() {
        verifier.close();
        coordinator.close();
    }
}
