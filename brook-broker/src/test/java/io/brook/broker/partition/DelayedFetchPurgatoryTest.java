package io.brook.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class DelayedFetchPurgatoryTest {

    private static final TopicPartition A = new TopicPartition("a", 0);
    private static final TopicPartition B = new TopicPartition("b", 0);

    private final DelayedFetchPurgatory purgatory = new DelayedFetchPurgatory();

    /** A waiter that becomes ready once {@code available} reaches {@code needed}. */
    private static final class CountingWaiter implements DelayedFetchPurgatory.Waiter {
        int available;
        final int needed;
        int completions;
        int expirations;

        CountingWaiter(int needed) {
            this.needed = needed;
        }

        @Override
        public boolean tryComplete() {
            if (completions > 0) {
                return true;
            }
            if (available >= needed) {
                completions++;
                return true;
            }
            return false;
        }

        @Override
        public void expire() {
            expirations++;
        }
    }

    @Test
    void shouldCompleteWaiterWhenAppendToWatchedPartitionMakesItReady() {
        CountingWaiter waiter = new CountingWaiter(2);
        purgatory.park(waiter, List.of(A, B), 1_000);

        waiter.available = 1;
        assertThat(purgatory.onAppend(A)).isZero();
        waiter.available = 2;
        assertThat(purgatory.onAppend(B)).isEqualTo(1);

        assertThat(waiter.completions).isEqualTo(1);
        assertThat(purgatory.size()).isZero();
        assertThat(purgatory.watching(A)).isZero();
        assertThat(purgatory.watching(B)).isZero();
    }

    @Test
    void shouldNotWakeWaiterWhenAnotherPartitionIsAppended() {
        CountingWaiter waiter = new CountingWaiter(1);
        purgatory.park(waiter, List.of(A), 1_000);
        waiter.available = 1;

        assertThat(purgatory.onAppend(B)).isZero();

        assertThat(waiter.completions).isZero();
        assertThat(purgatory.size()).isEqualTo(1);
    }

    @Test
    void shouldCompleteAtParkWhenDataArrivedBeforeParking() {
        CountingWaiter waiter = new CountingWaiter(1);
        waiter.available = 1;

        purgatory.park(waiter, List.of(A), 1_000);

        assertThat(waiter.completions).isEqualTo(1);
        assertThat(purgatory.size()).isZero();
    }

    @Test
    void shouldExpireOnlyWaitersWhoseDeadlinePassed() {
        CountingWaiter early = new CountingWaiter(1);
        CountingWaiter late = new CountingWaiter(1);
        purgatory.park(late, List.of(A), 2_000);
        purgatory.park(early, List.of(A), 1_000);
        assertThat(purgatory.nextDeadlineMs()).hasValue(1_000);

        assertThat(purgatory.expireDue(999)).isZero();
        assertThat(purgatory.expireDue(1_000)).isEqualTo(1);

        assertThat(early.expirations).isEqualTo(1);
        assertThat(late.expirations).isZero();
        assertThat(purgatory.watching(A)).isEqualTo(1);
        assertThat(purgatory.nextDeadlineMs()).hasValue(2_000);
    }

    @Test
    void shouldNotExpireWaiterThatAlreadyCompleted() {
        CountingWaiter waiter = new CountingWaiter(1);
        purgatory.park(waiter, List.of(A), 1_000);
        waiter.available = 1;
        purgatory.onAppend(A);

        assertThat(purgatory.expireDue(5_000)).isZero();

        assertThat(waiter.expirations).isZero();
    }

    @Test
    void shouldExpireEverythingWhenClosing() {
        CountingWaiter first = new CountingWaiter(1);
        CountingWaiter second = new CountingWaiter(1);
        purgatory.park(first, List.of(A), Long.MAX_VALUE - 1);
        purgatory.park(second, List.of(B), 10);

        assertThat(purgatory.expireAll()).isEqualTo(2);

        assertThat(first.expirations).isEqualTo(1);
        assertThat(second.expirations).isEqualTo(1);
        assertThat(purgatory.nextDeadlineMs()).isEmpty();
    }

    @Test
    void shouldKeepWaitersWithSameDeadlineApart() {
        CountingWaiter first = new CountingWaiter(1);
        CountingWaiter second = new CountingWaiter(1);
        purgatory.park(first, List.of(A), 100);
        purgatory.park(second, List.of(A), 100);

        assertThat(purgatory.size()).isEqualTo(2);
        assertThat(purgatory.expireDue(100)).isEqualTo(2);
    }
}
