package io.brook.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import io.brook.metadata.PartitionRegistration;

/** When a follower asks its leader again soon instead of backing off {@code replica.fetch.backoff.ms}. */
class ReplicaFetcherRetryTest {

    private static final int LEADER = 2;
    private static final int EPOCH = 0;

    private static Optional<PartitionRegistration> ledBy(int leader, int epoch) {
        return Optional.of(new PartitionRegistration(List.of(1, 2, 3), List.of(1, 2, 3), List.of(), List.of(),
                leader, epoch, 0));
    }

    @Test
    void shouldRetrySoonWhenTheLeaderDoesNotHostThePartitionYetButOurMetadataStillNamesIt() {
        for (Errors notHosted : List.of(Errors.NOT_LEADER_OR_FOLLOWER, Errors.UNKNOWN_TOPIC_OR_PARTITION,
                Errors.UNKNOWN_TOPIC_ID)) {
            assertThat(ReplicaFetcher.leaderCatchingUp(notHosted, ledBy(LEADER, EPOCH), LEADER, EPOCH))
                    .as("%s", notHosted).isTrue();
        }
    }

    @Test
    void shouldBackOffWhenOurMetadataHasMovedOnOrTheErrorIsNotAboutHosting() {
        assertThat(ReplicaFetcher.leaderCatchingUp(Errors.NOT_LEADER_OR_FOLLOWER, ledBy(3, EPOCH + 1), LEADER, EPOCH))
                .as("another leader").isFalse();
        assertThat(ReplicaFetcher.leaderCatchingUp(Errors.NOT_LEADER_OR_FOLLOWER, ledBy(LEADER, EPOCH + 1), LEADER,
                EPOCH)).as("a newer epoch").isFalse();
        assertThat(ReplicaFetcher.leaderCatchingUp(Errors.NOT_LEADER_OR_FOLLOWER, Optional.empty(), LEADER, EPOCH))
                .as("topic gone").isFalse();
        assertThat(ReplicaFetcher.leaderCatchingUp(Errors.FENCED_LEADER_EPOCH, ledBy(LEADER, EPOCH), LEADER, EPOCH))
                .as("fenced").isFalse();
    }
}
