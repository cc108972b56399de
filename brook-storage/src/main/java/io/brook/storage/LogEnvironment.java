package io.brook.storage;

import java.util.concurrent.Executor;
import java.util.function.Consumer;

import org.apache.kafka.common.utils.Time;

/**
 * What a partition log borrows from its {@link DefaultLogManager}: the clock, the shared flusher, the executor that
 * deletes renamed directories, and the hook that forgets a deleted log.
 */
record LogEnvironment(Time time, LogFlusher flusher, Executor deleter, Consumer<DefaultPartitionLog> onDeleted) {
}
