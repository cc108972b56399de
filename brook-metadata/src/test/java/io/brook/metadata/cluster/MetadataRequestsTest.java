package io.brook.metadata.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Random;

import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.StaleBrokerEpochException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class MetadataRequestsTest {

    private final ClusterContext cluster = new ClusterContext().brokers(1, 2);
    private final MetadataRequests requests = new MetadataRequests(new Random(3));

    @Test
    void shouldCreateATopicWithAFreshIdThroughTheSubmittersCommand() {
        MetadataCommand.CreateTopics command = requests.createTopic(cluster.image(), "t", 4, (short) 2, Map.of());

        CommandReply.TopicResult result = MetadataRequests.orThrow(cluster.ok(command,
                CommandReply.TopicResults.class).topics().get(0));

        assertThat(result.topicId()).isEqualTo(command.topics().get(0).topicId());
        assertThat(cluster.image().topic("t").orElseThrow().partitions()).hasSize(4);
    }

    @Test
    void shouldTurnErrorRepliesIntoKafkaExceptions() {
        CommandReply.TopicResult tooMany = cluster.ok(requests.createTopic(cluster.image(), "t", 1, (short) 3,
                Map.of()), CommandReply.TopicResults.class).topics().get(0);

        assertThatThrownBy(() -> MetadataRequests.orThrow(tooMany))
                .isInstanceOf(InvalidReplicationFactorException.class).hasMessageContaining("only 2 broker(s)");
        assertThatThrownBy(() -> MetadataRequests.orThrow(CommandReply.Failed.of(Errors.STALE_BROKER_EPOCH, "old"),
                CommandReply.Done.class)).isInstanceOf(StaleBrokerEpochException.class).hasMessage("old");
    }
}
