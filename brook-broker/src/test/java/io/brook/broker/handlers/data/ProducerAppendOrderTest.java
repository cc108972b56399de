package io.brook.broker.handlers.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ProducerAppendOrderTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);

    private final ProducerAppendOrder order = new ProducerAppendOrder();
    private final List<String> ran = new CopyOnWriteArrayList<>();

    private CompletableFuture<String> task(String name, CompletableFuture<String> completion) {
        ran.add(name);
        return completion;
    }

    @Test
    void shouldRunALaterBatchOnlyAfterTheEarlierOneCompletes() {
        CompletableFuture<String> verification = new CompletableFuture<>();

        CompletableFuture<String> first = order.run(TP, 1, () -> task("first", verification));
        CompletableFuture<String> second = order.run(TP, 1,
                () -> task("second", CompletableFuture.completedFuture("b")));

        assertThat(ran).containsExactly("first");
        assertThat(second).isNotDone();
        verification.complete("a");
        assertThat(ran).containsExactly("first", "second");
        assertThat(first).isCompletedWithValue("a");
        assertThat(second).isCompletedWithValue("b");
        assertThat(order.pending()).isZero();
    }

    @Test
    void shouldRunTheNextBatchEvenWhenTheEarlierOneFailed() {
        CompletableFuture<String> verification = new CompletableFuture<>();
        CompletableFuture<String> first = order.run(TP, 1, () -> task("first", verification));
        CompletableFuture<String> second = order.run(TP, 1,
                () -> task("second", CompletableFuture.completedFuture("b")));

        verification.completeExceptionally(new IllegalStateException("boom"));

        assertThat(first).isCompletedExceptionally();
        assertThat(second).isCompletedWithValue("b");
    }

    @Test
    void shouldNotHoldBackOtherProducersOrPartitions() {
        order.run(TP, 1, () -> task("pending", new CompletableFuture<>()));

        CompletableFuture<String> otherProducer = order.run(TP, 2,
                () -> task("other producer", CompletableFuture.completedFuture("x")));
        CompletableFuture<String> otherPartition = order.run(new TopicPartition("t", 1), 1,
                () -> task("other partition", CompletableFuture.completedFuture("y")));

        assertThat(otherProducer).isCompletedWithValue("x");
        assertThat(otherPartition).isCompletedWithValue("y");
        assertThat(order.pending()).isEqualTo(1);
    }
}
