package io.brook.metadata.cluster;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.brook.metadata.LocalMetadataStore;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.TopicImage;
import io.brook.metadata.cluster.MetadataCommand.ImportLegacyMetadata;
import io.brook.metadata.cluster.MetadataCommand.LegacyTopic;

/**
 * Turns a single-node data directory's metadata ({@link LocalMetadataStore}'s {@code metadata.json}) into the command
 * that seeds a new cluster with it, so that an upgraded node keeps its topics under the same ids, its configs, and
 * never hands out a producer id twice. Submit it once, when the cluster metadata has no topics yet. Stateless.
 */
public final class LegacyMetadataImport {

    private LegacyMetadataImport() {
    }

    /**
     * @param dir the single-node metadata directory
     * @param brokerId the node's id, which becomes the only replica of every imported partition
     * @return the import command, or empty when {@code dir} holds no single-node metadata
     */
    public static Optional<ImportLegacyMetadata> fromDirectory(Path dir, int brokerId) {
        return LocalMetadataStore.read(dir).map(state -> command(state.image(), state.nextProducerId(), brokerId));
    }

    public static ImportLegacyMetadata command(MetadataImage image, long nextProducerId, int brokerId) {
        List<LegacyTopic> topics = image.topicsByName().values().stream().sorted(Comparator.comparing(TopicImage::name))
                .map(t -> new LegacyTopic(t.name(), t.id(), t.partitionCount(), t.configs())).toList();
        return new ImportLegacyMetadata(brokerId, topics, image.brokerConfigs(), nextProducerId);
    }
}
