package io.brook.broker.group;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What one shard event produced: records to append (then replay), and responses to send once those records are
 * durable. The shard never completes a future itself; its owner does, after the append.
 */
public record Effects(List<GroupRecord> records, List<Completion<?>> completions) {

    /** A response for a waiting request. */
    public record Completion<T>(CompletableFuture<T> future, T response) {

        public void complete() {
            future.complete(response);
        }
    }

    static Effects empty() {
        return new Effects(new ArrayList<>(), new ArrayList<>());
    }

    <T> void respond(CompletableFuture<T> future, T response) {
        completions.add(new Completion<>(future, response));
    }

    void write(GroupRecord record) {
        records.add(record);
    }

    public boolean isEmpty() {
        return records.isEmpty() && completions.isEmpty();
    }
}
