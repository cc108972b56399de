package io.brook.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.InconsistentGroupProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.it.harness.BrookBroker;
import io.brook.it.harness.BrookTest;
import io.brook.it.harness.JavaClients;

/**
 * The two group protocols side by side, with kafka-clients 4.4: a live group of one protocol refuses members of the
 * other (Brook answers as Kafka with {@code group.consumer.migration.policy=disabled}, see docs/architecture.md),
 * while a group with only offsets changes protocol and keeps them; admin calls see each group's type.
 */
@BrookTest(overrides = {"group.consumer.heartbeat.interval.ms=500", "group.consumer.min.heartbeat.interval.ms=500"})
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GroupProtocolMixingTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void shouldRefuseAClassicMemberWhenTheGroupHasConsumerProtocolMembers(BrookBroker broker) {
        // given a live consumer-protocol group
        String topic = JavaClients.uniqueTopic("mix-classic-into-848");
        String group = JavaClients.uniqueGroup("mix-classic-into-848");
        JavaClients.createTopic(broker, topic, 2);
        try (KafkaConsumer<String, String> modern = member(broker, group, "consumer")) {
            joinOwning(modern, topic, 2);

            // when a classic member tries to join, then its poll fails with INCONSISTENT_GROUP_PROTOCOL
            try (KafkaConsumer<String, String> classic = member(broker, group, "classic")) {
                classic.subscribe(List.of(topic));
                assertThatThrownBy(() -> pollUntilFailure(classic))
                        .isInstanceOf(InconsistentGroupProtocolException.class);
            }
            assertThat(modern.assignment()).hasSize(2);
        }
    }

    @Test
    void shouldRefuseAConsumerProtocolMemberWhenTheGroupHasClassicMembers(BrookBroker broker) {
        // given a live classic group
        String topic = JavaClients.uniqueTopic("mix-848-into-classic");
        String group = JavaClients.uniqueGroup("mix-848-into-classic");
        JavaClients.createTopic(broker, topic, 2);
        try (KafkaConsumer<String, String> classic = member(broker, group, "classic")) {
            joinOwning(classic, topic, 2);

            // when a consumer-protocol member heartbeats, then its poll fails with GROUP_ID_NOT_FOUND
            try (KafkaConsumer<String, String> modern = member(broker, group, "consumer")) {
                modern.subscribe(List.of(topic));
                assertThatThrownBy(() -> pollUntilFailure(modern)).isInstanceOf(GroupIdNotFoundException.class)
                        .hasMessageContaining("online upgrade is disabled");
            }
            assertThat(classic.assignment()).hasSize(2);
        }
    }

    @Test
    void shouldKeepCommittedOffsetsWhenAnEmptyGroupChangesProtocolBothWays(BrookBroker broker) throws Exception {
        // given a classic group that committed offset 3 on both partitions and left
        String topic = JavaClients.uniqueTopic("mix-upgrade");
        String group = JavaClients.uniqueGroup("mix-upgrade");
        JavaClients.createTopic(broker, topic, 2);
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker, Map.of())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, "k" + i, "v" + i));
            }
        }
        commitAndLeave(broker, group, topic, "classic", 3);

        // when a consumer-protocol member joins the group, it starts at the committed offsets
        try (KafkaConsumer<String, String> modern = member(broker, group, "consumer")) {
            joinOwning(modern, topic, 2);
            assertThat(committed(modern, new TopicPartition(topic, 0))).isEqualTo(3);
            try (Admin admin = JavaClients.admin(broker)) {
                ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all()
                        .get(30, TimeUnit.SECONDS).get(group);
                assertThat(description.type()).isEqualTo(GroupType.CONSUMER);
                assertThat(admin.listGroups(ListGroupsOptions.forConsumerGroups().withTypes(Set.of(GroupType.CONSUMER)))
                        .all().get(30, TimeUnit.SECONDS)).extracting(GroupListing::groupId).contains(group);
            }
            modern.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(4),
                    new TopicPartition(topic, 1), new OffsetAndMetadata(4)));
        }

        // then, once it left, a classic member takes the group back, at the offsets the other protocol committed
        try (KafkaConsumer<String, String> classic = member(broker, group, "classic")) {
            joinOwning(classic, topic, 2);
            assertThat(committed(classic, new TopicPartition(topic, 1))).isEqualTo(4);
        }
    }

    private static KafkaConsumer<String, String> member(BrookBroker broker, String group, String protocol) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return JavaClients.groupConsumer(broker, group, config);
    }

    private static void joinOwning(KafkaConsumer<String, String> consumer, String topic, int partitions) {
        consumer.subscribe(List.of(topic));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (consumer.assignment().size() < partitions) {
            assertThat(System.nanoTime()).as("time to join the group").isLessThan(deadline);
            consumer.poll(Duration.ofMillis(100));
        }
    }

    /** The group's committed offset as the member reads it (OffsetFetch as a member of the group). */
    private static long committed(KafkaConsumer<String, String> consumer, TopicPartition partition) {
        return consumer.committed(Set.of(partition), WAIT).get(partition).offset();
    }

    private static void pollUntilFailure(KafkaConsumer<String, String> consumer) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100));
        }
    }

    private static void commitAndLeave(BrookBroker broker, String group, String topic, String protocol,
            long offset) {
        try (KafkaConsumer<String, String> consumer = member(broker, group, protocol)) {
            joinOwning(consumer, topic, 2);
            consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(offset),
                    new TopicPartition(topic, 1), new OffsetAndMetadata(offset)));
        }
    }
}
