package io.brook.broker.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

import io.brook.broker.BrokerContext;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.TopicImage;
import io.brook.metadata.cluster.QuorumMetadataStore;
import io.brook.storage.PartitionLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

/**
 * The broker's state as gauges, computed when a scrape reads them (never on the data path): partition health from the
 * metadata image, the active controller from the quorum, each local log's size and segment count, and ISR shrinks and
 * expands counted from the image changes of partitions this node leads; a deleted topic's meters are dropped. Stateless apart from the meters; gauges are
 * read from the scraping thread, the ISR counters updated on the metadata listener's thread.
 */
public final class BrokerGauges {

    private BrokerGauges() {
    }

    public static void register(BrokerMetrics metrics, BrokerContext context) {
        if (metrics == BrokerMetrics.NONE) {
            return;
        }
        var registry = metrics.registry();
        int nodeId = context.nodeId();
        int defaultMinIsr = context.config().minInsyncReplicas();
        Gauge.builder("kafka.server.replica.manager.under.replicated.partitions", context,
                c -> count(c.metadata().image(), nodeId, (topic, p) -> p.isr().size() < p.replicas().size()))
                .description("Partitions this node leads whose ISR lacks a replica (ReplicaManager"
                        + " UnderReplicatedPartitions)")
                .register(registry);
        Gauge.builder("kafka.server.replica.manager.under.min.isr.partitions", context,
                c -> count(c.metadata().image(), nodeId,
                        (topic, p) -> p.isr().size() < minIsr(topic, defaultMinIsr)))
                .description("Partitions this node leads whose ISR is below min.insync.replicas (ReplicaManager"
                        + " UnderMinIsrPartitionCount)")
                .register(registry);
        Gauge.builder("kafka.controller.offline.partitions.count", context,
                c -> count(c.metadata().image(), -1, (topic, p) -> p.leader() == PartitionRegistration.NO_LEADER))
                .description("Partitions without a leader, cluster-wide (KafkaController OfflinePartitionsCount)")
                .register(registry);
        Gauge.builder("kafka.controller.active.controller.count", context, BrokerGauges::activeController)
                .description("1 on the node that leads the metadata quorum (KafkaController ActiveControllerCount)")
                .register(registry);
        Gauge.builder("kafka.server.replica.manager.partition.count", context,
                c -> c.logManager().all().size())
                .description("Partitions with a log on this node (ReplicaManager PartitionCount)")
                .register(registry);

        MultiGauge logSize = MultiGauge.builder("kafka.log.size").baseUnit("bytes")
                .description("Bytes of a partition's log on this node (Log Size)").register(registry);
        MultiGauge segments = MultiGauge.builder("kafka.log.num.log.segments")
                .description("Segments of a partition's log on this node (Log NumLogSegments)").register(registry);
        metrics.addScrapeHook(() -> {
            List<MultiGauge.Row<?>> sizes = new ArrayList<>();
            List<MultiGauge.Row<?>> counts = new ArrayList<>();
            for (PartitionLog log : context.logManager().all()) {
                TopicPartition tp = log.topicPartition();
                Tags tags = Tags.of("topic", tp.topic(), "partition", Integer.toString(tp.partition()));
                sizes.add(MultiGauge.Row.of(tags, log.sizeInBytes()));
                counts.add(MultiGauge.Row.of(tags, log.numberOfSegments()));
            }
            logSize.register(sizes, true);
            segments.register(counts, true);
        });

        Counter shrinks = Counter.builder("kafka.server.replica.manager.isr.shrinks")
                .description("ISR shrinks of partitions this node leads (ReplicaManager IsrShrinksPerSec)")
                .register(registry);
        Counter expands = Counter.builder("kafka.server.replica.manager.isr.expands")
                .description("ISR expands of partitions this node leads (ReplicaManager IsrExpandsPerSec)")
                .register(registry);
        context.metadata().addListener((previous, current) -> {
            countIsrChanges(previous, current, nodeId, shrinks, expands);
            for (String topic : previous.topicsByName().keySet()) {
                if (!current.topicsByName().containsKey(topic)) {
                    metrics.onTopicDeleted(topic);
                }
            }
        });
    }

    private static void countIsrChanges(MetadataImage previous, MetadataImage current, int nodeId, Counter shrinks,
            Counter expands) {
        for (TopicImage topic : current.topicsByName().values()) {
            TopicImage before = previous.topicsByName().get(topic.name());
            if (before == null || before == topic) {
                continue;
            }
            for (Map.Entry<Integer, PartitionRegistration> entry : topic.partitions().entrySet()) {
                PartitionRegistration now = entry.getValue();
                PartitionRegistration then = before.partitions().get(entry.getKey());
                if (then == null || now.leader() != nodeId || then.leader() != nodeId) {
                    continue;
                }
                if (now.isr().size() < then.isr().size()) {
                    shrinks.increment();
                } else if (now.isr().size() > then.isr().size()) {
                    expands.increment();
                }
            }
        }
    }

    private static double activeController(BrokerContext context) {
        if (context.metadata() instanceof QuorumMetadataStore quorum) {
            var status = quorum.status();
            return status.leaderId().isPresent() && status.leaderId().getAsInt() == status.nodeId() ? 1 : 0;
        }
        return 1;
    }

    private static int minIsr(TopicImage topic, int brokerDefault) {
        String value = topic.configs().get("min.insync.replicas");
        try {
            return value == null ? brokerDefault : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return brokerDefault;
        }
    }

    /** Partitions matching {@code test}; led by {@code leader} unless it is -1. */
    private static int count(MetadataImage image, int leader, PartitionTest test) {
        int count = 0;
        for (TopicImage topic : image.topicsByName().values()) {
            for (PartitionRegistration partition : topic.partitions().values()) {
                if ((leader == -1 || partition.leader() == leader) && test.test(topic, partition)) {
                    count++;
                }
            }
        }
        return count;
    }

    @FunctionalInterface
    private interface PartitionTest {
        boolean test(TopicImage topic, PartitionRegistration partition);
    }
}
