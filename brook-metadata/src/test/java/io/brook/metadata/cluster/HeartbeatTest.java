package io.brook.metadata.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import io.brook.metadata.cluster.MetadataQuery.BrokerHeartbeat;
import io.brook.metadata.cluster.MetadataQuery.HeartbeatAnswer;

class HeartbeatTest {

    private final ClusterContext cluster = new ClusterContext();

    @Test
    void shouldAskToUnfenceOnlyOnceTheBrokerHasCaughtUpAndIsReady() {
        long epoch = cluster.register(1, null);

        HeartbeatAnswer behind = BrokerHeartbeats.answer(cluster.image(), new BrokerHeartbeat(1, epoch, epoch - 1,
                false, false));
        HeartbeatAnswer loading = BrokerHeartbeats.answer(cluster.image(), new BrokerHeartbeat(1, epoch, epoch,
                true, false));
        HeartbeatAnswer ready = BrokerHeartbeats.answer(cluster.image(), new BrokerHeartbeat(1, epoch, epoch, false,
                false));

        assertThat(behind.isCaughtUp()).isFalse();
        assertThat(behind.commandToSubmit()).isNull();
        assertThat(loading.commandToSubmit()).isNull();
        assertThat(ready.isFenced()).isTrue();
        assertThat(ready.commandToSubmit()).isEqualTo(new MetadataCommand.UnfenceBroker(1, epoch));
    }

    @Test
    void shouldAnswerStaleEpochsAndUnknownBrokersWithKafkasErrors() {
        long epoch = cluster.register(1, null);

        assertThat(BrokerHeartbeats.answer(cluster.image(), new BrokerHeartbeat(1, epoch + 5, 0, false, false))
                .errorCode()).isEqualTo(Errors.STALE_BROKER_EPOCH.code());
        assertThat(BrokerHeartbeats.answer(cluster.image(), new BrokerHeartbeat(2, 1, 0, false, false)).errorCode())
                .isEqualTo(Errors.BROKER_ID_NOT_REGISTERED.code());
    }

    @Test
    void shouldFenceBrokersWhoseSessionExpiredAndOnlyThem() {
        cluster.brokers(1, 2);
        cluster.register(3, null);
        BrokerHeartbeats heartbeats = new BrokerHeartbeats(9000);
        long start = 1_000_000;

        assertThat(heartbeats.expiredSessions(cluster.image(), start)).isEmpty();
        heartbeats.heartbeat(cluster.image(), new BrokerHeartbeat(2, cluster.broker(2).epoch(), 10, false, false),
                start + 8000);

        assertThat(heartbeats.expiredSessions(cluster.image(), start + 9000)).isEmpty();
        List<MetadataCommand> expired = heartbeats.expiredSessions(cluster.image(), start + 9001);
        assertThat(expired).containsExactly(new MetadataCommand.FenceBroker(1, cluster.broker(1).epoch()));

        expired.forEach(command -> cluster.ok(command, CommandReply.Done.class));
        assertThat(heartbeats.expiredSessions(cluster.image(), start + 20000))
                .containsExactly(new MetadataCommand.FenceBroker(2, cluster.broker(2).epoch()));
    }

    @Test
    void shouldGiveEveryBrokerAFullSessionAfterReset() {
        cluster.brokers(1);
        BrokerHeartbeats heartbeats = new BrokerHeartbeats(9000);
        heartbeats.expiredSessions(cluster.image(), 0);

        heartbeats.reset();

        assertThat(heartbeats.expiredSessions(cluster.image(), 50_000)).isEmpty();
        assertThat(heartbeats.expiredSessions(cluster.image(), 59_001)).hasSize(1);
    }
}
