package io.brook.storage;

import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.utils.Time;

/**
 * What a partition log borrows from its {@link DefaultLogManager}: the clock, the shared flusher, the executor that
 * deletes renamed directories and (after {@code file.delete.delay.ms}) the files of removed segments, the hook that forgets a deleted log, and the hook that durably checkpoints the
 * lowered recovery point of a truncated log (called with the log's lock held; it must not take that lock), and the
 * hook told of an I/O error on the log's files, which takes the whole log dir offline (called with the log's locks
 * possibly held; it must not take any log's lock). New logs share the fsyncs of their log dir through
 * {@code directorySync}.
 */
record LogEnvironment(Time time, LogFlusher flusher, ScheduledExecutorService deleter,
        Consumer<DefaultPartitionLog> onDeleted,
        Consumer<DefaultPartitionLog> onTruncated,
        BiConsumer<DefaultPartitionLog, KafkaStorageException> onStorageFailure, DirectorySync directorySync) {
}
