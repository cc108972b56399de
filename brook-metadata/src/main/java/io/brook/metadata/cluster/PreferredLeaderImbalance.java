package io.brook.metadata.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.brook.metadata.BrokerRegistration;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.TopicImage;
import io.brook.metadata.cluster.MetadataCommand.TopicPartitionRef;

/**
 * Which partitions could go back to their preferred leader (the first replica), as KRaft's automatic leader
 * rebalance looks for them: led by another replica while the preferred one is in the ISR and eligible (registered,
 * unfenced, not shutting down). After a failover or a rolling restart leadership piles up on the brokers that stayed
 * up; electing these spreads it back as placement intended. A pure function of the image.
 */
final class PreferredLeaderImbalance {

    private PreferredLeaderImbalance() {
    }

    /**
     * @param max at most this many partitions (Kafka elects at most 1,000 per pass)
     * @return the partitions to elect, by topic name then partition, for a PREFERRED {@code ElectLeaders}
     */
    static List<TopicPartitionRef> electable(MetadataImage image, int max) {
        List<TopicPartitionRef> electable = new ArrayList<>();
        for (TopicImage topic : new TreeMap<>(image.topicsByName()).values()) {
            for (Map.Entry<Integer, PartitionRegistration> e : new TreeMap<>(topic.partitions()).entrySet()) {
                if (electable.size() >= max) {
                    return electable;
                }
                PartitionRegistration partition = e.getValue();
                int preferred = partition.preferredLeader();
                if (partition.leader() != preferred && partition.isr().contains(preferred)
                        && image.broker(preferred).map(BrokerRegistration::eligible).orElse(false)) {
                    electable.add(new TopicPartitionRef(topic.name(), e.getKey()));
                }
            }
        }
        return electable;
    }
}
