package io.brook.broker.handlers.data;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

import org.apache.kafka.common.TopicPartition;

/**
 * Keeps a producer's transactional appends to a partition in arrival order while some of them wait for transaction
 * verification. Brook pipelines a connection's requests (Kafka handles one at a time per connection), so without this
 * a producer's later batch whose verification answers first would be appended before the earlier one and refused as
 * out of sequence (typical with transaction version 2, where the first batch after a commit waits while the
 * coordinator still writes the markers).
 *
 * <p>Thread-safe. A task with nothing pending before it runs at once on the calling thread; otherwise on the thread
 * that completes the previous one. An entry lives only while a task is pending.
 */
final class ProducerAppendOrder {

    private record Key(TopicPartition partition, long producerId) {
    }

    private final ConcurrentMap<Key, CompletableFuture<?>> tails = new ConcurrentHashMap<>();

    /** Runs {@code task} once every earlier task of the producer on the partition has completed (either way). */
    <T> CompletableFuture<T> run(TopicPartition partition, long producerId, Supplier<CompletableFuture<T>> task) {
        Key key = new Key(partition, producerId);
        CompletableFuture<T> result = new CompletableFuture<>();
        CompletableFuture<?> previous = tails.put(key, result);
        Runnable start = () -> {
            CompletableFuture<T> running;
            try {
                running = task.get();
            } catch (RuntimeException e) {
                running = CompletableFuture.failedFuture(e);
            }
            running.whenComplete((value, error) -> {
                tails.remove(key, result);
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(value);
                }
            });
        };
        if (previous == null) {
            start.run();
        } else {
            previous.whenComplete((ignored, error) -> start.run());
        }
        return result;
    }

    /** Producers with a pending task (tests). */
    int pending() {
        return tails.size();
    }
}
