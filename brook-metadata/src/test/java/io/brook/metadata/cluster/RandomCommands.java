package io.brook.metadata.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.kafka.common.Uuid;

import io.brook.metadata.BrokerRegistration;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.TopicImage;
import io.brook.metadata.cluster.MetadataCommand.ElectionType;

/**
 * A seeded source of plausible commands for the current image (brokers 1..5 coming and going, topics, ISR changes,
 * elections, reassignments), valid and invalid alike, to drive the state machine through many states.
 */
final class RandomCommands {

    private static final int BROKERS = 5;

    private final Random random;

    RandomCommands(long seed) {
        this.random = new Random(seed);
    }

    MetadataCommand next(MetadataImage image) {
        int broker = 1 + random.nextInt(BROKERS);
        long epoch = image.broker(broker).map(BrokerRegistration::epoch).orElse(0L);
        switch (random.nextInt(12)) {
            case 0 :
                return new MetadataCommand.RegisterBroker(broker, new Uuid(broker, random.nextInt(2)), List.of(),
                        "rack" + broker % 3);
            case 1 :
            case 2 :
                return new MetadataCommand.UnfenceBroker(broker, epoch);
            case 3 :
                return new MetadataCommand.FenceBroker(broker, epoch);
            case 4 :
                return new MetadataCommand.ControlledShutdown(broker, epoch);
            case 5 :
                return new MetadataCommand.CreateTopics(List.of(new MetadataCommand.NewTopic("t" + random.nextInt(6),
                        new Uuid(random.nextLong(), random.nextLong()), 1 + random.nextInt(4),
                        (short) (1 + random.nextInt(3)), Map.of(), Map.of())), random.nextLong());
            case 6 :
                return new MetadataCommand.AllocateProducerIds(broker, epoch, 1 + random.nextInt(1000));
            case 7 :
                return new MetadataCommand.ElectLeaders(random.nextBoolean()
                        ? ElectionType.PREFERRED
                        : ElectionType.UNCLEAN, null);
            default :
                break;
        }
        List<TopicImage> topics = new ArrayList<>(new java.util.TreeMap<>(image.topicsByName()).values());
        if (topics.isEmpty()) {
            return new MetadataCommand.SetVoters(List.of(broker));
        }
        TopicImage topic = topics.get(random.nextInt(topics.size()));
        int partition = random.nextInt(topic.partitionCount());
        PartitionRegistration p = topic.partition(partition).orElseThrow();
        switch (random.nextInt(4)) {
            case 0 : {
                // The leader adds or drops a replica.
                List<MetadataCommand.IsrMember> isr = new ArrayList<>();
                for (int replica : p.replicas()) {
                    if (replica == p.leader() || random.nextBoolean()) {
                        isr.add(new MetadataCommand.IsrMember(replica, -1));
                    }
                }
                return new MetadataCommand.AlterPartition(p.leader(), image.broker(p.leader())
                        .map(BrokerRegistration::epoch).orElse(0L),
                        List.of(new MetadataCommand.PartitionIsrChange(
                                topic.id(), partition, p.leaderEpoch(), p.partitionEpoch(), isr)));
            }
            case 1 : {
                List<Integer> target = new ArrayList<>();
                for (int b = 1; b <= BROKERS && target.size() < p.replicas().size(); b++) {
                    if (random.nextBoolean()) {
                        target.add(b);
                    }
                }
                return new MetadataCommand.AlterPartitionReassignments(List.of(new MetadataCommand.Reassignment(
                        topic.name(), partition, random.nextInt(4) == 0 ? null : target)));
            }
            case 2 :
                return new MetadataCommand.CreatePartitions(List.of(new MetadataCommand.PartitionsIncrease(
                        topic.name(), topic.partitionCount() + 1, null)), random.nextLong());
            default :
                return random.nextInt(5) == 0
                        ? new MetadataCommand.DeleteTopics(List.of(topic.id()))
                        : new MetadataCommand.AlterTopicConfigs(topic.name(),
                                Map.of("unclean.leader.election.enable", Boolean.toString(random.nextBoolean())),
                                List.of(), false);
        }
    }
}
