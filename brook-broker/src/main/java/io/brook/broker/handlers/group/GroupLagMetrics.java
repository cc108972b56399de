package io.brook.broker.handlers.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.broker.group.GroupShard;
import io.brook.broker.metrics.BrokerMetrics;
import io.brook.storage.LogManager;
import io.brook.storage.PartitionLog;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

/**
 * Consumer group lag per partition, computed at scrape: the committed offsets of the groups this node coordinates
 * (read on their shards' threads, as OffsetFetch reads them) against the high watermark of the partition's local
 * log. Partitions without a local log are left out (another broker reports them). Called from the scraping thread.
 */
final class GroupLagMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(GroupLagMetrics.class);
    private static final long READ_TIMEOUT_MS = 5_000;

    private GroupLagMetrics() {
    }

    private record Committed(String group, TopicPartition partition, long offset) {
    }

    static void register(BrokerMetrics metrics, GroupCoordinator coordinator, LogManager logs) {
        if (metrics == BrokerMetrics.NONE) {
            return;
        }
        MultiGauge lag = MultiGauge.builder("kafka.consumergroup.lag")
                .description("Records between a group's committed offset and the partition's high watermark")
                .register(metrics.registry());
        metrics.addScrapeHook(() -> {
            List<Committed> committed;
            try {
                committed = coordinator.readAll(GroupLagMetrics::committedOffsets, error -> List.of())
                        .get(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.debug("Could not read committed offsets for the lag metrics", e);
                return;
            }
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            for (Committed entry : committed) {
                PartitionLog log = logs.get(entry.partition()).orElse(null);
                if (log == null || entry.offset() < 0) {
                    continue;
                }
                long value = Math.max(0, log.highWatermark() - entry.offset());
                rows.add(MultiGauge.Row.of(Tags.of("group", entry.group(), "topic", entry.partition().topic(),
                        "partition", Integer.toString(entry.partition().partition())), value));
            }
            lag.register(rows, true);
        });
    }

    private static List<Committed> committedOffsets(GroupShard shard) {
        List<Committed> all = new ArrayList<>();
        for (ListedGroup group : shard.list(Set.of(), Set.of())) {
            for (OffsetFetchResponseTopics topic : shard.fetchOffsets(group.groupId(), null).topics()) {
                for (OffsetFetchResponsePartitions partition : topic.partitions()) {
                    all.add(new Committed(group.groupId(), new TopicPartition(topic.name(), partition.partitionIndex()),
                            partition.committedOffset()));
                }
            }
        }
        return all;
    }
}
