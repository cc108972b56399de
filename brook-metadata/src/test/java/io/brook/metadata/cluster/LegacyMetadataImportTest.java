package io.brook.metadata.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.brook.metadata.LocalMetadataStore;

class LegacyMetadataImportTest {

    @TempDir
    Path dir;

    @Test
    void shouldSeedAClusterWithASingleNodeDirectoryKeepingIdsConfigsAndProducerIds() {
        Uuid ordersId;
        long firstProducerId;
        try (LocalMetadataStore store = LocalMetadataStore.open(dir, Time.SYSTEM)) {
            ordersId = store.createTopic("orders", 3, (short) 1, Map.of("retention.ms", "60000")).id();
            store.createTopic("audit", 1, (short) 1, Map.of());
            store.alterBrokerConfigs(Map.of("log.retention.ms", Optional.of("1000")), false, false);
            firstProducerId = store.allocateProducerIds(5000);
        }
        ClusterContext cluster = new ClusterContext();
        cluster.brokers(1);

        MetadataCommand.ImportLegacyMetadata command = LegacyMetadataImport.fromDirectory(dir, 1).orElseThrow();
        cluster.ok(command, CommandReply.Done.class);

        assertThat(cluster.image().topic("orders").orElseThrow().id()).isEqualTo(ordersId);
        assertThat(cluster.image().topic("orders").orElseThrow().configs()).containsEntry("retention.ms", "60000");
        assertThat(cluster.image().topicsByName()).containsOnlyKeys("orders", "audit");
        assertThat(cluster.partition("orders", 2).replicas()).containsExactly(1);
        assertThat(cluster.partition("orders", 2).leader()).isEqualTo(1);
        assertThat(cluster.image().brokerConfigs()).containsEntry("log.retention.ms", "1000");
        CommandReply.ProducerIdBlock block = cluster.ok(new MetadataCommand.AllocateProducerIds(1,
                cluster.broker(1).epoch(), 1000), CommandReply.ProducerIdBlock.class);
        assertThat(block.firstProducerId()).isGreaterThanOrEqualTo(firstProducerId + 5000);
        assertThat(MetadataCodec.decodeCommand(MetadataCodec.encode(command))).isEqualTo(command);
    }

    @Test
    void shouldFindNothingToImportInAnEmptyDirectory() {
        assertThat(LegacyMetadataImport.fromDirectory(dir, 1)).isEmpty();
        assertThat(LegacyMetadataImport.fromDirectory(dir.resolve("missing"), 1)).isEmpty();
    }

    @Test
    void shouldCarryTheProducerIdCounterEvenWithoutTopics() {
        try (LocalMetadataStore store = LocalMetadataStore.open(dir, Time.SYSTEM)) {
            store.allocateProducerIds(70);
        }

        MetadataCommand.ImportLegacyMetadata command = LegacyMetadataImport.fromDirectory(dir, 4).orElseThrow();

        assertThat(command.topics()).isEmpty();
        assertThat(command.nextProducerId()).isEqualTo(70);
        assertThat(command.brokerId()).isEqualTo(4);
    }
}
