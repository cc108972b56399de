package io.brook.metadata.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.cluster.MetadataQuery.BrokerHeartbeat;
import io.brook.metadata.cluster.MetadataQuery.HeartbeatAnswer;

class BrokerLifecycleTest {

    private final ClusterContext cluster = new ClusterContext();

    @Test
    void shouldRegisterFencedWithTheLogIndexAsBrokerEpoch() {
        long epoch = cluster.register(1, "r1");

        assertThat(cluster.broker(1).fenced()).isTrue();
        assertThat(cluster.broker(1).epoch()).isEqualTo(epoch).isEqualTo(1);
        assertThat(cluster.broker(1).rack()).isEqualTo("r1");

        cluster.unfence(1, epoch);
        assertThat(cluster.broker(1).eligible()).isTrue();
    }

    @Test
    void shouldRefuseAnotherIncarnationOfALiveBrokerButAcceptItOnceFenced() {
        cluster.brokers(1);

        assertThat(cluster.error(new MetadataCommand.RegisterBroker(1, Uuid.randomUuid(), List.of(), null)))
                .isEqualTo(Errors.DUPLICATE_BROKER_REGISTRATION);
        cluster.fence(1);
        long epoch = cluster.register(1, null);

        assertThat(epoch).isGreaterThan(1);
        assertThat(cluster.broker(1).epoch()).isEqualTo(epoch);
    }

    @Test
    void shouldBumpTheBrokerEpochWhenTheSameIncarnationRegistersAgain() {
        Uuid incarnation = Uuid.randomUuid();
        long first = cluster.registerIncarnation(1, incarnation, null);
        cluster.unfence(1, first);

        long second = cluster.registerIncarnation(1, incarnation, null);

        assertThat(second).isGreaterThan(first);
        assertThat(cluster.broker(1).fenced()).isTrue();
        assertThat(cluster.error(new MetadataCommand.UnfenceBroker(1, first))).isEqualTo(Errors.STALE_BROKER_EPOCH);
        assertThat(cluster.error(new MetadataCommand.UnfenceBroker(7, 1))).isEqualTo(Errors.BROKER_ID_NOT_REGISTERED);
    }

    @Test
    void shouldMoveLeadershipAndShrinkIsrWhenTheLeaderIsFenced() {
        cluster.brokers(1, 2, 3);
        cluster.createTopicWithReplicas("t", List.of(List.of(1, 2, 3)));

        cluster.fence(1);

        PartitionRegistration p = cluster.partition("t", 0);
        assertThat(p.leader()).isEqualTo(2);
        assertThat(p.isr()).containsExactly(2, 3);
        assertThat(p.replicas()).containsExactly(1, 2, 3);
        assertThat(p.leaderEpoch()).isEqualTo(1);
        assertThat(p.partitionEpoch()).isEqualTo(1);
    }

    @Test
    void shouldGoOfflineKeepingTheLastIsrMemberAndReturnToItWhenItComesBack() {
        cluster.brokers(1, 2);
        cluster.createTopicWithReplicas("t", List.of(List.of(1, 2)));

        cluster.fence(2);
        cluster.fence(1);
        PartitionRegistration offline = cluster.partition("t", 0);
        assertThat(offline.leader()).isEqualTo(PartitionRegistration.NO_LEADER);
        assertThat(offline.isr()).containsExactly(1);
        assertThat(offline.leaderEpoch()).isEqualTo(1);

        cluster.unfence(2);
        assertThat(cluster.partition("t", 0).leader()).as("2 is not in the ISR: no clean election")
                .isEqualTo(PartitionRegistration.NO_LEADER);

        cluster.unfence(1);
        PartitionRegistration back = cluster.partition("t", 0);
        assertThat(back.leader()).isEqualTo(1);
        assertThat(back.isr()).containsExactly(1);
        assertThat(back.leaderEpoch()).isEqualTo(2);
    }

    @Test
    void shouldElectAnOutOfSyncReplicaWhenUncleanElectionIsEnabledForTheTopic() {
        cluster.brokers(1, 2);
        cluster.createTopicWithReplicas("t", List.of(List.of(1, 2)));
        cluster.fence(2);
        cluster.fence(1);

        cluster.ok(new MetadataCommand.AlterTopicConfigs("t", Map.of("unclean.leader.election.enable", "true"),
                List.of(), false), CommandReply.Done.class);
        assertThat(cluster.partition("t", 0).leader()).isEqualTo(PartitionRegistration.NO_LEADER);
        cluster.unfence(2);

        assertThat(cluster.partition("t", 0).leader()).isEqualTo(2);
        assertThat(cluster.partition("t", 0).isr()).containsExactly(2);
    }

    @Test
    void shouldHandOffLeadershipsOnControlledShutdownThenLetTheBrokerStop() {
        cluster.brokers(1, 2);
        cluster.createTopicWithReplicas("t", List.of(List.of(1, 2), List.of(2, 1)));
        cluster.createTopicWithReplicas("single", List.of(List.of(1)));
        long epoch = cluster.broker(1).epoch();
        BrokerHeartbeat wantShutDown = new BrokerHeartbeat(1, epoch, 100, false, true);

        HeartbeatAnswer first = BrokerHeartbeats.answer(cluster.image(), wantShutDown);
        assertThat(first.commandToSubmit()).isEqualTo(new MetadataCommand.ControlledShutdown(1, epoch));
        assertThat(first.shouldShutDown()).isFalse();
        cluster.ok(first.commandToSubmit(), CommandReply.Done.class);

        assertThat(cluster.broker(1).inControlledShutdown()).isTrue();
        assertThat(cluster.partition("t", 0).leader()).isEqualTo(2);
        assertThat(cluster.partition("t", 0).isr()).containsExactly(2);
        assertThat(cluster.partition("t", 1).isr()).containsExactly(2);
        assertThat(cluster.partition("single", 0).leader()).isEqualTo(PartitionRegistration.NO_LEADER);
        assertThat(cluster.partition("single", 0).isr()).containsExactly(1);

        HeartbeatAnswer ready = BrokerHeartbeats.answer(cluster.image(), wantShutDown);
        assertThat(ready.shouldShutDown()).isTrue();
        assertThat(ready.commandToSubmit()).isEqualTo(new MetadataCommand.FenceBroker(1, epoch));
        cluster.ok(ready.commandToSubmit(), CommandReply.Done.class);
        assertThat(cluster.broker(1).fenced()).isTrue();
        assertThat(cluster.broker(1).inControlledShutdown()).isFalse();
    }

    @Test
    void shouldLeaveIsrsAndMoveLeadersWhenUnregistered() {
        cluster.brokers(1, 2);
        cluster.createTopicWithReplicas("t", List.of(List.of(1, 2)));

        cluster.ok(new MetadataCommand.UnregisterBroker(1), CommandReply.Done.class);

        assertThat(cluster.image().brokers()).containsOnlyKeys(2);
        assertThat(cluster.partition("t", 0).leader()).isEqualTo(2);
        assertThat(cluster.partition("t", 0).isr()).containsExactly(2);
        assertThat(cluster.error(new MetadataCommand.UnregisterBroker(1))).isEqualTo(Errors.BROKER_ID_NOT_REGISTERED);
    }

    @Test
    void shouldMoveLeadershipsWhenALiveBrokerRegistersANewIncarnationAfterFencing() {
        cluster.brokers(1, 2);
        cluster.createTopicWithReplicas("t", List.of(List.of(1, 2)));
        Uuid incarnation = cluster.broker(1).incarnationId();

        cluster.registerIncarnation(1, incarnation, null);

        assertThat(cluster.partition("t", 0).leader()).isEqualTo(2);
        assertThat(cluster.partition("t", 0).isr()).containsExactly(2);
    }

    @Test
    void shouldHandOutProducerIdBlocksThatNeverOverlap() {
        cluster.brokers(1, 2);

        CommandReply.ProducerIdBlock a = cluster.ok(new MetadataCommand.AllocateProducerIds(1,
                cluster.broker(1).epoch(), 1000), CommandReply.ProducerIdBlock.class);
        CommandReply.ProducerIdBlock b = cluster.ok(new MetadataCommand.AllocateProducerIds(2,
                cluster.broker(2).epoch(), 1000), CommandReply.ProducerIdBlock.class);

        assertThat(a.firstProducerId()).isZero();
        assertThat(b.firstProducerId()).isEqualTo(1000);
        assertThat(cluster.image().nextProducerId()).isEqualTo(2000);
        assertThat(cluster.error(new MetadataCommand.AllocateProducerIds(1, 999, 1000)))
                .isEqualTo(Errors.STALE_BROKER_EPOCH);
        assertThat(cluster.image().nextProducerId()).isEqualTo(2000);
    }
}
